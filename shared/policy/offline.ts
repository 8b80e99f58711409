// Policies asked about a render with no cluster at hand (`driftless render PATH --policy DIR`):
// every object is a CREATE by the user, resources are Kubernetes' guess from the kind, scope
// is what render knows (discovery is not asked), and an object's namespace is the Namespace the
// render holds, else one as a cluster would create it (only its kubernetes.io/metadata.name
// label), since the live one cannot be read.
import type { KubeObject } from '../kube/object.ts';
import { groupOf } from '../kube/object.ts';
import { scopeResolver } from '../render/scope.ts';
import { decidePolicies, type PolicyOutcome } from './decide.ts';
import { describeVerdict } from './evaluate.ts';
import { guessResource, type AdmissionRequest, type UserInfo } from './request.ts';
import type { PolicySet } from './types.ts';

export function decideOffline(set: PolicySet, objects: readonly KubeObject[], userInfo: UserInfo): PolicyOutcome {
  const namespaced = scopeResolver(objects);
  const namespaces = new Map(
    objects.filter((object) => object.apiVersion === 'v1' && object.kind === 'Namespace').map((object) => [object.metadata.name ?? '', object]),
  );
  const requests: AdmissionRequest[] = objects.map((object) => {
    const isNamespaced = namespaced(groupOf(object.apiVersion), object.kind);
    const namespace = isNamespaced ? object.metadata.namespace : undefined;
    return {
      object,
      namespaceObject: namespace ? (namespaces.get(namespace) ?? bareNamespace(namespace)) : undefined,
      resource: guessResource(object.kind),
      namespaced: isNamespaced,
      operation: 'CREATE',
      userInfo,
    };
  });
  return decidePolicies(set, requests);
}

function bareNamespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } };
}

/** One line per verdict and action, for a terminal: `deny: Deployment/default/web: ValidatingAdmissionPolicy ... (policy FILE:LINE, binding FILE:LINE)`. */
export function verdictLines(outcome: PolicyOutcome): string[] {
  return outcome.verdicts.flatMap((verdict) =>
    verdict.actions.map((action) => {
      return `${action.toLowerCase()}: ${verdict.object}: ${describeVerdict(verdict, action)} (policy ${verdict.definedIn.policy}, binding ${verdict.definedIn.binding}${verdict.param ? `, params ${verdict.param}` : ''})`;
    }),
  );
}
