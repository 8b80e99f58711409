// A project's secrets rules (issue 20): which SOPS master keys its apps' files may be opened
// with, and whether a plain Secret (data or stringData in Git) is a warning or refused. Our
// Project writes them as `spec.decryption.sops` and `spec.plainSecrets`; an AppProject, whose
// spec the Argo CD API server would prune of unknown fields, as annotations:
//   driftless.io/sops-kms-keys:          arn:aws:kms:…:key/…, arn:aws:kms:…
//   driftless.io/sops-age-recipients:    age1…, age1…
//   driftless.io/sops-pgp-fingerprints:  FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4, …
//   driftless.io/plain-secrets:          warn | deny
// (lists separated by commas or whitespace). No key listed: the project allows no decryption.
import type { ArgoAppProject, OurProject } from '../config/schemas.ts';
import type { ProjectSpec } from '../config/types.ts';

export const SOPS_KMS_KEYS_ANNOTATION = 'driftless.io/sops-kms-keys';
export const SOPS_AGE_RECIPIENTS_ANNOTATION = 'driftless.io/sops-age-recipients';
export const SOPS_PGP_FINGERPRINTS_ANNOTATION = 'driftless.io/sops-pgp-fingerprints';
export const PLAIN_SECRETS_ANNOTATION = 'driftless.io/plain-secrets';

export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[\w/+=,.@-]+$/;
export const KMS_KEY_ARN_RULE = 'is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), as sops writes it in sops.kms[].arn';
// Bech32 of an X25519 public key: `age1` and 58 characters of its alphabet.
export const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;
export const AGE_RECIPIENT_RULE = 'is not an age recipient (age1 followed by 58 characters), as age-keygen -y prints it';
export const PGP_FINGERPRINT = /^[0-9A-Fa-f]{40}$/;
export const PGP_FINGERPRINT_RULE = 'is not a PGP fingerprint (40 hex digits), as sops writes it in sops.pgp[].fp';

const LISTS = [
  { annotation: SOPS_KMS_KEYS_ANNOTATION, field: 'kmsKeys', pattern: KMS_KEY_ARN, rule: KMS_KEY_ARN_RULE },
  { annotation: SOPS_AGE_RECIPIENTS_ANNOTATION, field: 'ageRecipients', pattern: AGE_RECIPIENT, rule: AGE_RECIPIENT_RULE },
  { annotation: SOPS_PGP_FINGERPRINTS_ANNOTATION, field: 'pgpFingerprints', pattern: PGP_FINGERPRINT, rule: PGP_FINGERPRINT_RULE },
] as const;

/** Why an AppProject annotation of ours is malformed, or undefined (also for annotations not ours). */
export function secretsAnnotationProblem(key: string, value: string): string | undefined {
  if (key === PLAIN_SECRETS_ANNOTATION) return value === 'warn' || value === 'deny' ? undefined : 'must be warn or deny';
  const list = LISTS.find((entry) => entry.annotation === key);
  if (!list) return undefined;
  const bad = splitList(value).find((item) => !list.pattern.test(item));
  return bad === undefined ? undefined : `${JSON.stringify(bad)} ${list.rule}`;
}

/** The project's secrets fields, as our Project or an AppProject writes them; only the ones set. */
export function secretsRules(raw: OurProject | ArgoAppProject): Pick<ProjectSpec, 'decryption' | 'plainSecrets'> {
  if (raw.kind === 'Project') {
    const spec = (raw as OurProject).spec;
    const result: Pick<ProjectSpec, 'decryption' | 'plainSecrets'> = {};
    if (spec.decryption) result.decryption = { sops: { ...spec.decryption.sops } };
    if (spec.plainSecrets) result.plainSecrets = spec.plainSecrets;
    return result;
  }
  const annotations = raw.metadata.annotations ?? {};
  const result: Pick<ProjectSpec, 'decryption' | 'plainSecrets'> = {};
  const sops: NonNullable<ProjectSpec['decryption']>['sops'] = {};
  for (const list of LISTS) {
    const value = annotations[list.annotation];
    if (value !== undefined) sops[list.field] = splitList(value);
  }
  if (Object.keys(sops).length > 0) result.decryption = { sops };
  const plain = annotations[PLAIN_SECRETS_ANNOTATION];
  if (plain === 'warn' || plain === 'deny') result.plainSecrets = plain;
  return result;
}

function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter((item) => item !== '');
}
