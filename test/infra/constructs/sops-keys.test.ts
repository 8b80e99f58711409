// The AWS side of SOPS decryption: the worker alone may kms:Decrypt, on exactly the key ARNs in
// context, and reads its age identities from driftless/sops-age through SOPS_AGE_KEY_SECRET_ARN
// (the variable shared/secrets/environment.ts reads). Key ARNs below are the KMS developer
// guide's examples.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { readDriftlessContext } from '../../../infra/context.ts';
import { Driftless, type DriftlessProps } from '../../../infra/driftless.ts';
import type { SopsEnvironment } from '../../../shared/secrets/environment.ts';
import { ageOpener } from '../../../shared/secrets/keys/age.ts';
import { type Cfn, functionProps, iamStatements, logicalIdOf, render, resources, STUB_ENTRIES, synthStack } from '../support.ts';

const KEY = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_REGION_KEY = 'arn:aws:kms:eu-west-1:444455556666:key/0987dcba-09fe-87dc-65ba-ab0987654321';
const MULTI_REGION_KEY = 'arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab';
const AGE_ENV: keyof SopsEnvironment = 'SOPS_AGE_KEY_SECRET_ARN';

const env = (template: Template, fragment: string): Record<string, unknown> =>
  (functionProps(template, fragment).Environment?.Variables ?? {}) as Record<string, unknown>;

/** The Allow statements that grant any `kms:` action: roles, actions, resources. */
function kmsPermissions(template: Template): Array<{ roles: string[]; actions: string[]; resources: string[] }> {
  return iamStatements(template.toJSON() as never)
    .filter((statement) => statement.effect === 'Allow' && statement.actions.some((action) => action.startsWith('kms:')))
    .map(({ roles, actions, resources }) => ({ roles, actions, resources }));
}

/** Driftless in another CDK app, its SOPS settings made in that app's stack. */
function embedded(sops: (stack: Stack) => DriftlessProps['sops']): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Embedded');
  new Driftless(stack, 'Driftless', {
    github: {
      secret: secretsmanager.Secret.fromSecretNameV2(stack, 'GitHub', 'driftless/github'),
      webhookSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Hook', 'driftless/webhook'),
    },
    configRepository: { url: 'https://github.com/acme/platform-config' },
    clusters: [{ name: 'dev', namespaces: ['apps'] }],
    sops: sops(stack),
    entries: STUB_ENTRIES,
  });
  return Template.fromStack(stack);
}

describe('SopsKeys: KMS', () => {
  it('grants nothing without sopsKmsKeys: no kms action anywhere, no age secret, no variable', () => {
    const { template } = synthStack();
    expect(kmsPermissions(template)).toEqual([]);
    expect(Object.values(resources(template)).map((r) => r.Properties?.Name)).not.toContain('driftless/sops-age');
    for (const fn of ['SyncWorker', 'WebhookHandler', 'DriftScanHandler']) expect(env(template, fn)).not.toHaveProperty(AGE_ENV);
  });

  it('lets the worker, and only the worker, kms:Decrypt exactly the listed keys, of any region and account', () => {
    const { template } = synthStack({ sopsKmsKeys: [KEY, OTHER_REGION_KEY, MULTI_REGION_KEY] });
    const statements = kmsPermissions(template);
    expect(statements).toHaveLength(1);
    expect(statements[0].roles).toEqual([expect.stringMatching(/^<DriftlessSyncWorkerRole[0-9A-F]{8}>$/)]);
    // Decrypt opens sops's data key; nothing makes, re-wraps or describes keys.
    expect(statements[0].actions).toEqual(['kms:Decrypt']);
    expect(statements[0].resources.sort()).toEqual([KEY, OTHER_REGION_KEY, MULTI_REGION_KEY].sort());
  });

  it("keeps the SOPS grant apart from the customer managed key's, which every function has", () => {
    const { template } = synthStack({ sopsKmsKeys: [KEY], customerManagedKey: true });
    const sops = kmsPermissions(template).filter((statement) => statement.resources.includes(KEY));
    expect(sops).toEqual([{ roles: [expect.stringMatching(/SyncWorkerRole/)], actions: ['kms:Decrypt'], resources: [KEY] }]);
  });

  it('reads sopsKmsKeys from cdk.json or -c, and refuses an alias, a wildcard or a key id, naming the entry', () => {
    const read = (context: Record<string, unknown>) =>
      readDriftlessContext(new App({ context: { configRepoUrl: 'https://github.com/acme/platform-config', clusters: '[]', ...context } }).node);
    expect(read({ sopsKmsKeys: JSON.stringify([KEY]), sopsAge: 'true' })).toMatchObject({ sopsKmsKeys: [KEY], sopsAge: true });
    expect(read({ sopsKmsKeys: [KEY], sopsAge: false })).toMatchObject({ sopsKmsKeys: [KEY], sopsAge: false });
    for (const bad of [
      'arn:aws:kms:us-west-2:111122223333:alias/ExampleAlias',
      'arn:aws:kms:us-west-2:111122223333:key/*',
      '1234abcd-12ab-34cd-56ef-1234567890ab',
    ]) {
      expect(() => read({ sopsKmsKeys: [KEY, bad] }), bad).toThrow(/sopsKmsKeys\.1: is not a KMS key ARN/);
    }
    expect(() => read({ sopsAge: 'yes' })).toThrow(/sopsAge/);
  });

  it('refuses the same in an embedding app, naming the entry', () => {
    expect(() => embedded(() => ({ kmsKeyArns: ['arn:aws:kms:us-west-2:111122223333:alias/ExampleAlias'] }))).toThrow(/sops\.kmsKeyArns\[0\] .*alias/);
  });
});

