// A folder of plain manifests, read as Argo CD reads it: only .yaml, .yml and .json files,
// subfolders only with `recurse`, include/exclude globs on the app-relative path, files in
// the order of a depth-first walk sorted by name. A YAML file that does not decode as
// Kubernetes objects is skipped (a values file, a CI config) unless it has some objects or
// mentions apiVersion:, kind: and metadata:, in which case it is an error; a .json file must
// be exactly one object.
import { readFileSync, statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestSyntaxError } from './errors.ts';
import { matchesArgoGlob } from './glob.ts';
import { exceedsNestingDepth, MAX_MANIFEST_BYTES, tooDeep, tooManyBytes } from './limits.ts';
import { parseYamlStreamUntilError } from './parse.ts';
import { repoPath } from './paths.ts';
import type { DirectoryOptions, RawDocument, SkippedFile, SourceOutput } from './types.ts';

const MANIFEST_FILE = /\.(yaml|yml|json)$/;

export async function renderDirectory(dir: string, appPath: string, options: DirectoryOptions = {}): Promise<SourceOutput> {
  const documents: RawDocument[] = [];
  const skippedFiles: SkippedFile[] = [];
  let bytes = 0;
  for (const relPath of await listCandidates(dir, '', options.recurse ?? false, skippedFiles, appPath)) {
    if (options.exclude && matchesArgoGlob(options.exclude, relPath)) continue;
    if (options.include && !matchesArgoGlob(options.include, relPath)) continue;
    const file = repoPath(appPath, relPath);
    // Sizes are known before reading: a huge file is refused before it costs any memory.
    // Synchronous, as its parse is: a small local file is read in microseconds, a tenth of
    // what the thread pool's round trips for a stat and a read cost.
    const { size } = statSync(join(dir, relPath));
    if (size > MAX_MANIFEST_BYTES) throw tooManyBytes(file);
    bytes += size;
    if (bytes > MAX_MANIFEST_BYTES) throw tooManyBytes(file, `brings the app's manifests to ${bytes} bytes, which is`);
    const text = readFileSync(join(dir, relPath), 'utf8');
    const read = relPath.endsWith('.json') ? readJson(text, file) : readYaml(text, file);
    if ('skipped' in read) skippedFiles.push({ file, reason: read.skipped });
    else documents.push(...read.documents);
  }
  return { documents, skippedFiles };
}

async function listCandidates(dir: string, prefix: string, recurse: boolean, skipped: SkippedFile[], appPath: string): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  // Go's filepath.Walk order: byte-wise by name, not locale order.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: string[] = [];
  for (const entry of entries) {
    const relPath = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (recurse) found.push(...(await listCandidates(dir, relPath, recurse, skipped, appPath)));
      continue;
    }
    if (!MANIFEST_FILE.test(entry.name)) continue;
    if (entry.isSymbolicLink()) {
      // Out-of-bounds links were rejected before rendering; what is left may still dangle or name a folder.
      const target = await realpath(join(dir, relPath)).catch(() => undefined);
      if (!target) {
        skipped.push({ file: repoPath(appPath, relPath), reason: 'symlink target does not exist' });
        continue;
      }
      if (!(await stat(target)).isFile()) {
        skipped.push({ file: repoPath(appPath, relPath), reason: 'symlink does not point to a file' });
        continue;
      }
    }
    found.push(relPath);
  }
  return found;
}

type FileRead = { documents: RawDocument[] } | { skipped: string };

function readYaml(text: string, file: string): FileRead {
  const { documents: parsed, error } = parseYamlStreamUntilError(text, file);
  const present = parsed.filter((document) => document.value !== null);
  const hasObjects = present.some((document) => hasKind(document.value));
  if (error) {
    if (hasObjects || looksLikeManifest(text)) throw error;
    return { skipped: `not Kubernetes manifests (${error.message})` };
  }
  if (present.length > 0 && !hasObjects && !looksLikeManifest(text)) {
    return { skipped: 'YAML without Kubernetes objects (no kind)' };
  }
  return {
    documents: present.map((document) => ({
      value: document.value,
      source: { file, document: document.index, line: document.line },
      itemLines: document.itemLines,
    })),
  };
}

function readJson(text: string, file: string): FileRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const line = /\(line (\d+) column \d+\)/.exec((error as Error).message)?.[1];
    throw new ManifestSyntaxError(file, line ? Number(line) : undefined, (error as Error).message, { cause: error });
  }
  const start = text.search(/\S/);
  const line = text.slice(0, Math.max(start, 0)).split('\n').length;
  // JSON.parse does not recurse, but every later walk over the object does.
  if (exceedsNestingDepth(value)) throw tooDeep(file, undefined);
  return { documents: [{ value, source: { file, document: 1, line } }] };
}

// Stricter than Argo CD (which wants all three keys): a top-level `apiVersion:` alone marks an
// attempted manifest, so a document that lost its `kind` is an error, not silently skipped.
function looksLikeManifest(text: string): boolean {
  return /^apiVersion:/m.test(text) || (/^kind:/m.test(text) && /^metadata:/m.test(text));
}

function hasKind(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}
