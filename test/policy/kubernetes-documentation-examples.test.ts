// The example policies of the Kubernetes documentation ("Validating Admission Policy",
// kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/), each with the
// outcome the page documents for it. Where the page's parameters are a ReplicaLimit custom
// resource, the same parameters are a ConfigMap here (Driftless reads parameters from
// ConfigMaps in Git), and the expression reads `params.data.maxReplicas`.
import { describe, expect, it } from 'vitest';
import { decidePolicies } from '../../shared/policy/decide.ts';
import { DEMO_POLICY, deployment, namespace, policiesOf, requestFor } from './support.ts';

const BASIC = `
${DEMO_POLICY}---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "demo-binding-test.example.com"
spec:
  policyName: "demo-policy.example.com"
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels:
        environment: test
`;

describe('the basic example: demo-policy.example.com allows at most 5 replicas in namespaces labelled environment=test', () => {
  const policies = policiesOf(BASIC);
  const test = namespace('default', { environment: 'test' });

  it('denies 6 replicas with the documented message', () => {
    const outcome = decidePolicies(policies, [requestFor(deployment('nginx', 'default', 6), { namespaceObject: test })]);
    expect(outcome.denied.map((verdict) => [verdict.object, verdict.policy, verdict.binding, verdict.message])).toEqual([
      ['Deployment/default/nginx', 'demo-policy.example.com', 'demo-binding-test.example.com', 'failed expression: object.spec.replicas <= 5'],
    ]);
  });

  it('admits 5 replicas', () => {
    expect(decidePolicies(policies, [requestFor(deployment('nginx', 'default', 5), { namespaceObject: test })]).verdicts).toEqual([]);
  });

  it('leaves namespaces without the label alone', () => {
    expect(decidePolicies(policies, [requestFor(deployment('nginx', 'prod', 6), { namespaceObject: namespace('prod') })]).verdicts).toEqual([]);
  });

  it('checks an UPDATE as well as a CREATE', () => {
    const live = deployment('nginx', 'default', 2);
    const outcome = decidePolicies(policies, [requestFor(deployment('nginx', 'default', 6), { namespaceObject: test, oldObject: live })]);
    expect(outcome.denied).toHaveLength(1);
  });

  it('does not concern other resources (a ReplicaSet with 6 replicas)', () => {
    const replicaSet = { ...deployment('nginx', 'default', 6), kind: 'ReplicaSet' };
    expect(decidePolicies(policies, [requestFor(replicaSet, { namespaceObject: test })]).verdicts).toEqual([]);
  });
});

const PARAMS = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "replicalimit-policy.example.com"
spec:
  failurePolicy: Fail
  paramKind:
    apiVersion: v1
    kind: ConfigMap
  matchConstraints:
    resourceRules:
    - apiGroups:   ["apps"]
      apiVersions: ["v1"]
      operations:  ["CREATE", "UPDATE"]
      resources:   ["deployments"]
  validations:
    - expression: "object.spec.replicas <= int(params.data.maxReplicas)"
      reason: Invalid
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "replicalimit-binding-test.example.com"
spec:
  policyName: "replicalimit-policy.example.com"
  validationActions: [Deny]
  paramRef:
    name: "replica-limit-test.example.com"
    namespace: "default"
    parameterNotFoundAction: Deny
  matchResources:
    namespaceSelector:
      matchLabels:
        environment: test
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "replicalimit-binding-nontest"
spec:
  policyName: "replicalimit-policy.example.com"
  validationActions: [Deny]
  paramRef:
    name: "replica-limit-prod.example.com"
    namespace: "default"
    parameterNotFoundAction: Deny
  matchResources:
    namespaceSelector:
      matchExpressions:
      - key: environment
        operator: NotIn
        values:
        - test
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: "replica-limit-test.example.com"
  namespace: "default"
data:
  maxReplicas: "3"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: "replica-limit-prod.example.com"
  namespace: "default"
