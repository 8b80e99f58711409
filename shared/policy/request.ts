// What a policy is asked about: one rendered object as the API server would see the write
// that creates or updates it (Kubernetes' admission attributes), built before anything is
// written. CREATE when the object is not live, UPDATE when it is.
import type { KubeObject } from '../kube/object.ts';
import { groupOf, versionOf } from '../kube/object.ts';
import type { Operation } from './types.ts';

export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
}

export interface AdmissionRequest {
  object: KubeObject;
  /** The live object; absent on CREATE. */
  oldObject?: KubeObject;
  /** The object's namespace (live, or as this sync writes it); absent for cluster-scoped objects. */
  namespaceObject?: KubeObject;
  /** Plural resource name, as discovery serves it (`deployments`). */
  resource: string;
  namespaced: boolean;
  operation: Operation;
  userInfo: UserInfo;
}

/**
 * Kubernetes' guess of a kind's resource (meta.UnsafeGuessKindToResource), for when no cluster
 * is asked (`driftless render --policy`): lower case, then `s`, `es` after s/x/z/ch/sh, `ies`
 * for a consonant and y.
 */
export function guessResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === '') return lower;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The `request` variable a policy reads (admission.k8s.io/v1 AdmissionRequest's fields). */
export function requestVariable(request: AdmissionRequest): Record<string, unknown> {
  const { object } = request;
  const group = groupOf(object.apiVersion);
  const version = versionOf(object.apiVersion);
  const kind = { group, version, kind: object.kind };
  const resource = { group, version, resource: request.resource };
  return {
    uid: '',
    kind,
    resource,
    subResource: '',
    requestKind: kind,
    requestResource: resource,
    requestSubResource: '',
    name: object.metadata.name ?? '',
    namespace: request.namespaced ? (object.metadata.namespace ?? '') : '',
    operation: request.operation,
    userInfo: { username: request.userInfo.username, uid: request.userInfo.uid ?? '', groups: request.userInfo.groups, extra: {} },
    dryRun: false,
    options: request.operation === 'CREATE' ? { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' } : { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1' },
  };
}
