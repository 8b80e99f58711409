// Where a tool's stderr becomes the text of an error: the one place it is rewritten to name
// repository paths instead of the worker's folders, and stripped of the inputs' secrets.
import { withRepoPaths } from './paths.ts';
import type { SecretValues } from './redact.ts';

export function toolFailureDetail(message: string, context: { roots: readonly string[]; secrets: SecretValues; prefix: RegExp }): string {
  return context.secrets.redact(withRepoPaths(message, context.roots)).replace(context.prefix, '');
}
