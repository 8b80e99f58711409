// cdk-nag 3 reports through CDK's policy validation: findings go to validation-report.json in
// the cloud assembly and make synth throw; acknowledgements are construct metadata. This test
// reads both, from the same app `npx cdk synth` builds.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import type { DriftlessContext } from '../../infra/context.ts';
import type { DriftlessStack } from '../../infra/stack.ts';
import { BASE_SETTINGS, STUB_ENTRIES } from './support.ts';

interface NagResult {
  thrown: Error | undefined;
  findings: Array<{ rule: string; path: string }>;
  acknowledgements: Array<{ path: string; id: string; reason: string }>;
}

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

// The context `npx cdk synth` gets from cdk.json on a fresh clone.
const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

/** Synthesizes the app with cdk.json's context, or with `settings` over the test defaults. */
function synthWithNag(settings?: Partial<DriftlessContext>, change?: (stack: DriftlessStack) => void): NagResult {
  const outdir = mkdtempSync(join(tmpdir(), 'driftless-nag-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const stack = buildApp(app, { settings: settings && { ...BASE_SETTINGS, ...settings }, entries: STUB_ENTRIES });
  change?.(stack);

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
    plugin.violations.flatMap((violation) => violation.violatingConstructs.map((construct) => ({ rule: violation.ruleName, path: construct.constructPath }))),
  );
  const acknowledgements = app.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason }))),
    );
  return { thrown, findings, acknowledgements };
}

describe('cdk-nag AwsSolutions', () => {
  it('reports nothing unacknowledged for the stack cdk.json describes', () => {
    const result = synthWithNag();
    expect(result.findings).toEqual([]);
    expect(result.thrown).toBeUndefined();
  });

  it('reports nothing unacknowledged for an imported secret, namespace scopes, assumed roles and an alarm topic', () => {
    const result = synthWithNag({
      githubSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:driftless/github-AbCdEf',
      webhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:driftless/webhook-GhIjKl',
      alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops',
      clusters: [
        { name: 'dev', accessScope: { type: 'namespace', namespaces: ['apps'] } },
        { name: 'prod', account: '210987654321', region: 'eu-west-1', roleArn: 'arn:aws:iam::210987654321:role/deployer' },
      ],
    });
    expect(result.findings).toEqual([]);
    expect(result.thrown).toBeUndefined();
  });

  it('reports nothing unacknowledged for project roles: created and given, mapped here and elsewhere', () => {
    const result = synthWithNag({
      clusters: [
        { name: 'dev', namespaces: ['apps'] },
        { name: 'prod', account: '210987654321', region: 'eu-west-1', roleArn: 'arn:aws:iam::210987654321:role/deployer' },
      ],
      projects: [
        {
          name: 'team-a',
          roles: [
            { cluster: 'dev', namespaces: ['team-a'] },
            { cluster: 'prod', namespaces: ['team-a'], roleArn: 'arn:aws:iam::210987654321:role/team-a' },
          ],
        },
        { name: 'team-b', roles: [{ cluster: 'dev', namespaces: ['team-b'], access: 'edit' }] },
      ],
    });
    expect(result.findings).toEqual([]);
    expect(result.thrown).toBeUndefined();
  });

  it('reports nothing unacknowledged for SOPS keys: KMS keys to decrypt with and the age identities secret', () => {
    const result = synthWithNag({
      sopsKmsKeys: ['arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
      sopsAge: true,
    });
    expect(result.findings).toEqual([]);
    expect(result.thrown).toBeUndefined();
    // The one rule acknowledged for it: SMG4, rotation (an age identity is rotated by re-encrypting Git).
    expect(result.acknowledgements.filter(({ path }) => path.includes('SopsKeys')).map(({ path, id }) => `${path} ${id}`)).toEqual([
      'Driftless/Driftless/SopsKeys/AgeSecret Annotation::AwsSolutions-SMG4',
    ]);
  });

  it('reports nothing unacknowledged for a worker in a VPC with endpoints, cluster ingress and a proxy, and a budget', () => {
    const result = synthWithNag({
      monthlyBudgetUsd: 50,
      alarmEmail: 'ops@example.com',
      vpc: {
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        subnets: [{ subnetId: 'subnet-0aaaaaaaaaaaaaaa1', availabilityZone: 'eu-west-1a', routeTableId: 'rtb-0aaaaaaaaaaaaaaa1' }],
        createEndpoints: true,
        clusterSecurityGroupIds: ['sg-0123456789abcdef0'],
        httpsProxy: 'http://proxy.internal:3128',
      },
    });
    expect(result.findings).toEqual([]);
    expect(result.thrown).toBeUndefined();
  });

  it('reports nothing unacknowledged with a customer managed key, a batch size, destroy and x86_64 everywhere', () => {
    const result = synthWithNag({ customerManagedKey: true, workerBatchSize: 5, removalPolicy: 'destroy', architecture: 'x86_64', monthlyBudgetUsd: 20 });
    expect(result.findings).toEqual([]);
    expect(result.thrown).toBeUndefined();
  });

  it('really runs: an unacknowledged problem fails the synth and lands in the report', () => {
    const result = synthWithNag(undefined, (stack) => new sqs.Queue(stack, 'Careless'));
    expect(result.thrown?.message).toMatch(/AwsSolutions-SQS4/);
    expect(result.findings).toEqual(
      expect.arrayContaining([
        { rule: 'AwsSolutions-SQS3', path: 'Driftless/Careless/Resource' },
        { rule: 'AwsSolutions-SQS4', path: 'Driftless/Careless/Resource' },
      ]),
    );
  });

  it('acknowledges only these rules, each where it applies, each with a reason', () => {
    const { acknowledgements } = synthWithNag();
    for (const { id, reason } of acknowledgements) {
      expect(reason.trim().length, id).toBeGreaterThan(30);
    }
    const shown = acknowledgements.map(({ path, id }) => `${path} ${id.replace(/[0-9A-F]{8}\.Arn/, '*.Arn')}`).sort();
    expect(shown).toEqual([
      'Driftless/Driftless/ChartCredentials/Secret Annotation::AwsSolutions-SMG4',
      'Driftless/Driftless/DriftScan/Handler/Role Annotation::AwsSolutions-IAM5[Resource::*]',
      'Driftless/Driftless/DriftScan/ScheduleDeadLetterQueue Annotation::AwsSolutions-SQS3',
      'Driftless/Driftless/Monitoring/AlarmTopic Annotation::AwsSolutions-SNS2',
      'Driftless/Driftless/RenderCache/Bucket Annotation::AwsSolutions-S1',
      'Driftless/Driftless/Sync/DeadLetterQueue Annotation::AwsSolutions-SQS3',
      // Twice, each with its own reason: X-Ray (every function) and DescribeAlarms for rollout gates.
      'Driftless/Driftless/Sync/Worker/Role Annotation::AwsSolutions-IAM5[Resource::*]',
      'Driftless/Driftless/Sync/Worker/Role Annotation::AwsSolutions-IAM5[Resource::*]',
      'Driftless/Driftless/Sync/Worker/Role Annotation::AwsSolutions-IAM5[Resource::<DriftlessRenderCacheBucket*.Arn>/*]',
      'Driftless/Driftless/Webhook/Handler/Role Annotation::AwsSolutions-IAM5[Resource::*]',
      'Driftless/GitHubSecret Annotation::AwsSolutions-SMG4',
      'Driftless/WebhookSecret Annotation::AwsSolutions-SMG4',
    ]);
  });
});
