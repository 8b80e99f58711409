// OpenAPI v3 documents: the index at /openapi/v3 and one document per group-version.
// kubectl 1.34 apply and diff refuse to run without them; they look schemas up by
// x-kubernetes-group-version-kind and check the PATCH operation for `fieldValidation`
// support, so both are published. Schemas are permissive: the sandbox does not validate
// spec or status.
import { createHash } from 'node:crypto';
import type { ResourceType } from './resources.ts';
import type { Registry } from './registry.ts';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** `apis/apps/v1`, `api/v1`: the keys of the /openapi/v3 index. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openApiIndex(registry: Registry): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const seen = new Set<string>();
  for (const type of registry.all()) {
    const path = groupVersionPath(type.group, type.version);
    if (seen.has(path)) continue;
    seen.add(path);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hashOf(groupVersionDocument(registry, type.group, type.version))}` };
  }
  return { paths };
}

export function hashOf(document: unknown): string {
  return createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase();
}

/** The schema name the real server uses: io.k8s.api.apps.v1.Deployment, com.example.v1.Widget. */
export function schemaName(type: Pick<ResourceType, 'group' | 'version' | 'kind' | 'crd'>): string {
  if (type.crd) return `${type.group.split('.').reverse().join('.')}.${type.version}.${type.kind}`;
  if (type.group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${type.version}.${type.kind}`;
  if (type.group === 'apiregistration.k8s.io') return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${type.version}.${type.kind}`;
  // rbac.authorization.k8s.io → rbac, flowcontrol.apiserver.k8s.io → flowcontrol (api/openapi-spec/v3).
  const short = type.group === '' ? 'core' : type.group.replace(/\.k8s\.io$/, '').replace(/\.(authorization|apiserver)$/, '');
  return `io.k8s.api.${short}.${type.version}.${type.kind}`;
}

export function groupVersionDocument(registry: Registry, group: string, version: string): Record<string, unknown> | undefined {
  const types = registry.resourcesOf(group, version);
  if (types.length === 0) return undefined;
  const schemas: Record<string, unknown> = {
    [OBJECT_META]: objectMetaSchema(),
  };
  const paths: Record<string, unknown> = {};
  for (const type of types) {
    const name = schemaName(type);
    schemas[name] = kindSchema(type);
    Object.assign(paths, resourcePaths(type, name));
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.34.0' },
    paths,
    components: { schemas },
  };
}

function gvk(type: ResourceType): { group: string; version: string; kind: string } {
  return { group: type.group, version: type.version, kind: type.kind };
}

function kindSchema(type: ResourceType): Record<string, unknown> {
  const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    type: 'object',
    description: `${type.kind} (sandbox schema: fields are not validated).`,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }], default: {} },
      spec: open,
      status: open,
      // ConfigMap, Secret, RBAC and a few others keep their content outside spec.
      data: open,
      binaryData: open,
      stringData: open,
      rules: { type: 'array', items: open },
      subjects: { type: 'array', items: open },
      roleRef: open,
      aggregationRule: open,
      webhooks: { type: 'array', items: open },
      type: { type: 'string' },
      immutable: { type: 'boolean' },
    },
    'x-kubernetes-preserve-unknown-fields': true,
    'x-kubernetes-group-version-kind': [gvk(type)],
  };
}

function objectMetaSchema(): Record<string, unknown> {
  const stringMap = { type: 'object', additionalProperties: { type: 'string', default: '' } };
  return {
    type: 'object',
    properties: {
      name: { type: 'string' },
      generateName: { type: 'string' },
      namespace: { type: 'string' },
      labels: stringMap,
      annotations: stringMap,
      finalizers: { type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
      ownerReferences: {
        type: 'array',
        items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-map-type': 'atomic' },
        'x-kubernetes-list-map-keys': ['uid'],
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-patch-merge-key': 'uid',
        'x-kubernetes-patch-strategy': 'merge',
      },
      managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      resourceVersion: { type: 'string' },
      uid: { type: 'string' },
      generation: { type: 'integer', format: 'int64' },
      creationTimestamp: { type: 'string', format: 'date-time' },
      deletionTimestamp: { type: 'string', format: 'date-time' },
      deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
    },
  };
}

const QUERY = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });

function resourcePaths(type: ResourceType, schema: string): Record<string, unknown> {
  const base = `/${groupVersionPath(type.group, type.version)}`;
  const collection = type.namespaced ? `${base}/namespaces/{namespace}/${type.resource}` : `${base}/${type.resource}`;
  const ref = { $ref: `#/components/schemas/${schema}` };
  const ok = { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } };
  const operation = (action: string, params: string[]) => ({
    operationId: `${action}${type.kind}`,
    parameters: params.map(QUERY),
    responses: ok,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk(type),
  });
  const writes = ['dryRun', 'fieldManager', 'fieldValidation'];
  // Strategic merge patch is deliberately not advertised: kubectl would then compute its
  // client-side apply patches from these permissive schemas and fail; without it, kubectl
  // uses the patch metadata compiled into it for built-in kinds (merge patch for CRs).
  const patchTypes = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
  const patchBody = { content: Object.fromEntries(patchTypes.map((t) => [t, { schema: { type: 'object' } }])), required: true };
  return {
    [collection]: {
      get: operation('list', ['labelSelector', 'fieldSelector', 'resourceVersion', 'watch']),
      post: operation('post', writes),
    },
    [`${collection}/{name}`]: {
      get: operation('get', []),
      put: operation('put', writes),
      patch: { ...operation('patch', [...writes, 'force']), requestBody: patchBody },
      delete: operation('delete', ['dryRun', 'propagationPolicy']),
    },
  };
}