data:
  maxReplicas: "100"
`;

describe('the parameter example: one policy, a limit of 3 in test namespaces and 100 elsewhere', () => {
  const policies = policiesOf(PARAMS);

  it('denies 4 replicas in a test namespace, naming the binding and its parameter', () => {
    const outcome = decidePolicies(policies, [requestFor(deployment('web', 'shop', 4), { namespaceObject: namespace('shop', { environment: 'test' }) })]);
    expect(outcome.denied.map((verdict) => [verdict.binding, verdict.param, verdict.message])).toEqual([
      [
        'replicalimit-binding-test.example.com',
        'ConfigMap/default/replica-limit-test.example.com',
        'failed expression: object.spec.replicas <= int(params.data.maxReplicas)',
      ],
    ]);
  });

  it('admits 4 replicas (and 100) where the limit is 100', () => {
    const prod = namespace('shop', { environment: 'prod' });
    expect(
      decidePolicies(policies, [
        requestFor(deployment('web', 'shop', 4), { namespaceObject: prod }),
        requestFor(deployment('big', 'shop', 100), { namespaceObject: prod }),
      ]).verdicts,
    ).toEqual([]);
    expect(decidePolicies(policies, [requestFor(deployment('web', 'shop', 101), { namespaceObject: prod })]).denied.map((verdict) => verdict.binding)).toEqual([
      'replicalimit-binding-nontest',
    ]);
  });

  it("denies when the parameter is missing and parameterNotFoundAction is Deny, with Kubernetes' message", () => {
    const withoutProd = policiesOf(PARAMS.replace('name: "replica-limit-prod.example.com"\n  namespace', 'name: "other"\n  namespace'));
    const outcome = decidePolicies(withoutProd, [requestFor(deployment('web', 'shop', 1), { namespaceObject: namespace('shop') })]);
    expect(outcome.denied.map((verdict) => verdict.message)).toEqual(['no params found for policy binding with `Deny` parameterNotFoundAction']);
  });

  it('says nothing when the parameter is missing and parameterNotFoundAction is Allow', () => {
    const allow = policiesOf(
      PARAMS.replace('name: "replica-limit-prod.example.com"\n  namespace', 'name: "other"\n  namespace').replaceAll(
        'parameterNotFoundAction: Deny',
        'parameterNotFoundAction: Allow',
      ),
    );
    expect(decidePolicies(allow, [requestFor(deployment('web', 'shop', 1000), { namespaceObject: namespace('shop') })]).verdicts).toEqual([]);
  });

  it("takes a parameter from the object's own namespace when paramRef names none, or every one a selector picks", () => {
    const local = policiesOf(
      PARAMS.replace('name: "replica-limit-prod.example.com"\n    namespace: "default"', 'selector:\n      matchLabels:\n        limits: replicas').replace(
        'name: "replica-limit-prod.example.com"\n  namespace: "default"',
        'name: "shop-limit"\n  namespace: "shop"\n  labels:\n    limits: replicas',
      ),
    );
    const outcome = decidePolicies(local, [requestFor(deployment('web', 'shop', 101), { namespaceObject: namespace('shop') })]);
    expect(outcome.denied.map((verdict) => verdict.param)).toEqual(['ConfigMap/shop/shop-limit']);
  });
});

describe('the messageExpression example: the message says the limit', () => {
  const policies = policiesOf(
    PARAMS.replace('name: "replicalimit-policy.example.com"', 'name: "deploy-replica-policy.example.com"')
      .replaceAll('policyName: "replicalimit-policy.example.com"', 'policyName: "deploy-replica-policy.example.com"')
      .replace(
        'reason: Invalid',
        'messageExpression: "\'object.spec.replicas must be no greater than \' + string(params.data.maxReplicas)"\n      reason: Invalid',
      ),
  );

  it('denies 5 replicas with "object.spec.replicas must be no greater than 3"', () => {
    const outcome = decidePolicies(policies, [
      requestFor(deployment('nginx', 'default', 5), { namespaceObject: namespace('default', { environment: 'test' }) }),
    ]);
    expect(outcome.denied.map((verdict) => verdict.message)).toEqual(['object.spec.replicas must be no greater than 3']);
  });
});

const MATCH_CONDITIONS = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "demo-policy.example.com"
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups:   ["*"]
        apiVersions: ["*"]
        operations:  ["CREATE", "UPDATE"]
        resources:   ["*"]
  matchConditions:
    - name: 'exclude-leases'
      expression: '!(request.resource.group == "coordination.k8s.io" && request.resource.resource == "leases")'
    - name: 'exclude-kubelet-requests'
      expression: '!("system:nodes" in request.userInfo.groups)'
    - name: 'rbac'
      expression: 'request.resource.group != "rbac.authorization.k8s.io"'
  validations:
    - expression: "!object.metadata.name.contains('demo') || object.metadata.namespace == 'demo'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "demo-binding.example.com"
spec:
  policyName: "demo-policy.example.com"
  validationActions: [Deny]
`;

