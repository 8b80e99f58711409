// Every path or URL a kustomization names, checked before kustomize runs, in every
// kustomization the build would load (local bases and components followed recursively).
// kustomize fetches URLs itself (resources over git or HTTP, generator `files` over HTTP) and
// Go's HTTP client never sends loopback addresses through the closed proxy, so a reference to
// `http://127.0.0.1:…` would reach services on the worker; and it loads `../../..` bases from
// anywhere on the disk. So: no URL of any form, no absolute path, nothing whose path or real
// path leaves the checked-out tree. The same walk collects the secret values the inputs hold
// (generator literals and env files, Secret objects), to keep them out of kustomize's errors.
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { findKustomization } from './detect.ts';
import { KustomizeReferenceError } from './errors.ts';
import { MAX_MANIFEST_BYTES, tooManyBytes } from './limits.ts';
import { parseYamlStreamUntilError } from './parse.ts';
import { isInside, toPosix } from './paths.ts';
import type { AppLocation } from './paths.ts';
import { SecretValues } from './redact.ts';

/** How kustomize uses a reference: a resource may be a folder (another kustomization). */
type Use = 'resource' | 'file' | 'folder' | 'plugin' | 'url';

interface Reference {
  field: string;
  value: string;
  use: Use;
}

interface Walk {
  root: string;
  visited: Set<string>;
  secrets: SecretValues;
  bytes: number;
}

/** Checks the kustomization in `app.dir` and all it loads; returns the inputs' secret values. */
export async function checkKustomizeReferences(app: AppLocation): Promise<SecretValues> {
  const walk: Walk = { root: app.root, visited: new Set(), secrets: new SecretValues(), bytes: 0 };
  await visitKustomization(app.dir, walk);
  return walk.secrets;
}

async function visitKustomization(dir: string, walk: Walk): Promise<void> {
  if (walk.visited.has(dir)) return;
  walk.visited.add(dir);
  const name = await findKustomization(dir);
  // No kustomization (or one kustomize cannot parse) is kustomize's to report, in its words.
  if (!name) return;
  const file = join(dir, name);
  const documents = await readDocuments(file, walk, { strict: true });
  const kustomization = documents[0];
  if (!isRecord(kustomization)) return;
  collectGeneratorSecrets(kustomization, walk.secrets);
  for (const reference of kustomizationReferences(kustomization)) {
    await checkReference(reference, dir, file, walk);
  }
  await checkInlinePluginConfigs(kustomization, dir, file, walk);
}

async function checkReference(reference: Reference, dir: string, file: string, walk: Walk): Promise<void> {
  const { field, value, use } = reference;
  const refuse = (problem: string) => new KustomizeReferenceError(repoRelative(file, walk.root), field, value, problem);
  if (use === 'url' || looksRemote(value)) {
    throw refuse('is a remote reference; rendering reads only the checked-out repository, so vendor it into the repository and name its path');
  }
  if (isAbsolute(value)) throw refuse('is an absolute path; name a path relative to the kustomization, inside the repository');
  const target = resolve(dir, value);
  if (!isInside(target, walk.root)) throw refuse('leaves the repository; name a path inside the repository');
  const real = await realpath(target).catch(() => undefined);
  // Missing is kustomize's to report; a host-like first segment that is missing is a URL.
  if (real === undefined) {
    if (looksLikeHost(value)) throw refuse('reads as a remote repository (its first segment is a host name); write ./ before it to mean the local folder');
    return;
  }
  if (!isInside(real, walk.root)) throw refuse(`leads through a symlink to ${real}, outside the repository; name a path inside the repository`);
  const isFolder = (await stat(real)).isDirectory();
  if (isFolder && (use === 'resource' || use === 'plugin')) return visitKustomization(real, walk);
  if (isFolder) return;
  if (use === 'plugin') {
    for (const config of await readDocuments(real, walk, { strict: true })) await checkPluginConfig(config, dir, file, field, walk);
  } else if (use === 'resource' || /\.(ya?ml|json)$/i.test(value)) {
    // Manifests and patches: a Secret among them holds values kustomize may quote back.
    for (const document of await readDocuments(real, walk)) walk.secrets.addFromObject(document);
  }
  if (/\.envs\[\d+\]$|\.env$/.test(field)) collectEnvFile(await readText(real, walk), walk.secrets);
}

