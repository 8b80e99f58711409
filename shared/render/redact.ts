// Secret material the render's inputs hold, kept out of every message a tool prints. helm and
// kustomize repeat input values in their errors (kustomize quotes a secretGenerator literal it
// cannot parse), and a tool's error becomes the sync's status, event and log line. The values
// are collected from the inputs before the tool runs and replaced wherever tool output turns
// into an error message (tool-failure.ts).

/** Shorter values are not redacted: `a` or `no` would garble every message and guard nothing. */
export const MIN_REDACTED_LENGTH = 3;
export const REDACTED = '***';

export class SecretValues {
  readonly #values = new Set<string>();

  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    for (const form of [text, text.trim(), JSON.stringify(text).slice(1, -1)]) {
      if (form.length >= MIN_REDACTED_LENGTH) this.#values.add(form);
    }
  }

  /** A Secret's `data` value is base64: its decoded text is just as secret. */
  addBase64(value: unknown): void {
    this.add(value);
    if (typeof value === 'string' && /^[A-Za-z0-9+/=\s]+$/.test(value)) this.add(Buffer.from(value, 'base64').toString('utf8'));
  }

  /** The values of a Secret object's `data` and `stringData`; anything else is ignored. */
  addFromObject(object: unknown): void {
    if (!isRecord(object) || object.kind !== 'Secret') return;
    if (isRecord(object.data)) Object.values(object.data).forEach((value) => this.addBase64(value));
    if (isRecord(object.stringData)) Object.values(object.stringData).forEach((value) => this.add(value));
  }

  /** `text` with every collected value replaced, longest first so no fragment survives. */
  redact(text: string): string {
    const values = [...this.#values].sort((a, b) => b.length - a.length);
    return values.reduce((message, value) => message.replaceAll(value, REDACTED), text);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
