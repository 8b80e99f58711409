// The git generator, as Argo CD's:
// - directories: every folder of the tree (git-files.ts lists them) matched against each
//   `path` pattern with Go's path.Match (`*` stays within one folder); a folder matched by an
//   `exclude: true` pattern is left out even when another pattern includes it;
// - files: the files matching the include patterns, minus those matching an exclude pattern,
//   in path order, each parsed as YAML (JSON is YAML): a mapping is one parameter set, a list
//   of mappings one per item, an empty file one empty set. With fasttemplate the content is
//   flattened (`a.b.c`, list items `a.0`, leaves written as Go's %v writes them); with
//   goTemplate it stays nested.
// Path parameters, under `<pathParamPrefix>.` when one is set: `path`, `path.basename`,
// `path.basenameNormalized`, `path[n]` (fasttemplate) or `path.segments` (goTemplate), and for
// files `path.filename`, `path.filenameNormalized` (`path` is then the file's folder). Then
// `values`, rendered with those parameters.
import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { matchesGoGlob } from '../../project/glob.ts';
import { AppSetInputError } from '../errors.ts';
import { assertRepositoryPattern, type GitFile } from '../git-files.ts';
import { flattenParams, isPlainObject, sanitizeName } from '../params.ts';
import type { Params } from '../types.ts';
import { withTemplatedValues, type GeneratorContext, type GitGenerator } from './context.ts';

export async function gitParams(generator: GitGenerator, context: GeneratorContext): Promise<Params[]> {
  const goTemplate = context.set.goTemplate;
  const prefix = generator.pathParamPrefix ?? '';
  let paramSets: Params[];
  if (generator.directories?.length) {
    for (const item of generator.directories) assertRepositoryPattern(item.path);
    const all = await context.git.directories(generator.repoURL, generator.revision);
    const chosen = all.filter((path) => included(generator.directories ?? [], path));
    paramSets = chosen.map((path) => pathParams(path, undefined, prefix, goTemplate));
  } else {
    const files = await chosenFiles(generator, context);
    paramSets = files.flatMap((file) => fileObjects(file).map((object) => fileParams(file.path, object, prefix, goTemplate)));
  }
  return withTemplatedValues(paramSets, generator.values, context);
}

function included(patterns: Array<{ path: string; exclude?: boolean }>, path: string): boolean {
  let include = false;
  for (const pattern of patterns) {
    if (!matchesGoGlob(pattern.path, path)) continue;
    if (pattern.exclude) return false;
    include = true;
  }
  return include;
}

async function chosenFiles(generator: GitGenerator, context: GeneratorContext): Promise<GitFile[]> {
  const items = generator.files ?? [];
  const chosen = new Map<string, GitFile>();
  for (const item of items.filter((entry) => !entry.exclude)) {
    for (const file of await context.git.files(generator.repoURL, generator.revision, item.path)) chosen.set(file.path, file);
  }
  for (const item of items.filter((entry) => entry.exclude)) {
    assertRepositoryPattern(item.path);
    for (const file of await context.git.files(generator.repoURL, generator.revision, item.path)) chosen.delete(file.path);
  }
  return [...chosen.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The file's parameter objects: itself when a mapping (or empty), its items when a list of mappings. */
function fileObjects(file: GitFile): Params[] {
  const documents = parseAllDocuments(file.content, { version: '1.1' });
  const first = Array.isArray(documents) ? documents[0] : undefined;
  if (first?.errors.length) throw new AppSetInputError(`unable to parse ${file.path}: ${first.errors[0].message}`);
  let value: unknown;
  try {
    value = first?.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new AppSetInputError(`unable to parse ${file.path}: ${(error as Error).message}`);
  }
  if (value === null || value === undefined) return [{}];
  if (isPlainObject(value)) return [value];
  if (Array.isArray(value) && value.every(isPlainObject)) return value;
  throw new AppSetInputError(`unable to parse ${file.path}: expected a mapping or a list of mappings`);
}

function fileParams(filePath: string, object: Params, prefix: string, goTemplate: boolean): Params {
  const content = goTemplate ? { ...object } : flattenParams(object);
  return { ...content, ...pathParams(posix.dirname(filePath), posix.basename(filePath), prefix, goTemplate) };
}

function pathParams(path: string, filename: string | undefined, prefix: string, goTemplate: boolean): Params {
  const basename = posix.basename(path) || path;
  if (goTemplate) {
    const value: Params = { path, basename, basenameNormalized: sanitizeName(basename), segments: path.split('/') };
    if (filename !== undefined) {
      value.filename = filename;
      value.filenameNormalized = sanitizeName(filename);
    }
    return prefix === '' ? { path: value } : { [prefix]: { path: value } };
  }
  const name = prefix === '' ? 'path' : `${prefix}.path`;
  const params: Params = { [name]: path, [`${name}.basename`]: basename, [`${name}.basenameNormalized`]: sanitizeName(basename) };
  if (filename !== undefined) {
    params[`${name}.filename`] = filename;
    params[`${name}.filenameNormalized`] = sanitizeName(filename);
  }
  path.split('/').forEach((segment, index) => {
    if (segment !== '') params[`${name}[${index}]`] = segment;
  });
  return params;
}
