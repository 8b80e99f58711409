// Credentials for private Helm repositories and OCI registries: one secret in the shape of
// Argo CD's repository secrets (shared/source/chart/credentials.ts reads it), which only the
// worker reads, since only the worker pulls charts.
import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { DriftlessFunction } from './driftless-function.ts';

const CHART_CREDENTIALS_SECRET_NAME = 'driftless/chart-repositories';

export interface ChartCredentialsProps {
  /**
   * An existing secret holding a JSON list of Argo CD repository secrets' `stringData`
   * (`url`, `username`, `password`, `type`). Default: `driftless/chart-repositories` is created
   * holding `[]` (no private repositories), to be filled in by hand.
   */
  readonly secret?: secretsmanager.ISecret;
  /** Name of the created secret. Default `driftless/chart-repositories`. */
  readonly secretName?: string;
}

export class ChartCredentials extends Construct {
  declare readonly secret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: ChartCredentialsProps = {}) {
    super(scope, id);
    this.secret = props.secret ?? this.#createPlaceholder(props.secretName ?? CHART_CREDENTIALS_SECRET_NAME);
  }

  /** For the worker: grants read of the secret (and decrypt through its key, if it has one) and sets CHART_CREDENTIALS_SECRET_ARN. */
  bind(fn: DriftlessFunction): void {
    this.secret.grantRead(fn);
    fn.addEnvironment('CHART_CREDENTIALS_SECRET_ARN', this.secret.secretArn);
  }

  // An empty list is a valid value: the worker reads it and pulls public charts as before. A
  // literal value, not generateSecretString, so CloudFormation never writes a new value over
  // the credentials put in by hand (it applies a template's value only when the template changes).
  #createPlaceholder(secretName: string): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, 'Secret', {
      secretName,
      description:
        'Driftless chart repository credentials: a JSON list of Argo CD repository secrets\' stringData ({ "url", "username", "password", "type": "helm" })',
      secretStringValue: SecretValue.unsafePlainText('[]'),
      // The credentials put in by hand outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Holds passwords or tokens issued by chart repositories and registries; only they can issue new ones, so a rotation Lambda has nothing to rotate with.',
    });
    return secret;
  }
}