describe('SopsKeys: age identities', () => {
  it('creates driftless/sops-age with a literal placeholder, retained, and names it to the worker alone', () => {
    const { template } = synthStack({ sopsAge: true });
    const id = logicalIdOf(template, 'AWS::SecretsManager::Secret', 'SopsKeys');
    const secret = resources(template)[id] as Cfn;
    expect(secret.Properties.Name).toBe('driftless/sops-age');
    // A generated value would be written again if the resource were ever replaced.
    expect(secret.Properties).not.toHaveProperty('GenerateSecretString');
    expect(typeof secret.Properties.SecretString).toBe('string');
    expect(secret.DeletionPolicy).toBe('Retain');
    expect(secret.UpdateReplacePolicy).toBe('Retain');

    expect(env(template, 'SyncWorker')[AGE_ENV]).toEqual({ Ref: id });
    expect(env(template, 'WebhookHandler')).not.toHaveProperty(AGE_ENV);
    expect(env(template, 'DriftScanHandler')).not.toHaveProperty(AGE_ENV);

    const onSecret = iamStatements(template.toJSON() as never).filter((statement) => statement.resources.includes(`<${id}>`));
    expect(onSecret.flatMap((statement) => statement.roles)).toEqual([expect.stringMatching(/^<DriftlessSyncWorkerRole[0-9A-F]{8}>$/)]);
    expect(onSecret.flatMap((statement) => statement.actions)).toContain('secretsmanager:GetSecretValue');
    expect(onSecret.flatMap((statement) => statement.actions).every((action) => /^secretsmanager:(GetSecretValue|DescribeSecret)$/.test(action))).toBe(true);

    const outputs = Object.values(template.toJSON().Outputs as Record<string, Cfn>).map((output) => render(output.Value));
    expect(outputs).toContain(`<${id}>`);
  });

  it('holds a placeholder the worker reads as no identity, not as an error', async () => {
    const { template } = synthStack({ sopsAge: true });
    const placeholder = (resources(template)[logicalIdOf(template, 'AWS::SecretsManager::Secret', 'SopsKeys')] as Cfn).Properties.SecretString as string;
    // Comments only: nothing in it is an identity line.
    expect(
      placeholder
        .split('\n')
        .filter((line) => line.trim() !== '')
        .every((line) => line.startsWith('#')),
    ).toBe(true);
    const open = ageOpener(() => Promise.resolve([placeholder]));
    // The age spec's example recipient: no identity answers to it, so the opener passes.
    await expect(open({ recipient: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p', enc: '' })).resolves.toBeUndefined();
  });

  it('creates no secret when an embedding app gives its own, and names that one', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:platform/age-AbC123';
    const template = embedded((stack) => ({ ageSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Age', arn) }));
    expect(Object.values(resources(template)).map((r) => r.Properties?.Name)).not.toContain('driftless/sops-age');
    expect(env(template, 'SyncWorker')[AGE_ENV]).toBe(arn);
  });

  it('creates nothing for sopsAge: false', () => {
    const { template } = synthStack({ sopsAge: false });
    expect(Object.values(resources(template)).map((r) => r.Properties?.Name)).not.toContain('driftless/sops-age');
    expect(env(template, 'SyncWorker')).not.toHaveProperty(AGE_ENV);
  });
});
