// What every operating command shares: the backend flags, opening the backend, and turning
// failures into a message on stderr and the documented exit code.
import { RollbackRefusedError } from '../../shared/ops/errors.ts';
import { UsageError } from '../errors.ts';
import { backendFailure, openBackend, type Backend } from './backend.ts';
import type { EndpointOptions } from './endpoints.ts';
import { EXIT_CODES_HELP, OpsError } from './errors.ts';

export const backendFlags = {
  output: { type: 'string', short: 'o' },
  local: { type: 'boolean' },
  stack: { type: 'string' },
  region: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const BACKEND_HELP = `Backend: STATE_TABLE and SYNC_QUEUE_URL from the environment when both are set (and neither
--local nor --stack is given); else local mode (--local, or .driftless/local/endpoints.json
written by npm start in the current directory); else the outputs of the CloudFormation stack
--stack NAME (default Driftless) in --region (default: AWS_REGION or the profile's), read
with the standard AWS credential chain.
  -o, --output json   machine-readable output instead of tables
${EXIT_CODES_HELP}`;

export interface BackendFlagValues {
  output?: string;
  local?: boolean;
  stack?: string;
  region?: string;
}

/** True for --output json; a usage error for any other value but "table". */
export function jsonOutput(values: BackendFlagValues): boolean {
  if (values.output === undefined || values.output === 'table') return false;
  if (values.output === 'json') return true;
  throw new UsageError(`--output must be json or table, got "${values.output}"`);
}

export function endpointOptions(values: BackendFlagValues): EndpointOptions {
  return { local: values.local, stack: values.stack, region: values.region };
}

/** Runs `fn` against the backend; AWS and network failures become BackendErrors (exit 3). */
export async function withBackend<T>(values: BackendFlagValues, fn: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = await openBackend(endpointOptions(values)).catch((error: unknown) => {
    throw backendFailure(error, undefined);
  });
  try {
    return await fn(backend);
  } catch (error) {
    throw backendFailure(error, backend.endpoints);
  } finally {
    backend.close();
  }
}

/** The command's body, with its errors printed as `driftless NAME: message` and their exit code. */
export async function runOps(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof OpsError) {
      process.stderr.write(`driftless ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof RollbackRefusedError) {
      process.stderr.write(`driftless ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
