import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DriftlessStack } from '../../infra/stack.ts';
import { iamStatements, STUB_ENTRIES, synthStack } from './support.ts';

const secretGrants = (settings: Parameters<typeof synthStack>[0]) =>
  iamStatements(synthStack(settings).template.toJSON() as never)
    .filter((statement) => statement.actions.includes('secretsmanager:GetSecretValue'))
    .map((statement) => statement.resources);

describe('DriftlessStack', () => {
  it('creates driftless/github with a generated webhook secret when no secret is given', () => {
    const { template } = synthStack();
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'driftless/github',
      GenerateSecretString: { GenerateStringKey: 'webhookSecret', SecretStringTemplate: '{"token":""}' },
    });
    expect(Object.keys(template.findOutputs('GitHubSecretArn'))).toEqual(['GitHubSecretArn']);
  });

  it('uses an existing secret by complete ARN, partial ARN or name, and grants read on it alone', () => {
    const complete = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gh-AbC123';
    expect(synthStack({ githubSecretArn: complete }).template.findResources('AWS::SecretsManager::Secret')).toEqual({});
    expect(secretGrants({ githubSecretArn: complete })).toEqual([[complete], [complete], [complete]]);

    const partial = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gh';
    expect(secretGrants({ githubSecretArn: partial })[0]).toEqual([`${partial}-??????`]);

    expect(secretGrants({ githubSecretArn: 'platform/gh' })[0]).toEqual([
      'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:platform/gh-??????',
    ]);
  });

  it('reads its settings from CDK context, as cdk.json and -c give them', () => {
    const app = new App({
      context: {
        'aws:cdk:bundling-stacks': [],
        configRepoUrl: 'https://github.com/acme/fleet',
        configRepoBranch: 'release',
        // `-c clusters=...` arrives as a JSON string.
        clusters: '[{"name":"blue"},{"name":"green","accessScope":{"type":"namespace","namespaces":["web"]}}]',
        driftScheduleMinutes: '10',
      },
    });
    const stack = new DriftlessStack(app, 'FromContext', { entries: STUB_ENTRIES });
    expect(stack.driftless.clusterAccess.clusters.map((cluster) => cluster.name)).toEqual(['blue', 'green']);
    expect(stack.driftless.github.configRepository).toEqual({ url: 'https://github.com/acme/fleet', branch: 'release', dir: 'driftless' });
    expect(stack.driftless.driftScanner.schedule.scheduleExpression).toBe('rate(10 minutes)');
  });

  it('says which context key is wrong', () => {
    const build = (context: Record<string, unknown>) => () =>
      new DriftlessStack(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }), 'Bad', { entries: STUB_ENTRIES });
    expect(build({ clusters: [] })).toThrow(/configRepoUrl/);
    expect(build({ configRepoUrl: 'http://github.com/a/b', clusters: [] })).toThrow(/configRepoUrl/);
    expect(build({ configRepoUrl: 'https://github.com/a/b' })).toThrow(/clusters/);
    expect(build({ configRepoUrl: 'https://github.com/a/b', clusters: '[{"name":"a","acessScope":{}}]' })).toThrow(/clusters\.0/);
    expect(build({ configRepoUrl: 'https://github.com/a/b', clusters: [{ name: 'a', accessScope: { type: 'namespace' } }] })).toThrow(
      /clusters\.0\.accessScope\.namespaces/,
    );
  });
});
