// Errors of the operating commands (apps, sync APP, rollback, ...), each with the exit code it
// ends the command with. Bad flags stay UsageError (cli/errors.ts, exit 2); an app, cluster or
// revision not found and a refused request are the shared operations' errors
// (shared/operations/errors.ts), which onBackend ends with exit 2.
import { CliError } from '../errors.ts';

/** The exit codes every operating command documents. */
export const EXIT = {
  /** Done; the targets shown or followed are fine. */
  ok: 0,
  /** The thing failed: a sync failed, a target is unhealthy, a cluster check failed. */
  failed: 1,
  /** Bad input: unknown flag, app or cluster not found, a refused rollback. */
  usage: 2,
  /** The backend cannot be reached: no credentials, no stack, local mode not running. */
  backend: 3,
} as const;

export const EXIT_CODES_HELP = `Exit codes: 0 ok, 1 failed (sync failed, unhealthy, check failed), 2 bad input or not found,
3 cannot reach the backend (credentials, stack, local mode).
`;

export class OpsError extends CliError {
  readonly exitCode: number;
  constructor(message: string, exitCode: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OpsError';
    this.exitCode = exitCode;
  }
}

/** The state table, queue or stack cannot be reached or read. Exit 3. */
export class BackendError extends OpsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, EXIT.backend, options);
    this.name = 'BackendError';
  }
}

export const NO_CREDENTIALS_HINT =
  'configure AWS credentials (aws configure / AWS_PROFILE) or run npm start for local mode (started with --state-dir DIR: pass --state-dir DIR or set DRIFTLESS_STATE_DIR=DIR)';

export class NoCredentialsError extends BackendError {
  constructor(detail: string, options?: ErrorOptions) {
    super(`no AWS credentials found (${detail}): ${NO_CREDENTIALS_HINT}`, options);
    this.name = 'NoCredentialsError';
  }
}

export class StackNotFoundError extends BackendError {
  constructor(stack: string, region: string, options?: ErrorOptions) {
    super(`no stack ${stack} in region ${region}: deploy with npx cdk deploy or pass --stack NAME (and --region)`, options);
    this.name = 'StackNotFoundError';
  }
}
