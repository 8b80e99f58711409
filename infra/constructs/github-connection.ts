// How the functions reach GitHub: the secret with the webhook secret and the credentials, and
// the config repository holding the registry.
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
  /**
   * JSON `{ webhookSecret, token }` or `{ webhookSecret, appId, privateKey, installationId }`.
   */
  readonly secret: secretsmanager.ISecret;
  readonly configRepository: ConfigRepository;
}

export class GithubConnection extends Construct {
  declare readonly secret: secretsmanager.ISecret;
  declare readonly configRepository: Required<ConfigRepository>;

  constructor(scope: Construct, id: string, props: GithubConnectionProps) {
    super(scope, id);
    if (!/^https:\/\/\S+$/.test(props.configRepository.url)) {
      throw new Error(
        `configRepository.url must be an https URL of a GitHub repository, got "${props.configRepository.url}".`,
      );
    }
    this.secret = props.secret;
    this.configRepository = {
      url: props.configRepository.url,
      branch: props.configRepository.branch ?? 'main',
      dir: props.configRepository.dir ?? 'driftless',
    };
  }

  /**
   * Grants read of the secret (and decrypt through its key, when it has a customer managed
   * one) and sets GITHUB_SECRET_ARN and the CONFIG_REPO_* variables.
   */
  bind(fn: DriftlessFunction): void {
    this.secret.grantRead(fn);
    fn.addEnvironment('GITHUB_SECRET_ARN', this.secret.secretArn);
    fn.addEnvironment('CONFIG_REPO_URL', this.configRepository.url);
    fn.addEnvironment('CONFIG_REPO_BRANCH', this.configRepository.branch);
    fn.addEnvironment('CONFIG_DIR', this.configRepository.dir);
  }
}
