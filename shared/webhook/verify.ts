// X-Hub-Signature-256 against the raw body, with @octokit/webhooks (constant-time compare).
import { Webhooks } from '@octokit/webhooks';
import { SignatureError } from './errors.ts';

export class SignatureVerifier {
  readonly #webhooks: Webhooks;

  constructor(secret: string) {
    this.#webhooks = new Webhooks({ secret });
  }

  async verify(body: string, signature256: string | undefined, signature1: string | undefined): Promise<void> {
    if (!signature256) {
      throw new SignatureError(
        signature1
          ? 'X-Hub-Signature-256 is missing: only a SHA-1 signature was sent, which Driftless does not accept'
          : 'X-Hub-Signature-256 is missing: set a secret on the GitHub webhook',
      );
    }
    if (!/^sha256=[0-9a-f]{64}$/.test(signature256)) throw new SignatureError('X-Hub-Signature-256 is malformed');
    let valid: boolean;
    try {
      valid = await this.#webhooks.verify(body, signature256);
    } catch {
      valid = false;
    }
    if (!valid) throw new SignatureError('X-Hub-Signature-256 does not match the body: wrong secret, or the body was altered');
  }
}
