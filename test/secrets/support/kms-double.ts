// AWS KMS at the protocol level, for tests: an HTTP server speaking KMS's JSON 1.1 protocol
// (POST /, `X-Amz-Target: TrentService.Decrypt`, base64 blobs), as the AWS SDK v3 client calls
// it. It "encrypts" by remembering: each ciphertext it hands out stands for a plaintext under
// one key ARN and encryption context, and Decrypt answers KMS's own errors otherwise
// (IncorrectKeyException for another KeyId, InvalidCiphertextException for another context or
// an unknown blob, AccessDeniedException for a key the caller may not use).
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally, readBody } from '../../support/http.ts';

interface Wrapped {
  arn: string;
  plaintext: Buffer;
  context: Record<string, string>;
}

export interface KmsDouble {
  endpoint: string;
  /** A ciphertext (base64, as sops stores it in `enc`) of `plaintext` under `arn`. */
  wrap(arn: string, plaintext: Uint8Array, context?: Record<string, string>): string;
  /** Keys Decrypt refuses with AccessDeniedException, as a key policy without this caller does. */
  deny(arn: string): void;
  /** Every Decrypt request, as sent. */
  requests: Array<{ target: string; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export async function startKmsDouble(): Promise<KmsDouble> {
  const wrapped = new Map<string, Wrapped>();
  const denied = new Set<string>();
  const requests: KmsDouble['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
    requests.push({ target, body });
    const fail = (type: string, message: string) => {
      res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: type, message }));
    };
    if (target !== 'TrentService.Decrypt') return fail('UnknownOperationException', `${target} is not served by this double`);
    const entry = wrapped.get(String(body.CiphertextBlob));
    if (!entry) return fail('InvalidCiphertextException', 'the ciphertext is not one this KMS made');
    if (body.KeyId !== undefined && body.KeyId !== entry.arn) return fail('IncorrectKeyException', 'the ciphertext was not encrypted under the KeyId');
    if (denied.has(entry.arn)) return fail('AccessDeniedException', `not authorized to perform kms:Decrypt on ${entry.arn}`);
    if (JSON.stringify(sorted(body.EncryptionContext)) !== JSON.stringify(sorted(entry.context)))
      return fail('InvalidCiphertextException', 'the encryption context does not match');
    res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ KeyId: entry.arn, Plaintext: entry.plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }));
  });
  const port = await listenLocally(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    wrap(arn, plaintext, context = {}) {
      const blob = randomBytes(64).toString('base64');
      wrapped.set(blob, { arn, plaintext: Buffer.from(plaintext), context });
      return blob;
    },
    deny: (arn) => denied.add(arn),
    requests,
    stop: () => closeServer(server),
  };
}

function sorted(context: unknown): Array<[string, unknown]> {
  return Object.entries((context as Record<string, unknown> | undefined) ?? {}).sort(([a], [b]) => a.localeCompare(b));
}
