// Argo CD's `spec.templatePatch`: a goTemplate rendered with the element's parameters (with
// the rest of the batch, go-template.ts), whose YAML or JSON is merged into the generated
// Application the way Argo CD merges it (ApplyPatchTemplate):
// - a mapping is a strategic merge patch on the Application type: mappings merge key by key,
//   `null` deletes a key, and a list replaces the list it patches — the Application's lists
//   (spec.sources, helm valueFiles, syncOptions, ignoreDifferences …) carry no merge strategy —
//   except the two ObjectMeta lists that have one: metadata.finalizers (a set: the patch's
//   entries are added) and metadata.ownerReferences (merged by uid). The patch directives
//   `$patch: replace | delete | merge`, `$retainKeys` and `$deleteFromPrimitiveList/<list>`
//   work as in Kubernetes; `$setElementOrder/<list>` only orders, and is dropped;
// - a list is a JSON patch (RFC 6902: add, remove, replace, move, copy, test), which Argo CD
//   documents as `json+patch` for patching inside lists such as spec.sources;
// - an empty result (a patch whose every line sat in a false `if`) changes nothing.
// `spec.project` cannot be patched: Argo CD documents it as unsupported, and a parameter that
// could move an Application into another project is the injection its docs warn about.
import type { BadInputMark } from '../errors/bad-input.ts';
import { ManifestSyntaxError } from '../render/errors.ts';
import { parseYamlStream, type ParsedDocument } from '../render/parse.ts';

const FIELD = 'spec.templatePatch';

