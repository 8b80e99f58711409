// Errors of secret decryption. A SOPS document that cannot be decrypted (no MAC, a wrong
// one, a key the project does not allow, a value that is not sops's format) is the user's to
// fix and carries the bad-input mark: the worker records "cannot sync" and does not retry. A
// key service that cannot be reached (KMS, Secrets Manager) is not: it is retried.
// Messages name the file and never carry a decrypted value or a key.
import type { BadInputMark } from '../errors/bad-input.ts';

export class SecretsError extends Error implements BadInputMark {
  readonly badInput: boolean = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretsError';
  }
}

/** The document is not one this decryptor can open: malformed metadata or values, no or wrong MAC. */
export class SopsFormatError extends SecretsError {
  readonly file: string;
  constructor(file: string, detail: string, options?: ErrorOptions) {
    super(`${file}: SOPS: ${detail}`, options);
    this.name = 'SopsFormatError';
    this.file = file;
  }
}

/** No key the project allows (and this worker holds) opens the document's data key. */
export class SopsKeyError extends SecretsError {
  readonly file: string;
  constructor(file: string, detail: string, options?: ErrorOptions) {
    super(`${file}: SOPS: ${detail}`, options);
    this.name = 'SopsKeyError';
    this.file = file;
  }
}

/** A plain Secret (data or stringData in Git) in a project with `plainSecrets: deny`; nothing was applied. */
export class PlainSecretError extends SecretsError {
  constructor(project: string, secrets: string[], options?: ErrorOptions) {
    // The first line is what a commit status shows.
    super(`project ${project} denies plain Secrets (plainSecrets: deny), nothing was applied; encrypt them with SOPS: ${secrets.join(', ')}`, options);
    this.name = 'PlainSecretError';
  }
}

/** A key service failed (KMS or Secrets Manager unreachable, throttled): ours to retry, not the user's input. */
export class KeyServiceError extends Error implements BadInputMark {
  readonly badInput: boolean = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KeyServiceError';
  }
}