/** A generator/transformer/validator configuration: builtin plugins name files and charts too. */
async function checkPluginConfig(config: unknown, dir: string, file: string, field: string, walk: Walk): Promise<void> {
  if (!isRecord(config)) return;
  collectSecretsOf(config, walk.secrets);
  walk.secrets.addFromObject(config);
  for (const reference of pluginReferences(config, field)) await checkReference(reference, dir, file, walk);
}

function kustomizationReferences(k: Record<string, unknown>): Reference[] {
  const refs: Reference[] = [];
  for (const field of ['resources', 'bases', 'components']) refs.push(...strings(k[field], field, 'resource'));
  for (const field of ['crds', 'configurations']) refs.push(...strings(k[field], field, 'file'));
  for (const field of ['generators', 'transformers', 'validators']) {
    list(k[field]).forEach((entry, index) => {
      if (typeof entry !== 'string') return;
      // An entry with a line break is an inline configuration, checked like a file's.
      if (!entry.includes('\n')) refs.push({ field: `${field}[${index}]`, value: entry, use: 'plugin' });
    });
  }
  if (isRecord(k.openapi) && typeof k.openapi.path === 'string') refs.push({ field: 'openapi.path', value: k.openapi.path, use: 'file' });
  list(k.patchesStrategicMerge).forEach((entry, index) => {
    if (typeof entry === 'string' && !entry.includes('\n')) refs.push({ field: `patchesStrategicMerge[${index}]`, value: entry, use: 'file' });
  });
  for (const field of ['patches', 'patchesJson6902', 'replacements']) {
    list(k[field]).forEach((entry, index) => {
      if (isRecord(entry) && typeof entry.path === 'string') refs.push({ field: `${field}[${index}].path`, value: entry.path, use: 'file' });
    });
  }
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    list(k[field]).forEach((entry, index) => refs.push(...generatorSources(entry, `${field}[${index}]`)));
  }
  list(k.helmCharts).forEach((entry, index) => refs.push(...chartSources(entry, `helmCharts[${index}]`)));
  list(k.helmChartInflationGenerator).forEach((entry, index) => refs.push(...chartSources(entry, `helmChartInflationGenerator[${index}]`)));
  if (isRecord(k.helmGlobals)) {
    for (const key of ['chartHome', 'configHome']) {
      const value = k.helmGlobals[key];
      if (typeof value === 'string') refs.push({ field: `helmGlobals.${key}`, value, use: 'folder' });
    }
  }
  return refs;
}

/** Builtin plugin configurations carry the same fields as the kustomization entries they stand for. */
function pluginReferences(config: Record<string, unknown>, field: string): Reference[] {
  const refs = [...generatorSources(config, field), ...chartSources(config, field)];
  if (typeof config.path === 'string') refs.push({ field: `${field}.path`, value: config.path, use: 'file' });
  refs.push(...strings(config.paths, `${field}.paths`, 'file'));
  list(config.replacements).forEach((entry, index) => {
    if (isRecord(entry) && typeof entry.path === 'string') refs.push({ field: `${field}.replacements[${index}].path`, value: entry.path, use: 'file' });
  });
  return refs;
}

function generatorSources(entry: unknown, field: string): Reference[] {
  if (!isRecord(entry)) return [];
  const refs: Reference[] = [];
  list(entry.files).forEach((source, index) => {
    // `[key=]path`: the key names the entry, the rest is what kustomize loads (a path or a URL).
    if (typeof source === 'string') refs.push({ field: `${field}.files[${index}]`, value: source.slice(source.indexOf('=') + 1), use: 'file' });
  });
  refs.push(...strings(entry.envs, `${field}.envs`, 'file'));
  if (typeof entry.env === 'string') refs.push({ field: `${field}.env`, value: entry.env, use: 'file' });
  return refs;
}

