// What a served resource is: the built-in ones (./builtins.ts, the data, written from a real
// 1.34 API server's discovery) and those a CustomResourceDefinition registers (./crds.ts).
// kubectl resolves `deploy`, `all` and `scale` through these names and subresources.

import { BUILTIN_GROUPS, type BuiltinResource } from './builtins.ts';
import type { NameRule } from './names.ts';

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const SUBRESOURCE_VERBS = ['get', 'patch', 'update'];

/** Where replicas live, for the scale subresource (paths as CRDs declare them: `.spec.replicas`). */
export interface ScaleSpec {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower case: `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  status: boolean;
  scale?: ScaleSpec;
  /** serviceaccounts/token: TokenRequests are created through it. */
  tokenRequest?: boolean;
  /** A create-only review (access, token): answered, never stored. */
  review?: boolean;
  nameRule: NameRule;
  /** A shorter limit on the name when the object is created (CronJob: 52, so its Jobs' names fit). */
  createNameMax?: number;
  /** Whether the server keeps metadata.generation (ConfigMaps, Services, RBAC... do not). */
  generation: boolean;
  /** Set for resources registered by a CustomResourceDefinition (its name). */
  crd?: string;
}

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

const WORKLOAD_SCALE: ScaleSpec = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' };

function toType(group: string, version: string, entry: BuiltinResource): ResourceType {
  return {
    group,
    version,
    resource: entry.resource,
    singular: entry.singular ?? entry.kind.toLowerCase(),
    kind: entry.kind,
    listKind: `${entry.kind}List`,
    namespaced: !entry.cluster,
    verbs: entry.verbs ?? ALL_VERBS,
    shortNames: entry.shortNames ?? [],
    categories: entry.categories ?? [],
    status: entry.status ?? false,
    ...(entry.scale ? { scale: WORKLOAD_SCALE } : {}),
    ...(entry.token ? { tokenRequest: true } : {}),
    ...(entry.review ? { review: true } : {}),
    nameRule: entry.nameRule ?? 'subdomain',
    ...(entry.createNameMax ? { createNameMax: entry.createNameMax } : {}),
    generation: entry.generation ?? false,
  };
}

/** The built-in resource types, one per served version, groups in discovery order. */
export function builtinResources(): ResourceType[] {
  return BUILTIN_GROUPS.flatMap(({ group, versions, resources }) =>
    versions.flatMap((version) =>
      resources.filter((entry) => !entry.versions || entry.versions.includes(version)).map((entry) => toType(group, version, entry)),
    ),
  );
}
