// Rendered documents → the objects to apply: Lists flattened, each object checked for the
// fields every later step relies on, namespaces defaulted as Argo CD does (namespaced kinds
// get the destination namespace, cluster-scoped kinds lose any namespace), and duplicates
// refused. Argo CD only warns about a duplicate and applies the last one; here it is an
// error, because which copy wins would otherwise depend on file order.
import { describeObject, groupOf } from '../kube/object.ts';
import type { KubeObject } from '../kube/object.ts';
import { isSopsDocument } from '../secrets/sops/metadata.ts';
import { DuplicateObjectError, InvalidObjectError } from './errors.ts';
import { MAX_OBJECTS, tooManyObjects } from './limits.ts';
import { scopeResolver } from './scope.ts';
import type { IsNamespaced, RawDocument, RenderedObject, SourceLocation } from './types.ts';

export interface NormalizeOptions {
  destinationNamespace: string;
  isNamespaced?: IsNamespaced;
  /** What the objects came from, for the object-count limit's message (the app path). */
  source?: string;
}

const HOOK_ANNOTATIONS = ['driftless.io/hook', 'argocd.argoproj.io/hook', 'helm.sh/hook'];

export function normalize(documents: readonly RawDocument[], options: NormalizeOptions): RenderedObject[] {
  const flattened = documents.flatMap(flattenList);
  if (flattened.length > MAX_OBJECTS) throw tooManyObjects(options.source ?? flattened[0].source.file, flattened.length);
  const rendered = flattened.map(({ value, source }) => ({ object: validate(value, source), source }));
  const objects = rendered.map(({ object }) => object);
  // A SOPS document stays as sops wrote it: its MAC covers every value, a namespace added here
  // too. It is placed once decrypted (shared/secrets/decrypt-rendered.ts), after the cache.
  placeNamespaces(
    objects,
    objects.filter((object) => !isSopsDocument(object)),
    options,
  );
  assertNoDuplicates(rendered);
  return rendered;
}

/**
 * Namespaces defaulted as Argo CD does, on `targets`: namespaced kinds get the destination
 * namespace, cluster-scoped kinds lose any. `all` is the whole render, whose CRDs tell scopes.
 */
export function placeNamespaces(
  all: readonly KubeObject[],
  targets: readonly KubeObject[],
  options: Pick<NormalizeOptions, 'destinationNamespace' | 'isNamespaced'>,
): void {
  const namespaced = scopeResolver(all, options.isNamespaced);
  for (const object of targets) {
    if (!namespaced(groupOf(object.apiVersion), object.kind)) delete object.metadata.namespace;
    else if (!object.metadata.namespace) object.metadata.namespace = options.destinationNamespace;
  }
}

function flattenList(document: RawDocument): Array<{ value: unknown; source: SourceLocation }> {
  const { value, source } = document;
  if (!isMapping(value) || typeof value.kind !== 'string' || !value.kind.endsWith('List')) return [{ value, source }];
  if (value.items === null || value.items === undefined) return [];
  if (!Array.isArray(value.items)) return [{ value, source }];
  return value.items.map((item, position) => ({
    value: item,
    source: { ...source, line: document.itemLines?.[position] ?? source.line },
  }));
}

function validate(value: unknown, source: SourceLocation): KubeObject {
  if (!isMapping(value)) {
    throw new InvalidObjectError(source, `expected a Kubernetes object (a mapping), found ${describeValue(value)}`);
  }
  const missing = (field: string, hint = ''): InvalidObjectError =>
    new InvalidObjectError(source, `${label(value)} has no ${field}${hint}; every object needs apiVersion, kind and metadata.name`, field);
  if (!isNonEmptyString(value.apiVersion)) throw missing('apiVersion');
  if (!isNonEmptyString(value.kind)) throw missing('kind');
  if (value.metadata === undefined || value.metadata === null) throw missing('metadata.name');
  if (!isMapping(value.metadata)) {
    throw new InvalidObjectError(source, `${label(value)} has a metadata that is not a mapping`, 'metadata');
  }
  const { name, generateName, namespace } = value.metadata;
  if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
    throw new InvalidObjectError(source, `${label(value)} has a metadata.namespace that is not a string`, 'metadata.namespace');
  }
  if (!isNonEmptyString(name)) {
    if (!isNonEmptyString(generateName)) throw missing('metadata.name');
    if (!isHook(value.metadata)) {
      throw missing('metadata.name', ' (metadata.generateName is only allowed on hooks, which are created rather than applied)');
    }
  }
  return value as KubeObject;
}

export function assertNoDuplicates(rendered: readonly RenderedObject[]): void {
  const seen = new Map<string, SourceLocation>();
  for (const { object, source } of rendered) {
    // generateName objects get a fresh name each time, so they can never clash.
    if (!object.metadata.name) continue;
    const key = [groupOf(object.apiVersion), object.kind, object.metadata.namespace ?? '', object.metadata.name].join('/');
    const first = seen.get(key);
    if (first) throw new DuplicateObjectError(describeObject(object), first, source);
    seen.set(key, source);
  }
}

function isHook(metadata: Record<string, unknown>): boolean {
  const annotations = metadata.annotations;
  return isMapping(annotations) && HOOK_ANNOTATIONS.some((key) => isNonEmptyString(annotations[key]));
}

function label(value: Record<string, unknown>): string {
  const kind = isNonEmptyString(value.kind) ? value.kind : 'the object';
  const name = isMapping(value.metadata) && isNonEmptyString(value.metadata.name) ? ` "${value.metadata.name}"` : '';
  return `${kind}${name}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