/** The rendered templatePatch cannot be applied: the set's author's to fix. */
export class TemplatePatchError extends Error implements BadInputMark {
  readonly badInput: boolean = true;
  constructor(detail: string, options?: ErrorOptions) {
    super(`${FIELD}: ${detail}`, options);
    this.name = 'TemplatePatchError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The Application with `patchText` (the rendered templatePatch) applied; `application` is not changed. */
export function applyTemplatePatch(application: Record<string, unknown>, patchText: string): Record<string, unknown> {
  const patch = parsePatch(patchText);
  if (patch === null) return structuredClone(application);
  const original = structuredClone(application) as JsonObject;
  if (Array.isArray(patch)) {
    const project = projectOf(original);
    const patched = applyJsonPatch(original, patch);
    if (!isObject(patched)) throw new TemplatePatchError('the JSON patch does not leave an Application (a mapping)');
    if (projectOf(patched) !== project) throw projectRefused();
    return patched;
  }
  if (!isObject(patch))
    throw new TemplatePatchError(
      `the rendered patch is a ${typeOf(patch)}; it must be a mapping (merged into the Application) or a list of JSON patch operations`,
    );
  if (isObject(patch.spec) && 'project' in patch.spec) throw projectRefused();
  return (mergeObject(original, patch, []) ?? {}) as Record<string, unknown>;
}

function parsePatch(text: string): Json {
  // parseYamlStream, not the cached parse of files: the text holds parameters, kept off disk.
  let documents: ParsedDocument[];
  try {
    documents = parseYamlStream(text, FIELD);
  } catch (error) {
    if (!(error instanceof ManifestSyntaxError)) throw error;
    throw new TemplatePatchError(`the rendered patch is not YAML or JSON: ${error.message}\n${excerpt(text)}`, { cause: error });
  }
  const values = documents.filter((document) => document.value !== null);
  if (values.length > 1) throw new TemplatePatchError(`the rendered patch holds ${values.length} YAML documents; it must be one`);
  return (values[0]?.value ?? null) as Json;
}

function excerpt(text: string): string {
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

function projectRefused(): TemplatePatchError {
  return new TemplatePatchError('spec.project cannot be patched (Argo CD does not support it); set spec.template.spec.project instead');
}

function projectOf(application: JsonObject): string | undefined {
  return JSON.stringify(isObject(application.spec) ? application.spec.project : undefined);
}

// ---- strategic merge patch ----

/** Lists of the Application type with a merge strategy: ObjectMeta's (k8s.io/apimachinery's patchStrategy tags). */
const MERGE_LISTS: ReadonlyMap<string, { key?: string }> = new Map([
  ['metadata.finalizers', {}],
  ['metadata.ownerReferences', { key: 'uid' }],
]);

const DELETE_FROM = '$deleteFromPrimitiveList/';
const ELEMENT_ORDER = '$setElementOrder/';

/** `original` with `patch` merged in; undefined when the patch deletes it (`$patch: delete`). */
function mergeObject(original: JsonObject, patch: JsonObject, path: string[]): JsonObject | undefined {
  const directive = patch.$patch;
  if (directive !== undefined && directive !== 'replace' && directive !== 'delete' && directive !== 'merge') {
    throw new TemplatePatchError(`${where(path)}: $patch: ${JSON.stringify(directive)} is not a patch directive (replace, delete or merge)`);
  }
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return withoutDirectives(patch) as JsonObject;
  let result: JsonObject = { ...original };
  const retain = patch.$retainKeys;
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new TemplatePatchError(`${where(path)}: $retainKeys must be a list of keys`);
    const kept = new Set(retain.map(String));
    result = Object.fromEntries(Object.entries(result).filter(([key]) => kept.has(key)));
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(ELEMENT_ORDER)) continue;
    if (key.startsWith(DELETE_FROM)) {
      const list = key.slice(DELETE_FROM.length);
      const current = result[list];
      if (Array.isArray(current) && Array.isArray(value)) {
        const removed = new Set(value.map((item) => JSON.stringify(item)));
        result[list] = current.filter((item) => !removed.has(JSON.stringify(item)));
      }
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const merged = mergeValue(result[key], value, [...path, key]);
    if (merged === undefined) delete result[key];
    else result[key] = merged;
  }
  return result;
}

function mergeValue(original: Json | undefined, patch: Json, path: string[]): Json | undefined {
  if (isObject(patch)) return isObject(original) ? mergeObject(original, patch, path) : (withoutDirectives(patch) ?? undefined);
  if (Array.isArray(patch)) {
    const strategy = MERGE_LISTS.get(path.join('.'));
    if (strategy && Array.isArray(original)) return mergeList(original, patch, strategy.key, path);
    return withoutDirectives(patch) as Json;
  }
  return patch;
}

/** A merge-strategy list: primitives are a set (the patch's new ones appended); mappings are merged by `key`. */
function mergeList(original: Json[], patch: Json[], key: string | undefined, path: string[]): Json[] {
  if (key === undefined) {
    const result = [...original];
    const seen = new Set(original.map((item) => JSON.stringify(item)));
    for (const item of patch) {
      const text = JSON.stringify(item);
      if (seen.has(text)) continue;
      seen.add(text);
      result.push(item);
    }
    return result;
  }
  const result = [...original];
  for (const item of patch) {
    if (!isObject(item) || item[key] === undefined) throw new TemplatePatchError(`${where(path)}: every entry must have its merge key "${key}"`);
    const at = result.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
    if (item.$patch === 'delete') {
      if (at >= 0) result.splice(at, 1);
      continue;
    }
    if (at < 0) result.push(withoutDirectives(item) as Json);
    else result[at] = mergeObject(result[at] as JsonObject, item, path) ?? result[at];
  }
  return result;
}

/** A patch value put where nothing was: its directives and nulls mean nothing there. */
function withoutDirectives(value: Json): Json | undefined {
  if (Array.isArray(value)) return value.map((item) => withoutDirectives(item) ?? null);
  if (!isObject(value)) return value;
  if (value.$patch === 'delete') return undefined;
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$') || item === null) continue;
    const kept = withoutDirectives(item);
    if (kept !== undefined) result[key] = kept;
  }
  return result;
}

function where(path: string[]): string {
  return path.length === 0 ? 'the patch' : path.join('.');
}

// ---- JSON patch (RFC 6902) ----

function applyJsonPatch(document: Json, operations: Json[]): Json {
  let current = document;
  operations.forEach((operation, index) => {
    const at = `operation ${index} (${JSON.stringify(operation)})`;
    if (!isObject(operation) || typeof operation.op !== 'string' || typeof operation.path !== 'string') {
      throw new TemplatePatchError(`${at}: a JSON patch operation is a mapping with "op" and "path"`);
    }
    const path = pointer(operation.path, at);
    const needsValue = operation.op === 'add' || operation.op === 'replace' || operation.op === 'test';
    if (needsValue && !('value' in operation)) throw new TemplatePatchError(`${at}: "${operation.op}" needs a "value"`);
    const value = operation.value as Json;
    const from = (): string[] => {
      if (typeof operation.from !== 'string') throw new TemplatePatchError(`${at}: "${operation.op}" needs a "from"`);
      return pointer(operation.from, at);
    };
    switch (operation.op) {
      case 'add':
        current = add(current, path, structuredClone(value), at);
        break;
      case 'remove':
        current = remove(current, path, at).document;
        break;
      case 'replace':
        current = add(remove(current, path, at).document, path, structuredClone(value), at);
        break;
      case 'move': {
        const source = from();
        if (path.length > source.length && source.every((token, i) => token === path[i]))
          throw new TemplatePatchError(`${at}: cannot move a value into itself`);
        const taken = remove(current, source, at);
        current = add(taken.document, path, taken.value, at);
        break;
      }
      case 'copy':
        current = add(current, path, structuredClone(get(current, from(), at)), at);
        break;
      case 'test':
        if (JSON.stringify(canonical(get(current, path, at))) !== JSON.stringify(canonical(value))) {
          throw new TemplatePatchError(`${at}: test failed: ${operation.path} is ${JSON.stringify(get(current, path, at))}`);
        }
        break;
      default:
        throw new TemplatePatchError(`${at}: "${operation.op}" is not a JSON patch operation (add, remove, replace, move, copy, test)`);
    }
  });
  return current;
}

function pointer(text: string, at: string): string[] {
  if (text === '') return [];
  if (!text.startsWith('/')) throw new TemplatePatchError(`${at}: "${text}" is not a JSON pointer (it starts with /)`);
  return text
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(document: Json, path: string[], at: string): Json {
  let node = document;
  for (const token of path.slice(0, -1)) {
    const next = child(node, token);
    if (next === undefined) throw new TemplatePatchError(`${at}: /${path.join('/')} does not exist`);
    node = next;
  }
  return node;
}

function child(node: Json, token: string): Json | undefined {
  if (Array.isArray(node)) return /^(0|[1-9][0-9]*)$/.test(token) ? node[Number(token)] : undefined;
  if (isObject(node)) return Object.hasOwn(node, token) ? node[token] : undefined;
  return undefined;
}

function get(document: Json, path: string[], at: string): Json {
  if (path.length === 0) return document;
  const value = child(parentOf(document, path, at), path[path.length - 1]);
  if (value === undefined) throw new TemplatePatchError(`${at}: /${path.join('/')} does not exist`);
  return value;
}

function add(document: Json, path: string[], value: Json, at: string): Json {
  if (path.length === 0) return value;
  const parent = parentOf(document, path, at);
  const token = path[path.length - 1];
  if (Array.isArray(parent)) {
    const index = token === '-' ? parent.length : /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : -1;
    if (index < 0 || index > parent.length) throw new TemplatePatchError(`${at}: index ${token} is outside the list at /${path.slice(0, -1).join('/')}`);
    parent.splice(index, 0, value);
  } else if (isObject(parent)) {
    parent[token] = value;
  } else {
    throw new TemplatePatchError(`${at}: /${path.slice(0, -1).join('/')} is not a mapping or a list`);
  }
  return document;
}

function remove(document: Json, path: string[], at: string): { document: Json; value: Json } {
  if (path.length === 0) throw new TemplatePatchError(`${at}: cannot remove the whole Application`);
  const parent = parentOf(document, path, at);
  const token = path[path.length - 1];
  const value = child(parent, token);
  if (value === undefined) throw new TemplatePatchError(`${at}: /${path.join('/')} does not exist`);
  if (Array.isArray(parent)) parent.splice(Number(token), 1);
  else delete (parent as JsonObject)[token];
  return { document, value };
}

/** Mappings with their keys sorted, so `test` compares values, not key order. */
function canonical(value: Json): Json {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical(value[key])]),
  );
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : typeof value;
}
