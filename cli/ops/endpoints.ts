// Where the backend is, in this order:
//   1. the environment: STATE_TABLE and SYNC_QUEUE_URL set (a Lambda-like shell, tests, CI);
//   2. local mode: --local, or .driftless/local/endpoints.json in the current directory
//      (written by `npm start`: the env vars of the embedded services);
//   3. a deployed stack: the outputs of CloudFormation stack --stack (default Driftless).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Environment } from '../../shared/runtime/environment.ts';
import { describeStackOutputs } from './cloudformation.ts';
import { BackendError } from './errors.ts';

export const LOCAL_ENDPOINTS_FILE = join('.driftless', 'local', 'endpoints.json');
/** infra/app.ts names the stack from the `stackName` context, default Driftless. */
export const DEFAULT_STACK = 'Driftless';

export interface EndpointOptions {
  local?: boolean;
  stack?: string;
  region?: string;
  /** Default: process.cwd(). */
  cwd?: string;
  /** Default: process.env. */
  env?: Environment;
}

export interface Endpoints {
  source: 'environment' | 'local' | 'stack';
  /** STATE_TABLE, SYNC_QUEUE_URL, RENDER_BUCKET, AWS_* and, when known, GITHUB_SECRET(_ARN). */
  env: Environment;
  /** For messages: "local mode (…/endpoints.json)", "stack Driftless in eu-west-1". */
  description: string;
}

export async function resolveEndpoints(options: EndpointOptions = {}): Promise<Endpoints> {
  const env = options.env ?? process.env;
  if (!options.local && !options.stack && env.STATE_TABLE && env.SYNC_QUEUE_URL) {
    return { source: 'environment', env: { ...env }, description: `table ${env.STATE_TABLE} from the environment` };
  }
  const file = join(options.cwd ?? process.cwd(), LOCAL_ENDPOINTS_FILE);
  if (!options.stack) {
    const local = await readLocalEndpoints(file, options.local === true);
    if (local) return { source: 'local', env: { ...env, ...local }, description: `local mode (${file})` };
  }
  const stack = options.stack ?? DEFAULT_STACK;
  const { region, outputs } = await describeStackOutputs({ stack, region: options.region, env });
  const missing = ['StateTableName', 'SyncQueueUrl'].filter((key) => !outputs[key]);
  if (missing.length > 0) throw new BackendError(`stack ${stack} in ${region} has no output ${missing.join(' or ')}: it predates this CLI, redeploy it with npx cdk deploy`);
  return {
    source: 'stack',
    env: {
      ...env,
      AWS_REGION: region,
      STATE_TABLE: outputs.StateTableName,
      SYNC_QUEUE_URL: outputs.SyncQueueUrl,
      RENDER_BUCKET: outputs.RenderBucketName,
      GITHUB_SECRET_ARN: env.GITHUB_SECRET_ARN ?? outputs.GitHubSecretArn,
    },
    description: `stack ${stack} in ${region}`,
  };
}

async function readLocalEndpoints(file: string, required: boolean): Promise<Environment | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BackendError(`local mode is not running here: ${file} does not exist; start it with npm start (in the project folder) or run this command there`);
    throw new BackendError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BackendError(`${file} is not valid JSON: delete it and restart npm start`, { cause: error });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new BackendError(`${file} must hold an object of environment variables: delete it and restart npm start`);
  const env = Object.fromEntries(Object.entries(parsed).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
  const missing = ['STATE_TABLE', 'SYNC_QUEUE_URL'].filter((key) => !env[key]);
  if (missing.length > 0) throw new BackendError(`${file} lacks ${missing.join(' and ')}: delete it and restart npm start`);
  return env;
}