function chartSources(entry: unknown, field: string): Reference[] {
  if (!isRecord(entry)) return [];
  const refs: Reference[] = [];
  for (const key of ['repo', 'chartRepoUrl']) {
    const value = entry[key];
    // Any chart repository is a download; rendering never fetches charts.
    if (typeof value === 'string' && value !== '') refs.push({ field: `${field}.${key}`, value, use: 'url' });
  }
  for (const key of ['valuesFile', 'values']) {
    if (typeof entry[key] === 'string') refs.push({ field: `${field}.${key}`, value: entry[key], use: 'file' });
  }
  if (typeof entry.chartHome === 'string') refs.push({ field: `${field}.chartHome`, value: entry.chartHome, use: 'folder' });
  refs.push(...strings(entry.additionalValuesFiles, `${field}.additionalValuesFiles`, 'file'));
  return refs;
}

function collectGeneratorSecrets(k: Record<string, unknown>, secrets: SecretValues): void {
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    for (const entry of list(k[field])) if (isRecord(entry)) collectSecretsOf(entry, secrets);
  }
}

/** Generator, transformer and validator configurations written into the kustomization itself. */
async function checkInlinePluginConfigs(k: Record<string, unknown>, dir: string, file: string, walk: Walk): Promise<void> {
  for (const field of ['generators', 'transformers', 'validators']) {
    for (const [index, entry] of list(k[field]).entries()) {
      if (typeof entry !== 'string' || !entry.includes('\n')) continue;
      const where = `${field}[${index}]`;
      const { documents, error } = parseYamlStreamUntilError(entry, `${repoRelative(file, walk.root)} ${where}`);
      if (error) throw error;
      for (const { value } of documents) await checkPluginConfig(value, dir, file, where, walk);
    }
  }
}

/** `literals: [KEY=value]`: the value, and the whole literal in case the tool quotes it whole. */
function collectSecretsOf(entry: Record<string, unknown>, secrets: SecretValues): void {
  for (const literal of list(entry.literals)) {
    if (typeof literal !== 'string') continue;
    secrets.add(literal);
    const equals = literal.indexOf('=');
    if (equals !== -1) secrets.add(literal.slice(equals + 1).replace(/^(["'])(.*)\1$/s, '$2'));
  }
}

/** `KEY=value` lines of a generator's env file: the values. */
function collectEnvFile(text: string, secrets: SecretValues): void {
  for (const line of text.split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0 && !line.trimStart().startsWith('#')) secrets.add(line.slice(equals + 1));
  }
}

/**
 * Anything kustomize could take for a remote: a scheme (`https:`, `file:`, `git::`, `gh:`),
 * scp-like `user@host:path`, or `//` leading a network path. Host-like first segments
 * (`github.com/org/repo`) are refused only when no such local path exists (checkReference).
 */
export function looksRemote(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(value) || /^[^/:]*@[^/:]*:/.test(value) || value.startsWith('//');
}

function looksLikeHost(value: string): boolean {
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\/./i.test(value);
}

async function readText(path: string, walk: Walk): Promise<string> {
  const { size } = await stat(path);
  walk.bytes += size;
  if (size > MAX_MANIFEST_BYTES || walk.bytes > MAX_MANIFEST_BYTES)
    throw tooManyBytes(repoRelative(path, walk.root), 'brings what the kustomization reads to a size');
  return readFile(path, 'utf8');
}

/**
 * The YAML documents of a file. `strict` (a kustomization, a plugin configuration): a file we
 * cannot read is refused rather than left unchecked for kustomize's parser, which might read
 * it. Otherwise (manifests, read only for their Secrets) the documents before the first error.
 */
async function readDocuments(path: string, walk: Walk, options: { strict?: boolean } = {}): Promise<unknown[]> {
  const { documents, error } = parseYamlStreamUntilError(await readText(path, walk), repoRelative(path, walk.root));
  if (error && options.strict) throw error;
  return documents.map((document) => document.value);
}

function strings(value: unknown, field: string, use: Use): Reference[] {
  return list(value).flatMap((entry, index) => (typeof entry === 'string' ? [{ field: `${field}[${index}]`, value: entry, use }] : []));
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function repoRelative(path: string, root: string): string {
  return toPosix(relative(root, path)) || toPosix(dirname(path));
}
