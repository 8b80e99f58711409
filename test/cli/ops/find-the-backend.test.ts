// How the operating commands find the backend: the environment, local mode's endpoints file,
// or a deployed stack's outputs; and what they say (exit 3) when they cannot.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../../cli/ops/endpoints.ts';
import { startLocalServices, type LocalServices } from '../../../local/services.ts';
import { DynamoStateStore } from '../../../shared/state/dynamo-store.ts';
import { runCli } from '../../support/cli.ts';
import { startCloudFormation, type CloudFormationDouble } from './cloudformation-double.ts';

const SHA = 'a'.repeat(40);
const AWS_VARIABLES = /^(AWS_|STATE_TABLE$|SYNC_QUEUE_URL$|RENDER_BUCKET$|GITHUB_SECRET)/;

let services: LocalServices;
let cloudFormation: CloudFormationDouble;
let dir: string;
const savedEnv = { ...process.env };
const savedCwd = process.cwd();

/** process.env without any AWS or Driftless variable, plus `extra`. */
function setEnv(extra: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (AWS_VARIABLES.test(key)) delete process.env[key];
  Object.assign(
    process.env,
    { AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials') },
    extra,
  );
}

async function writeEndpoints(env: Record<string, string>): Promise<void> {
  await mkdir(join(dir, '.driftless', 'local'), { recursive: true });
  await writeFile(join(dir, '.driftless', 'local', 'endpoints.json'), JSON.stringify(env));
}

beforeAll(async () => {
  services = await startLocalServices();
  cloudFormation = await startCloudFormation();
  const store = new DynamoStateStore({
    client: new DynamoDBClient({
      region: 'us-east-1',
      endpoint: services.env.AWS_ENDPOINT_URL_DYNAMODB,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    tableName: services.env.STATE_TABLE,
  });
  await store.putTargetState({ app: 'api', cluster: 'prod', syncStatus: 'Synced', health: 'Healthy', revision: SHA });
});
afterAll(async () => {
  await Promise.all([services?.stop(), cloudFormation?.close()]);
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftless-backend-'));
  process.chdir(dir);
});
afterEach(async () => {
  process.chdir(savedCwd);
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await rm(dir, { recursive: true, force: true });
});

describe('finding the backend', () => {
  it('takes STATE_TABLE and SYNC_QUEUE_URL from the environment first', async () => {
    const endpoints = await resolveEndpoints({ env: { STATE_TABLE: 't', SYNC_QUEUE_URL: 'q' }, cwd: dir });
    expect(endpoints).toMatchObject({ source: 'environment', env: { STATE_TABLE: 't', SYNC_QUEUE_URL: 'q' } });
  });

  it('uses local mode when npm start left its endpoints file in the current directory', async () => {
    setEnv({});
    await writeEndpoints(services.env);
    const result = await runCli(['apps', '--output', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({ app: 'api', cluster: 'prod', revision: SHA, syncStatus: 'Synced', registered: false }),
    ]);
  });

  it('--local without local mode running says to start it (exit 3)', async () => {
    setEnv({});
    const result = await runCli(['apps', '--local']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/local mode is not running here: .*endpoints\.json does not exist; start it with npm start/);
  });

  it('a stale endpoints file (local mode stopped) is exit 3 with a hint', async () => {
    setEnv({});
    await writeEndpoints({ ...services.env, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
    const result = await runCli(['apps']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/cannot reach local mode .*is npm start still running\?/);
  });

  it('reads the table and queue from the outputs of the deployed stack', async () => {
    cloudFormation.stacks.set('Driftless', {
      StateTableName: services.env.STATE_TABLE,
      SyncQueueUrl: services.env.SYNC_QUEUE_URL,
      RenderBucketName: services.env.RENDER_BUCKET,
      GitHubSecretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:driftless/github-AbCdEf',
    });
    setEnv({
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url,
      AWS_ENDPOINT_URL_DYNAMODB: services.env.AWS_ENDPOINT_URL_DYNAMODB,
      AWS_ENDPOINT_URL_SQS: services.env.AWS_ENDPOINT_URL_SQS,
    });
    const result = await runCli(['apps', '--region', 'us-east-1', '--output', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ app: 'api', revision: SHA })]);
    const request = cloudFormation.requests.at(-1)!;
    expect(request.form.get('StackName')).toBe('Driftless');
    expect(String(request.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d+\/us-east-1\/cloudformation\//);

    const endpoints = await resolveEndpoints({ region: 'us-east-1', cwd: dir });
    expect(endpoints).toMatchObject({
      source: 'stack',
      description: 'stack Driftless in us-east-1',
      env: { RENDER_BUCKET: services.env.RENDER_BUCKET, GITHUB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:driftless/github-AbCdEf' },
    });
  });

  it('a stack that is not there says to deploy it or name another (exit 3)', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url });
    const result = await runCli(['history', 'web', '--stack', 'Driftless-staging', '--region', 'eu-west-1']);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'driftless history: no stack Driftless-staging in region eu-west-1: deploy with npx cdk deploy or pass --stack NAME (and --region)\n',
    );
  });

  it('no AWS credentials at all says how to get some, or to use local mode (exit 3)', async () => {
    setEnv({ AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url });
    const result = await runCli(['apps', '--region', 'eu-west-1']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no AWS credentials found .*configure AWS credentials \(aws configure \/ AWS_PROFILE\) or run npm start for local mode/);
  });

  it('an unknown --output is a usage error (exit 2)', async () => {
    const result = await runCli(['apps', '--output', 'yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--output must be json or table/);
  });
});
