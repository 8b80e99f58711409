// How the functions reach GitHub: two secrets, so the function facing the internet holds
// nothing that can call GitHub (the webhook reads the HMAC key and only that; the worker and
// the drift scan read the credentials and not the HMAC key), and the config repository.
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { DriftlessFunction } from './driftless-function.ts';

export interface ConfigRepository {
  /** https URL of the repository holding the registry (`driftless/` and Argo CD Applications). */
  readonly url: string;
  /** Default `main`. */
  readonly branch?: string;
  /** Folder of our own kinds in that repository. Default `driftless`. */
  readonly dir?: string;
}

export interface GithubConnectionProps {
  /** The GitHub credentials: JSON `{ token }` or `{ appId, privateKey, installationId }`. */
  readonly secret: secretsmanager.ISecret;
  /** The webhook's HMAC key: JSON `{ webhookSecret }`. Must be another secret than `secret`. */
  readonly webhookSecret: secretsmanager.ISecret;
  readonly configRepository: ConfigRepository;
}

export class GithubConnection extends Construct {
  declare readonly secret: secretsmanager.ISecret;
  declare readonly webhookSecret: secretsmanager.ISecret;
  declare readonly configRepository: Required<ConfigRepository>;

  constructor(scope: Construct, id: string, props: GithubConnectionProps) {
    super(scope, id);
    if (!/^https:\/\/\S+$/.test(props.configRepository.url)) {
      throw new Error(`configRepository.url must be an https URL of a GitHub repository, got "${props.configRepository.url}".`);
    }
    if (props.secret === props.webhookSecret || props.secret.secretArn === props.webhookSecret.secretArn) {
      throw new Error('github.secret and github.webhookSecret must be two secrets: the webhook may read its HMAC key, never the GitHub credentials.');
    }
    this.secret = props.secret;
    this.webhookSecret = props.webhookSecret;
    this.configRepository = {
      url: props.configRepository.url,
      branch: props.configRepository.branch ?? 'main',
      dir: props.configRepository.dir ?? 'driftless',
    };
  }

  /**
   * For the functions that call GitHub (worker, drift scan): grants read of the credentials
   * secret (and decrypt through its key, when it has a customer managed one) and sets
   * GITHUB_SECRET_ARN and the CONFIG_REPO_* variables.
   */
  bind(fn: DriftlessFunction): void {
    this.secret.grantRead(fn);
    fn.addEnvironment('GITHUB_SECRET_ARN', this.secret.secretArn);
    this.#bindConfigRepository(fn);
  }

  /** For the webhook: grants read of the webhook secret alone and sets WEBHOOK_SECRET_ARN and CONFIG_REPO_*. */
  bindWebhook(fn: DriftlessFunction): void {
    this.webhookSecret.grantRead(fn);
    fn.addEnvironment('WEBHOOK_SECRET_ARN', this.webhookSecret.secretArn);
    this.#bindConfigRepository(fn);
  }

  #bindConfigRepository(fn: DriftlessFunction): void {
    fn.addEnvironment('CONFIG_REPO_URL', this.configRepository.url);
    fn.addEnvironment('CONFIG_REPO_BRANCH', this.configRepository.branch);
    fn.addEnvironment('CONFIG_DIR', this.configRepository.dir);
  }
}
