import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DriftlessStack } from '../../infra/stack.ts';
import { iamStatements, render, STUB_ENTRIES, synthStack } from './support.ts';

const secretGrants = (settings: Parameters<typeof synthStack>[0]) =>
  iamStatements(synthStack(settings).template.toJSON() as never)
    .filter((statement) => statement.actions.includes('secretsmanager:GetSecretValue'))
    .map((statement) => statement.resources)
    // The chart credentials are another concern (test/infra/constructs/chart-credentials.test.ts).
    .filter((resources) => !resources.some((resource) => render(resource).includes('ChartCredentials')));

describe('DriftlessStack', () => {
  it('creates driftless/github for the credentials and driftless/webhook with a generated webhook secret when none is given', () => {
    const { template } = synthStack();
    // Beside them, the construct's own chart credentials (test/infra/constructs/chart-credentials.test.ts).
    template.resourceCountIs('AWS::SecretsManager::Secret', 3);
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'driftless/github', SecretString: '{"token":""}' });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'driftless/webhook',
      GenerateSecretString: { GenerateStringKey: 'webhookSecret', SecretStringTemplate: '{}' },
    });
    // The credentials secret carries no webhook secret, generated or otherwise.
    const github = Object.values(template.findResources('AWS::SecretsManager::Secret', { Properties: { Name: 'driftless/github' } }))[0];
    expect(JSON.stringify(github)).not.toContain('webhookSecret');
    expect(Object.keys(template.findOutputs('GitHubSecretArn'))).toEqual(['GitHubSecretArn']);
    expect(Object.keys(template.findOutputs('WebhookSecretArn'))).toEqual(['WebhookSecretArn']);
    // Cross-account trust policies and cluster owners' access entries name the worker's role.
    expect(render(template.findOutputs('WorkerRoleArn').WorkerRoleArn.Value)).toMatch(/^<DriftlessSyncWorkerRole[0-9A-F]{8}\.Arn>$/);
  });

  it('refuses one secret for both: the webhook must not be able to read the GitHub credentials', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gh-AbC123';
    expect(() => synthStack({ githubSecretArn: arn, webhookSecretArn: arn })).toThrow(/two secrets/);
  });

  it('uses an existing secret by complete ARN, partial ARN or name, and grants read on it alone', () => {
    const complete = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gh-AbC123';
    // Only the webhook secret is still created (and the construct's chart credentials).
    expect(
      Object.values(synthStack({ githubSecretArn: complete }).template.findResources('AWS::SecretsManager::Secret')).map((secret) => secret.Properties.Name),
    ).toEqual(['driftless/webhook', 'driftless/chart-repositories']);
    // The worker and the drift scan; the webhook reads the webhook secret, not this one.
    expect(secretGrants({ githubSecretArn: complete }).filter((resources) => resources.includes(complete))).toEqual([[complete], [complete]]);
    const hook = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook-XyZ789';
    expect(secretGrants({ githubSecretArn: complete, webhookSecretArn: hook })).toEqual(expect.arrayContaining([[hook], [complete], [complete]]));
    expect(secretGrants({ githubSecretArn: complete, webhookSecretArn: hook })).toHaveLength(3);
    expect(
      Object.values(synthStack({ githubSecretArn: complete, webhookSecretArn: hook }).template.findResources('AWS::SecretsManager::Secret')).map(
        (secret) => secret.Properties.Name,
      ),
    ).toEqual(['driftless/chart-repositories']);

    const partial = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gh';
    expect(secretGrants({ githubSecretArn: partial }).find((resources) => resources[0].startsWith(partial))).toEqual([`${partial}-??????`]);

    expect(secretGrants({ githubSecretArn: 'platform/gh' }).find((resources) => resources[0].includes('platform/gh'))).toEqual([
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
        clusters: '[{"name":"blue","access":"cluster-admin"},{"name":"green","accessScope":{"type":"namespace","namespaces":["web"]}}]',
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