describe('the matchConditions example: objects named demo only in the demo namespace, leases, kubelet and RBAC excepted', () => {
  const policies = policiesOf(MATCH_CONDITIONS);
  const configMap = (name: string, ns: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns } });

  it('denies a demo ConfigMap outside the demo namespace and admits it inside', () => {
    const outcome = decidePolicies(policies, [
      requestFor(configMap('demo-settings', 'default')),
      requestFor(configMap('demo-settings', 'demo')),
      requestFor(configMap('settings', 'default')),
    ]);
    expect(outcome.denied.map((verdict) => verdict.object)).toEqual(['ConfigMap/default/demo-settings']);
  });

  it('skips leases, RBAC objects and requests from nodes', () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'demo', namespace: 'default' } };
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'demo', namespace: 'default' } };
    const fromNode = requestFor(configMap('demo', 'default'), { userInfo: { username: 'system:node:a', groups: ['system:nodes'] } });
    expect(decidePolicies(policies, [requestFor(lease), requestFor(role), fromNode]).verdicts).toEqual([]);
  });
});

const VARIABLES = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "image-matches-namespace-environment.policy.example.com"
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups:   ["apps"]
      apiVersions: ["v1"]
      operations:  ["CREATE", "UPDATE"]
      resources:   ["deployments"]
  variables:
  - name: environment
    expression: "'environment' in namespaceObject.metadata.labels ? namespaceObject.metadata.labels['environment'] : 'prod'"
  - name: exempt
    expression: "'exempt' in object.metadata.labels && object.metadata.labels['exempt'] == 'true'"
  - name: containers
    expression: "object.spec.template.spec.containers"
  - name: containersToCheck
    expression: "variables.containers.filter(c, c.image.contains('example.com/'))"
  validations:
  - expression: "variables.exempt || variables.containersToCheck.all(c, c.image.startsWith(variables.environment + '.'))"
    messageExpression: "'only ' + variables.environment + ' images are allowed in namespace ' + namespaceObject.metadata.name"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "image-matches-namespace-environment.binding.example.com"
spec:
  policyName: "image-matches-namespace-environment.policy.example.com"
  validationActions: [Deny]
