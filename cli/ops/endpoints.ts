// Where the backend is, in this order:
//   1. the environment: STATE_TABLE and SYNC_QUEUE_URL set (a Lambda-like shell, tests, CI);
//   2. local mode: the endpoints.json `npm start` writes into its state folder (the env vars
//      of the embedded services) — in --state-dir DIR or DRIFTLESS_STATE_DIR when given (as
//      `npm start -- --state-dir DIR` was started), else in .driftless/local of the current
//      directory (npm start's default); --local insists on it;
//   3. a deployed stack: the outputs of CloudFormation stack --stack (default Driftless).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Environment } from '../../shared/runtime/environment.ts';
import { UsageError } from '../errors.ts';
import { describeStackOutputs } from './cloudformation.ts';
import { BackendError, StackNotFoundError } from './errors.ts';

/** npm start's default state folder (local/start.ts), relative to the current directory. */
const LOCAL_STATE_DIR = join('.driftless', 'local');
export const LOCAL_ENDPOINTS_FILE = join(LOCAL_STATE_DIR, 'endpoints.json');
/** Names local mode's state folder for every command, as --state-dir does for one. */
export const STATE_DIR_VARIABLE = 'DRIFTLESS_STATE_DIR';
/** What to do when local mode was started with a state folder of its own. */
const STATE_DIR_HINT = `if npm start was given --state-dir DIR, pass --state-dir DIR or set ${STATE_DIR_VARIABLE}=DIR`;
/** infra/app.ts names the stack from the `stackName` context, default Driftless. */
export const DEFAULT_STACK = 'Driftless';

export interface EndpointOptions {
  local?: boolean;
  /** Local mode's state folder (npm start's --state-dir); DRIFTLESS_STATE_DIR when not given. */
  stateDir?: string;
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
  const cwd = options.cwd ?? process.cwd();
  // A state folder named on the command line or in the environment is where local mode is:
  // not finding it there is an error, never a silent turn to AWS.
  const named = options.stateDir?.trim() || env[STATE_DIR_VARIABLE]?.trim() || undefined;
  if (options.stack && options.stateDir) throw new UsageError('--stack and --state-dir name two different backends: pass one of them');
  if (!options.local && !options.stateDir && !options.stack && env.STATE_TABLE && env.SYNC_QUEUE_URL) {
    return { source: 'environment', env: { ...env }, description: `table ${env.STATE_TABLE} from the environment` };
  }
  if (!options.stack) {
    const dir = named ? resolve(cwd, named) : undefined;
    const file = join(dir ?? cwd, dir ? 'endpoints.json' : LOCAL_ENDPOINTS_FILE);
    const local = await readLocalEndpoints(file, dir !== undefined || options.local === true, dir);
    if (local) return { source: 'local', env: { ...env, ...local }, description: `local mode (${file})` };
  }
  const stack = options.stack ?? DEFAULT_STACK;
  const { region, outputs } = await describeStackOutputs({ stack, region: options.region, env }).catch((error: unknown) => {
    // Looked for the default stack only because local mode was not in the current directory.
    if (error instanceof StackNotFoundError && !options.stack)
      throw new BackendError(`${error.message}; for local mode, run this command in the folder npm start runs in (${STATE_DIR_HINT})`, { cause: error });
    throw error;
  });
  const missing = ['StateTableName', 'SyncQueueUrl'].filter((key) => !outputs[key]);
  if (missing.length > 0)
    throw new BackendError(`stack ${stack} in ${region} has no output ${missing.join(' or ')}: it predates this CLI, redeploy it with npx cdk deploy`);
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

/** `dir`: the state folder named by --state-dir or DRIFTLESS_STATE_DIR, if one was. */
async function readLocalEndpoints(file: string, required: boolean, dir: string | undefined): Promise<Environment | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && dir) {
      throw new BackendError(
        `local mode is not running in ${dir}: ${file} does not exist; start it with npm start -- --state-dir ${dir}, or pass the --state-dir npm start was given (or set ${STATE_DIR_VARIABLE})`,
      );
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BackendError(
        `local mode is not running here: ${file} does not exist; start it with npm start (in the project folder) or run this command there; ${STATE_DIR_HINT}`,
      );
    }
    throw new BackendError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BackendError(`${file} is not valid JSON: delete it and restart npm start`, { cause: error });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new BackendError(`${file} must hold an object of environment variables: delete it and restart npm start`);
  const env = Object.fromEntries(Object.entries(parsed).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
  const missing = ['STATE_TABLE', 'SYNC_QUEUE_URL'].filter((key) => !env[key]);
  if (missing.length > 0) throw new BackendError(`${file} lacks ${missing.join(' and ')}: delete it and restart npm start`);
  return env;
}
