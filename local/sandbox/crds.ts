// What a CustomResourceDefinition serves: one resource type per served version, and the
// status the apiextensions server gives an accepted definition (NamesAccepted, Established).
import type { KubeObject } from '../../shared/kube/object.ts';
import { ALL_VERBS, type ResourceType, type ScaleSpec } from './resources.ts';
import { invalid, type FieldError } from './status.ts';

interface CrdNames {
  plural?: string;
  singular?: string;
  kind?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: object; scale?: ScaleSpec };
}

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: CrdNames;
  versions?: CrdVersion[];
}

function specOf(crd: KubeObject): CrdSpec {
  return (crd.spec ?? {}) as CrdSpec;
}

/** 422 for a definition the real apiextensions server would refuse outright. */
export function validateCrd(crd: KubeObject): void {
  const spec = specOf(crd);
  const name = crd.metadata.name ?? '';
  const errors: FieldError[] = [];
  if (!spec.group) errors.push({ type: 'FieldValueRequired', field: 'spec.group', message: 'Required value' });
  if (!spec.names?.plural) errors.push({ type: 'FieldValueRequired', field: 'spec.names.plural', message: 'Required value' });
  if (!spec.names?.kind) errors.push({ type: 'FieldValueRequired', field: 'spec.names.kind', message: 'Required value' });
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'spec.scope',
      message: `Unsupported value: "${spec.scope ?? ''}": supported values: "Cluster", "Namespaced"`,
    });
  }
  if (!spec.versions?.length)
    errors.push({ type: 'FieldValueRequired', field: 'spec.versions', message: 'Required value: must have exactly one version marked as storage version' });
  if (spec.group && spec.names?.plural && name !== `${spec.names.plural}.${spec.group}`) {
    errors.push({ type: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${name}": must be spec.names.plural+"."+spec.group` });
  }
  if (errors.length) throw invalid('apiextensions.k8s.io', 'CustomResourceDefinition', name, errors);
}

export function crdResourceTypes(crd: KubeObject): ResourceType[] {
  const spec = specOf(crd);
  const names = spec.names ?? {};
  const kind = names.kind ?? '';
  return (spec.versions ?? [])
    .filter((v) => v.served !== false)
    .map((v) => ({
      group: spec.group ?? '',
      version: v.name,
      resource: names.plural ?? '',
      singular: names.singular ?? kind.toLowerCase(),
      kind,
      listKind: names.listKind ?? `${kind}List`,
      namespaced: spec.scope === 'Namespaced',
      verbs: ALL_VERBS,
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      status: v.subresources?.status !== undefined,
      ...(v.subresources?.scale ? { scale: v.subresources.scale } : {}),
      nameRule: 'subdomain' as const,
      generation: true,
      crd: crd.metadata.name,
    }));
}

/** The status the apiextensions controllers converge an accepted CRD to. */
export function acceptedStatus(crd: KubeObject, now: string): Record<string, unknown> {
  const spec = specOf(crd);
  const names = spec.names ?? {};
  const condition = (type: string, reason: string, message: string) => ({ type, status: 'True', lastTransitionTime: now, reason, message });
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    acceptedNames: {
      plural: names.plural,
      singular: names.singular ?? (names.kind ?? '').toLowerCase(),
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
      ...(names.categories ? { categories: names.categories } : {}),
    },
    storedVersions: (spec.versions ?? []).filter((v) => v.storage).map((v) => v.name),
  };
}
