// What every operating command shares: the backend flags, the `driftless NAME APP` preamble,
// opening the backend, and turning failures into a message on stderr and the documented exit
// code.
import { UsageError } from '../errors.ts';
import type { Command } from '../main.ts';
import { parseFlags, type Options } from '../options.ts';
import { backendFailure, openBackend, type Backend } from './backend.ts';
import { OperationError } from '../../shared/operations/errors.ts';
import { EXIT, EXIT_CODES_HELP, OpsError } from './errors.ts';
import { backendFlags } from './flags.ts';

export const BACKEND_HELP = `Backend: STATE_TABLE and SYNC_QUEUE_URL from the environment when both are set (and none of
--local, --state-dir, --stack is given); else local mode: the endpoints.json npm start wrote in
--state-dir DIR or DRIFTLESS_STATE_DIR (as npm start -- --state-dir DIR), else in
.driftless/local of the current directory (--local insists on local mode); else the outputs of
the CloudFormation stack --stack NAME (default Driftless) in --region (default: AWS_REGION or
the profile's), read with the standard AWS credential chain.
  -o, --output json   machine-readable output instead of tables
      --state-dir DIR local mode's state folder, as given to npm start -- --state-dir DIR
${EXIT_CODES_HELP}`;

export interface BackendFlagValues {
  output?: string;
  local?: boolean;
  'state-dir'?: string;
  stack?: string;
  region?: string;
}

/** True for --output json; a usage error for any other value but "table". */
export function jsonOutput(values: BackendFlagValues): boolean {
  if (values.output === undefined || values.output === 'table') return false;
  if (values.output === 'json') return true;
  throw new UsageError(`--output must be json or table, got "${values.output}"`);
}

type FlagValues<T extends Options> = ReturnType<typeof parseFlags<typeof backendFlags & T>>['values'];

/**
 * `driftless NAME APP [flags]`: the command's flags beside the backend's, --help printed, and
 * exactly one APP; `run` gets the app's name and the flag values.
 */
export function oneAppCommand<const T extends Options>(help: string, flags: T, run: (app: string, values: FlagValues<T>) => Promise<number>): Command {
  return {
    async run(args) {
      const { values, positionals } = parseFlags(args, { ...backendFlags, ...flags }, true) as {
        values: FlagValues<T> & { help?: boolean };
        positionals: string[];
      };
      if (values.help) {
        process.stdout.write(help);
        return 0;
      }
      if (positionals.length !== 1) throw new UsageError(`expected exactly one APP, got ${positionals.length}`);
      return run(positionals[0], values);
    },
  };
}

/**
 * Runs `body` against the backend the flags name. AWS and network failures become
 * BackendErrors (exit 3); OpsErrors are printed as `driftless NAME: message` and end the
 * command with their exit code, the shared operations' errors (not found, refused) with 2.
 */
export async function onBackend(name: string, values: BackendFlagValues, body: (backend: Backend) => Promise<number>): Promise<number> {
  try {
    return await withBackend(values, body);
  } catch (error) {
    if (!(error instanceof OpsError) && !(error instanceof OperationError)) throw error;
    process.stderr.write(`driftless ${name}: ${error.message}\n`);
    return error instanceof OpsError ? error.exitCode : EXIT.usage;
  }
}

async function withBackend<T>(values: BackendFlagValues, body: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = await openBackend({ local: values.local, stateDir: values['state-dir'], stack: values.stack, region: values.region }).catch(
    (error: unknown) => {
      throw backendFailure(error, undefined);
    },
  );
  try {
    return await body(backend);
  } catch (error) {
    throw backendFailure(error, backend.endpoints);
  } finally {
    backend.close();
  }
}
