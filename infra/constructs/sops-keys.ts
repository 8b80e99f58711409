// The AWS side of SOPS decryption (README "SOPS keys"): the worker, the one function that
// decrypts, may call kms:Decrypt on exactly the KMS keys the stack lists, and reads age
// identities from one Secrets Manager secret (SOPS_AGE_KEY_SECRET_ARN, read by
// shared/secrets/environment.ts). Which of these keys an app may use is still its project's
// rule, checked in the worker before KMS is asked.
import { CfnOutput, RemovalPolicy, SecretValue, Token, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { DriftlessFunction } from './driftless-function.ts';

export const SOPS_AGE_SECRET_NAME = 'driftless/sops-age';

/**
 * A KMS key ARN: IAM matches kms:Decrypt against the key ARN only, never an alias (KMS
 * developer guide, "Specifying KMS keys in IAM policy statements"), and a wildcard would grant
 * more keys than listed. Key ids are UUIDs, or `mrk-` and 32 hex digits for multi-Region keys.
 */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
export const KMS_KEY_ARN_RULE = 'is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>; an alias or a wildcard cannot scope kms:Decrypt)';

// Comments are what the reader skips (shared/secrets/keys/age.ts), so the placeholder is a valid
// value that holds no identity.
const AGE_PLACEHOLDER = '# age identities for Driftless, one AGE-SECRET-KEY-1... a line, as age-keygen writes them\n';

export interface SopsKeysProps {
  /**
   * KMS keys whose SOPS data keys the worker may decrypt (with its own role; a key in another
   * account must also allow the worker role in its key policy). Default: none, no KMS grant.
   */
  readonly kmsKeyArns?: string[];
  /**
   * Where the worker finds age identities: `true` creates `driftless/sops-age` (a placeholder,
   * retained, never overwritten), a secret uses that one. Default: no secret.
   */
  readonly ageSecret?: boolean | secretsmanager.ISecret;
}

export class SopsKeys extends Construct {
  declare readonly kmsKeyArns: string[];
  declare readonly ageSecret: secretsmanager.ISecret | undefined;

  constructor(scope: Construct, id: string, props: SopsKeysProps = {}) {
    super(scope, id);
    this.kmsKeyArns = validateKmsKeyArns(props.kmsKeyArns ?? []);
    this.ageSecret = props.ageSecret === true ? this.#createAgeSecret() : props.ageSecret || undefined;
  }

  /**
   * For the worker: kms:Decrypt on the listed keys alone, and read of the age secret (and
   * decrypt through its key, when it has one) with SOPS_AGE_KEY_SECRET_ARN naming it.
   */
  bind(fn: DriftlessFunction): void {
    // Decrypt only: sops's data key is opened, never made or re-wrapped, in the pipeline.
    if (this.kmsKeyArns.length > 0) fn.allow(['kms:Decrypt'], this.kmsKeyArns);
    if (this.ageSecret) {
      this.ageSecret.grantRead(fn);
      fn.addEnvironment('SOPS_AGE_KEY_SECRET_ARN', this.ageSecret.secretArn);
    }
  }

  // A literal value, not generateSecretString: CloudFormation writes a template's value only when
  // the template changes, so the identities put in by hand are never replaced; the logical id is
  // pinned by test/infra/stateful-ids.test.ts.
  #createAgeSecret(): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, 'AgeSecret', {
      secretName: SOPS_AGE_SECRET_NAME,
      description: 'Driftless SOPS age identities: the AGE-SECRET-KEY-1... lines the worker decrypts with, one a line',
      secretStringValue: SecretValue.unsafePlainText(AGE_PLACEHOLDER),
      // Losing the identities would leave every file encrypted to them unreadable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An age identity is rotated by re-encrypting the files in Git to a new recipient (sops updatekeys); a rotation Lambda cannot do that, so a new identity is put in by hand.',
    });
    new CfnOutput(this, 'AgeSecretArn', {
      value: secret.secretArn,
      description: 'Secret with the age identities the sync worker decrypts SOPS files with (one AGE-SECRET-KEY-1... a line)',
    });
    return secret;
  }
}

function validateKmsKeyArns(arns: string[]): string[] {
  if (!Array.isArray(arns)) throw new Error('sops.kmsKeyArns must be a list of KMS key ARNs.');
  arns.forEach((arn, index) => {
    // A token (a key made in the same app) is a key ARN by construction.
    if (typeof arn === 'string' && Token.isUnresolved(arn)) return;
    if (typeof arn !== 'string' || !KMS_KEY_ARN.test(arn)) throw new Error(`sops.kmsKeyArns[${index}] ${JSON.stringify(arn)} ${KMS_KEY_ARN_RULE}.`);
  });
  return [...new Set(arns)];
}
