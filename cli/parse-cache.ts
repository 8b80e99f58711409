// Parsed YAML kept on disk between CLI runs, by the text's hash, as kubectl keeps discovery in
// ~/.kube/cache: parsing is most of what `driftless diff` of a large app spends (the YAML
// parser is slow in a fresh process), and a user diffs the same files again and again. The
// key covers the text and what decides its parse (our parser's source, the yaml package's
// version, Node's serialisation format), so an edit or an upgrade is a miss, never a stale
// answer. Values are stored with v8.serialize, which keeps what YAML can produce (Map and Set
// for !!omap and !!set, bytes for !!binary). Anything that goes wrong is a miss: the cache
// can make a run faster, never fail it. DRIFTLESS_PARSE_CACHE=off turns it off. Only files as
// they were read are kept (the same bytes are in the folder), never a tool's output nor a
// decrypted SOPS value (decryption comes after the render).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { ParseCache, ParsedDocument } from '../shared/render/parse.ts';

/** Texts below this parse faster than a cache file is read and checked. */
const MIN_BYTES = 8 * 1024;
/** Entries written longer ago than this are removed (a run that stores one looks): an entry still used is simply written again. */
const MAX_AGE_MS = 14 * 24 * 3600_000;

export function diskParseCache(env: NodeJS.ProcessEnv = process.env): ParseCache | undefined {
  if (env.DRIFTLESS_PARSE_CACHE === 'off') return undefined;
  const dir = join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'driftless', 'parsed');
  let salt: string;
  try {
    salt = parserIdentity();
  } catch {
    return undefined;
  }
  const pathOf = (text: string) => join(dir, createHash('sha256').update(salt).update('\0').update(text).digest('hex'));
  let stored = 0;
  return {
    get(text) {
      if (text.length < MIN_BYTES) return undefined;
      try {
        return deserialize(readFileSync(pathOf(text))) as ParsedDocument[];
      } catch {
        return undefined;
      }
    },
    set(text, documents) {
      if (text.length < MIN_BYTES) return;
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const path = pathOf(text);
        // Written aside and renamed: a concurrent run reads a whole entry or none.
        const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
        writeFileSync(temporary, serialize(documents), { mode: 0o600 });
        renameSync(temporary, path);
        if (stored++ === 0) prune(dir);
      } catch {
        // A read-only or full disk: no cache this run.
      }
    },
  };
}

/** What decides a parse besides the text: our parser and limits, the yaml package, Node. */
function parserIdentity(): string {
  const hash = createHash('sha256');
  for (const file of ['../shared/render/parse.ts', '../shared/render/limits.ts']) hash.update(readFileSync(new URL(file, import.meta.url)));
  const yamlEntry = fileURLToPath(import.meta.resolve('yaml'));
  hash.update(readFileSync(join(dirname(dirname(yamlEntry)), 'package.json')));
  hash.update(process.version);
  return hash.digest('hex');
}

/** Removes entries older than MAX_AGE_MS, so the folder does not grow with every edit ever made. */
function prune(dir: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs > MAX_AGE_MS) unlinkSync(path);
    } catch {
      // Removed by another run meanwhile.
    }
  }
}
