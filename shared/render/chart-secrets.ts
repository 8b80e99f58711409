// The Secret values a chart's own files spell out (a Secret template with literal
// `stringData`, a vendored subchart's fixture), so helm's error messages, which quote the
// template around a failure, never carry them into a status or log. Read only when helm
// failed, and best-effort: a file that is not plain YAML (most templates) has nothing to give.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_MANIFEST_BYTES } from './limits.ts';
import { parseYamlStreamUntilError } from './parse.ts';
import { SecretValues } from './redact.ts';

const YAML_FILE = /\.(ya?ml|json)$/i;

export async function chartSecrets(chartDir: string): Promise<SecretValues> {
  const secrets = new SecretValues();
  let budget = MAX_MANIFEST_BYTES;
  const pending = [chartDir];
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) pending.push(path);
      if (!entry.isFile() || !YAML_FILE.test(entry.name)) continue;
      const { size } = await stat(path);
      if (size > budget) continue;
      budget -= size;
      try {
        const { documents } = parseYamlStreamUntilError(await readFile(path, 'utf8'), entry.name);
        for (const { value } of documents) secrets.addFromObject(value);
      } catch {
        // Past a parse limit: helm refused something else; this file just adds no values.
      }
    }
  }
  return secrets;
}
