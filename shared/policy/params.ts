// The parameters a binding's paramRef selects among the registry's ConfigMaps, as Kubernetes
// selects them: by name or by label selector, in paramRef.namespace, or when that is empty in
// the namespace of the object being evaluated (a cluster-scoped object then has none to use).
// A ConfigMap written without a namespace is in `default`, as kubectl would create it.
import type { AdmissionRequest } from './request.ts';
import { selectorMatches } from './selector.ts';
import type { AdmissionPolicyBinding, PolicyParam } from './types.ts';

export function paramsFor(
  binding: AdmissionPolicyBinding,
  params: readonly PolicyParam[],
  request: AdmissionRequest,
): { params: PolicyParam[] } | { error: string } {
  const ref = binding.paramRef;
  if (!ref) return { error: `binding '${binding.name}' has no paramRef, and its policy has a paramKind` };
  let namespace = ref.namespace ?? '';
  if (namespace === '') {
    if (!request.namespaced)
      return {
        error: `cannot use a namespaced paramRef in binding '${binding.name}' for the cluster-scoped ${request.object.kind} ${request.object.metadata.name ?? ''}: set paramRef.namespace`,
      };
    namespace = request.object.metadata.namespace ?? '';
  }
  const inNamespace = params.filter((param) => (param.metadata.namespace ?? 'default') === namespace);
  if (ref.name !== undefined) return { params: inNamespace.filter((param) => param.metadata.name === ref.name) };
  return { params: inNamespace.filter((param) => selectorMatches(ref.selector, param.metadata.labels)) };
}
