// Builders for policy tests: a registry folder's policy documents through the real loader, and
// admission requests for rendered objects as the sync makes them.
import { parseRegistryFiles } from '../../shared/config/load.ts';
import type { KubeObject } from '../../shared/kube/object.ts';
import type { AdmissionRequest, UserInfo } from '../../shared/policy/request.ts';
import { guessResource } from '../../shared/policy/request.ts';
import { EMPTY_POLICY_SET, type PolicySet } from '../../shared/policy/types.ts';

/**
 * The Kubernetes documentation's basic example policy, as the page writes it
 * (kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/): at most 5
 * replicas for a Deployment. Its bindings say where it applies.
 */
export const DEMO_POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "demo-policy.example.com"
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups:   ["apps"]
      apiVersions: ["v1"]
      operations:  ["CREATE", "UPDATE"]
      resources:   ["deployments"]
  validations:
    - expression: "object.spec.replicas <= 5"
`;

export const WORKER: UserInfo = { username: 'driftless', groups: ['system:authenticated'] };

/** The policies of `yaml`, loaded as driftless/policies.yaml. */
export function policiesOf(yaml: string): PolicySet {
  return parseRegistryFiles([{ file: 'driftless/policies.yaml', text: yaml }]).policies ?? EMPTY_POLICY_SET;
}

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

export function deployment(name: string, ns: string, replicas: number, extra: { labels?: Record<string, string>; images?: string[] } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name, ...extra.labels } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: (extra.images ?? ['nginx']).map((image, index) => ({ name: `c${index}`, image })) },
      },
    },
  };
}

export function requestFor(
  object: KubeObject,
  options: { namespaceObject?: KubeObject; oldObject?: KubeObject; userInfo?: UserInfo; namespaced?: boolean; resource?: string } = {},
): AdmissionRequest {
  const namespaced = options.namespaced ?? object.metadata.namespace !== undefined;
  return {
    object,
    oldObject: options.oldObject,
    namespaceObject: options.namespaceObject,
    resource: options.resource ?? guessResource(object.kind),
    namespaced,
    operation: options.oldObject ? 'UPDATE' : 'CREATE',
    userInfo: options.userInfo ?? WORKER,
  };
}
