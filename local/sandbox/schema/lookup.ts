// What the schema in ./definitions.ts says about one place in an object, in the terms
// server-side apply and strategic merge patch use. A place is named by its field path from
// the object root with `[]` for "an element of": `spec.template.spec.containers[].ports`.
//
// A list's behaviour under server-side apply follows kube-openapi's schema conversion
// (pkg/schemaconv, VisitArray): `x-kubernetes-list-type` when present; otherwise a
// `merge` patch strategy makes the list associative by its patch merge key (a set when it
// has none); otherwise the list is atomic. Strategic merge patch reads the patch strategy
// and merge key alone.

import { CUSTOM_RESOURCE, DEFINITIONS, KINDS, type Definition, type FieldSchema } from './definitions.ts';

export interface ListRule {
  /** Server-side apply: `map` (elements identified by `keys`), `set` (distinct scalars) or `atomic` (one value). */
  type: 'map' | 'set' | 'atomic';
  keys: string[];
  /** Values key fields take when an element leaves them out (their schema defaults). */
  keyDefaults?: Record<string, unknown>;
  /** Strategic merge patch merges elements with the same value of this field. */
  mergeKey?: string;
  /** Strategic merge patch merges this list of scalars as a set. */
  mergePrimitives?: boolean;
}

interface Place {
  /** The field the place is, when it is one (not for list elements or the root). */
  field?: FieldSchema;
  /** The definition of the value at the place, when the schema has one. */
  definition?: Definition;
}

/** `spec.containers[].ports` → `['spec', 'containers', '[]', 'ports']`. */
export function pathSegments(path: string): string[] {
  if (path === '') return [];
  return path.split('.').flatMap((field) => {
    let name = field;
    let elements = 0;
    while (name.endsWith('[]')) {
      name = name.slice(0, -2);
      elements++;
    }
    return [name, ...Array<string>(elements).fill('[]')];
  });
}

function rootOf(kind: string): Definition {
  const name = KINDS[kind];
  return name ? DEFINITIONS[name] : CUSTOM_RESOURCE;
}

function definitionOf(name: string | undefined): Definition | undefined {
  return name === undefined ? undefined : DEFINITIONS[name];
}

function isList(field: FieldSchema): boolean {
  return field.listType !== undefined || strategies(field).includes('merge');
}

function strategies(field: FieldSchema): string[] {
  return field.patchStrategy ? field.patchStrategy.split(',') : [];
}

// Every walk of every write asks about the same few places again: remembered per kind and
// path (the schema never changes). Paths carry map keys (labels, data), so the memory is
// bounded: full, it starts over.
const PLACES = new Map<string, Place>();
const PLACES_LIMIT = 20_000;

function placeOf(kind: string, path: string): Place {
  const key = `${kind}\u0000${path}`;
  let place = PLACES.get(key);
  if (place) return place;
  place = findPlace(kind, path);
  if (PLACES.size >= PLACES_LIMIT) PLACES.clear();
  PLACES.set(key, place);
  return place;
}

function findPlace(kind: string, path: string): Place {
  let place: Place = { definition: rootOf(kind) };
  for (const segment of pathSegments(path)) {
    if (segment === '[]') {
      place = { definition: definitionOf(place.field?.type) };
      continue;
    }
    const field = place.definition?.fields?.[segment];
    place = { field, definition: field && !isList(field) ? definitionOf(field.type) : undefined };
  }
  return place;
}

/**
 * How the list at `path` in an object of `kind` merges, or undefined when it is atomic for
 * server-side apply and replaced by strategic merge patch (every list the schema does not name).
 */
export function listRuleFor(kind: string, path: string): ListRule | undefined {
  const { field } = placeOf(kind, path);
  if (!field || !isList(field)) return undefined;
  const rule = ruleOf(field);
  return rule.type === 'atomic' && rule.mergeKey === undefined && !rule.mergePrimitives ? undefined : rule;
}

function ruleOf(field: FieldSchema): ListRule {
  return { ...applyRelationship(field), ...(strategies(field).includes('merge') ? patchMerge(field) : {}) };
}

function applyRelationship(field: FieldSchema): Pick<ListRule, 'type' | 'keys' | 'keyDefaults'> {
  if (field.listType === 'map') return withDefaults(field, [...(field.listMapKeys ?? [])]);
  if (field.listType === 'set') return { type: 'set', keys: [] };
  if (field.listType === 'atomic' || !strategies(field).includes('merge')) return { type: 'atomic', keys: [] };
  return field.patchMergeKey ? withDefaults(field, [field.patchMergeKey]) : { type: 'set', keys: [] };
}

function withDefaults(field: FieldSchema, keys: string[]): Pick<ListRule, 'type' | 'keys' | 'keyDefaults'> {
  const element = definitionOf(field.type)?.fields ?? {};
  const defaults = Object.fromEntries(keys.filter((key) => element[key]?.default !== undefined).map((key) => [key, element[key].default]));
  return Object.keys(defaults).length > 0 ? { type: 'map', keys, keyDefaults: defaults } : { type: 'map', keys };
}

function patchMerge(field: FieldSchema): Pick<ListRule, 'mergeKey' | 'mergePrimitives'> {
  return field.patchMergeKey ? { mergeKey: field.patchMergeKey } : { mergePrimitives: true };
}

/** Whether the map or struct at `path` is owned and replaced as a whole by server-side apply. */
export function isAtomicMap(kind: string, path: string): boolean {
  const { field, definition } = placeOf(kind, path);
  return (field?.mapType ?? definition?.mapType) === 'atomic';
}

/** Whether strategic merge patch replaces the map at `path` instead of merging it (`patchStrategy=replace`). */
export function patchReplacesMap(kind: string, path: string): boolean {
  const { field } = placeOf(kind, path);
  return field !== undefined && !isList(field) && strategies(field).includes('replace');
}

/** Every list the schema names in objects of `kind`, with how it merges (atomic ones as `atomic`). */
export function* listsOf(kind: string): Generator<{ path: string; rule: ListRule }> {
  yield* listsIn(rootOf(kind), '', new Set());
}

function* listsIn(definition: Definition | undefined, path: string, visiting: Set<Definition>): Generator<{ path: string; rule: ListRule }> {
  if (!definition || visiting.has(definition)) return;
  visiting.add(definition);
  for (const [name, field] of Object.entries(definition.fields ?? {})) {
    const fieldPath = path === '' ? name : `${path}.${name}`;
    if (isList(field)) {
      yield { path: fieldPath, rule: ruleOf(field) };
      yield* listsIn(definitionOf(field.type), `${fieldPath}[]`, visiting);
    } else {
      yield* listsIn(definitionOf(field.type), fieldPath, visiting);
    }
  }
  visiting.delete(definition);
}
