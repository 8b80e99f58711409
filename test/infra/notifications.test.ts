// The `notifications` context key → per destination an EventBridge Connection, an API
// destination and a rule on the Driftless bus matching `detail-type: Notification` and the
// destination's name, posting `$.detail.body` (CloudFormation's AWS::Events::Connection,
// AWS::Events::ApiDestination and AWS::Events::Rule as documented). cdk-nag stays clean.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { readDriftlessContext } from '../../infra/context.ts';
import { BASE_SETTINGS, STUB_ENTRIES, resources, synthStack, type Cfn } from './support.ts';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:driftless/slack-bot-AbCdEf';
const BASIC = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:driftless/audit-XyZ123';
const destinations = [
  { name: 'slack', type: 'slack' as const, secretArn: SECRET },
  { name: 'deploys-webhook', type: 'slack' as const, url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
  { name: 'audit', type: 'webhook' as const, url: 'https://audit.example.com/hook', secretArn: BASIC, auth: 'basic' as const },
];

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function ofType(template: ReturnType<typeof synthStack>['template'], type: string): Array<[string, Cfn]> {
  return Object.entries(resources(template)).filter(([, resource]) => resource.Type === type) as Array<[string, Cfn]>;
}

describe('notifications in CDK context', () => {
  const { template } = synthStack({ notifications: { destinations } });

  it('makes one Connection, API destination and rule per destination', () => {
    expect(ofType(template, 'AWS::Events::Connection')).toHaveLength(3);
    expect(ofType(template, 'AWS::Events::ApiDestination')).toHaveLength(3);
    const rules = ofType(template, 'AWS::Events::Rule').filter(([, rule]) => rule.Properties.EventPattern?.['detail-type']?.includes('Notification'));
    expect(rules).toHaveLength(3);
  });

  it('routes Notification events by destination name, from the Driftless bus, posting the rendered body to the API destination', () => {
    const [busId] = ofType(template, 'AWS::Events::EventBus').map(([id]) => id);
    const destinationIds = new Map(
      ofType(template, 'AWS::Events::ApiDestination').map(([id, resource]) => [resource.Properties.InvocationEndpoint as string, id]),
    );
    const rules = ofType(template, 'AWS::Events::Rule').filter(([, rule]) => rule.Properties.EventPattern?.['detail-type']?.includes('Notification'));
    const byDestination = new Map(rules.map(([, rule]) => [rule.Properties.EventPattern.detail.destination[0] as string, rule.Properties]));
    for (const [name, endpoint] of [
      ['slack', 'https://slack.com/api/chat.postMessage'],
      ['deploys-webhook', 'https://hooks.slack.com/services/T000/B000/XXXX'],
      ['audit', 'https://audit.example.com/hook'],
    ]) {
      const rule = byDestination.get(name);
      expect(rule?.EventPattern).toEqual({ source: ['driftless'], 'detail-type': ['Notification'], detail: { destination: [name] } });
      expect(rule?.EventBusName).toEqual({ Ref: busId });
      expect(rule?.Targets).toHaveLength(1);
      expect(rule?.Targets[0]).toMatchObject({ Arn: { 'Fn::GetAtt': [destinationIds.get(endpoint), 'Arn'] }, InputPath: '$.detail.body' });
    }
    for (const [, destination] of ofType(template, 'AWS::Events::ApiDestination')) expect(destination.Properties.HttpMethod).toBe('POST');
  });

  it('takes credentials from Secrets Manager by reference, never as text in the template', () => {
    const connections = ofType(template, 'AWS::Events::Connection').map(([, connection]) => connection.Properties);
    const auth = connections.map((connection) => [connection.AuthorizationType, connection.AuthParameters]);
    expect(auth).toContainEqual([
      'API_KEY',
      { ApiKeyAuthParameters: { ApiKeyName: 'Authorization', ApiKeyValue: `{{resolve:secretsmanager:${SECRET}:SecretString:::}}` } },
    ]);
    expect(auth).toContainEqual([
      'BASIC',
      {
        BasicAuthParameters: {
          Username: `{{resolve:secretsmanager:${BASIC}:SecretString:username::}}`,
          Password: `{{resolve:secretsmanager:${BASIC}:SecretString:password::}}`,
        },
      },
    ]);
    // An incoming webhook needs none; a Connection must still have an authorization.
    expect(auth).toContainEqual(['API_KEY', { ApiKeyAuthParameters: { ApiKeyName: 'X-Driftless-Destination', ApiKeyValue: 'deploys-webhook' } }]);
  });

  it('is absent without the key', () => {
    expect(ofType(synthStack().template, 'AWS::Events::Connection')).toEqual([]);
  });
});

describe('the notifications context key', () => {
  function read(notifications: unknown): unknown {
    const app = new App({ context: { ...BASE_SETTINGS, clusters: JSON.stringify(BASE_SETTINGS.clusters), notifications } });
    return readDriftlessContext(app.node);
  }

  it('accepts the JSON a -c value carries', () => {
    expect(read(JSON.stringify({ destinations }))).toMatchObject({ notifications: { destinations } });
  });

  it('fails the synth naming a misspelt field, a missing url, a bad secret ARN and a repeated name', () => {
    expect(() => read({ destinations: [{ name: 'a', type: 'webhook', urll: 'https://x.example.com' }] })).toThrowError(
      /notifications\.destinations\.0: Unrecognized key: "urll"/,
    );
    expect(() => read({ destinations: [{ name: 'a', type: 'webhook' }] })).toThrowError(/notifications\.destinations\.0\.url: needs a url/);
    expect(() => read({ destinations: [{ name: 'a', type: 'slack', secretArn: 'driftless/slack' }] })).toThrowError(
      /notifications\.destinations\.0\.secretArn: a Secrets Manager secret ARN/,
    );
    expect(() => read({ destinations: [destinations[1], destinations[1]] })).toThrowError(/notifications\.destinations: destination names must be unique/);
    expect(() => read({ destinations: [{ name: 'a', type: 'email', url: 'https://x.example.com' }] })).toThrowError(/notifications\.destinations\.0\.type/);
  });
});

describe('cdk-nag with notifications', () => {
  it('reports nothing unacknowledged', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'driftless-notifications-nag-'));
    outdirs.push(outdir);
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    buildApp(app, { settings: { ...BASE_SETTINGS, notifications: { destinations } }, entries: STUB_ENTRIES });
    let thrown: Error | undefined;
    try {
      app.synth();
    } catch (error) {
      thrown = error as Error;
    }
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{ violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
    };
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((violation) => violation.violatingConstructs.map((construct) => `${violation.ruleName} ${construct.constructPath}`)),
    );
    expect(findings).toEqual([]);
    expect(thrown).toBeUndefined();
  });
});