`;

describe("the variables example: images of example.com must come from the namespace's environment", () => {
  const policies = policiesOf(VARIABLES);
  const staging = namespace('shop', { environment: 'staging' });

  it('admits staging images and images from elsewhere in a staging namespace', () => {
    const ok = deployment('web', 'shop', 1, { images: ['staging.example.com/web:1', 'docker.io/envoyproxy/envoy:v1'] });
    expect(decidePolicies(policies, [requestFor(ok, { namespaceObject: staging })]).verdicts).toEqual([]);
  });

  it('denies a prod image in a staging namespace with the documented message', () => {
    const bad = deployment('web', 'shop', 1, { images: ['prod.example.com/web:1'] });
    expect(decidePolicies(policies, [requestFor(bad, { namespaceObject: staging })]).denied.map((verdict) => verdict.message)).toEqual([
      'only staging images are allowed in namespace shop',
    ]);
  });

  it('reads a namespace without the label as prod, and lets an exempt Deployment through', () => {
    const bare = namespace('tools');
    const staged = deployment('web', 'tools', 1, { images: ['staging.example.com/web:1'] });
    expect(decidePolicies(policies, [requestFor(staged, { namespaceObject: bare })]).denied.map((verdict) => verdict.message)).toEqual([
      'only prod images are allowed in namespace tools',
    ]);
    const exempt = deployment('web', 'tools', 1, { images: ['staging.example.com/web:1'], labels: { exempt: 'true' } });
    expect(decidePolicies(policies, [requestFor(exempt, { namespaceObject: bare })]).verdicts).toEqual([]);
  });
});

describe('validationActions and failurePolicy', () => {
  it('Warn and Audit do not deny: the warning is worded as kubectl shows it', () => {
    const policies = policiesOf(BASIC.replace('validationActions: [Deny]', 'validationActions: [Warn, Audit]'));
    const outcome = decidePolicies(policies, [
      requestFor(deployment('nginx', 'default', 6), { namespaceObject: namespace('default', { environment: 'test' }) }),
    ]);
    expect(outcome.denied).toEqual([]);
    expect(outcome.warnings).toEqual([
      "Deployment/default/nginx: Validation failed for ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com': failed expression: object.spec.replicas <= 5",
    ]);
    expect(outcome.audits.map((verdict) => verdict.object)).toEqual(['Deployment/default/nginx']);
  });

  it('an expression that errors denies under Fail and is ignored under Ignore', () => {
    // A Deployment without spec.replicas: `object.spec.replicas` has no such key.
    const noReplicas = deployment('nginx', 'default', 1);
    delete (noReplicas.spec as Record<string, unknown>).replicas;
    const request = requestFor(noReplicas, { namespaceObject: namespace('default', { environment: 'test' }) });
    const failing = decidePolicies(policiesOf(BASIC), [request]);
    expect(failing.denied.map((verdict) => verdict.message)).toEqual([expect.stringMatching(/^expression 'object\.spec\.replicas <= 5' resulted in error: /)]);
    expect(decidePolicies(policiesOf(BASIC.replace('failurePolicy: Fail', 'failurePolicy: Ignore')), [request]).verdicts).toEqual([]);
  });

  it("excludeResourceRules win over resourceRules, and the objectSelector reads the object's labels", () => {
    const excluded = policiesOf(
      BASIC.replace(
        '  validations:',
        '    excludeResourceRules:\n    - apiGroups: ["apps"]\n      apiVersions: ["v1"]\n      operations: ["*"]\n      resources: ["deployments"]\n      resourceNames: ["legacy"]\n  validations:',
      ),
    );
    const test = namespace('default', { environment: 'test' });
    expect(
      decidePolicies(excluded, [
        requestFor(deployment('legacy', 'default', 9), { namespaceObject: test }),
        requestFor(deployment('web', 'default', 9), { namespaceObject: test }),
      ]).denied.map((verdict) => verdict.object),
    ).toEqual(['Deployment/default/web']);
    const selected = policiesOf(
      BASIC.replace('    namespaceSelector:', '    objectSelector:\n      matchLabels:\n        tier: frontend\n    namespaceSelector:'),
    );
    const frontend = deployment('web', 'default', 9, { labels: { tier: 'frontend' } });
    expect(
      decidePolicies(selected, [
        requestFor(frontend, { namespaceObject: test }),
        requestFor(deployment('db', 'default', 9), { namespaceObject: test }),
      ]).denied.map((verdict) => verdict.object),
    ).toEqual(['Deployment/default/web']);
  });
});
