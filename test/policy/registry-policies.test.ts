// Policy documents in the registry folder: loaded beside apps and projects, never applied,
// and refused at file and line when a sync could not evaluate them.
import { describe, expect, it } from 'vitest';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { RegistryError } from '../../shared/config/errors.ts';

const POLICY = (validation: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replicas.example.com
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: ["apps"]
      apiVersions: ["v1"]
      operations: ["CREATE", "UPDATE"]
      resources: ["deployments"]
  validations:
  - expression: "${validation}"
`;
const BINDING = (policy: string, extra = '') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replicas-binding
spec:
  policyName: ${policy}
  validationActions: [Warn]
${extra}`;

function problemsOf(text: string): string[] {
  try {
    parseRegistryFiles([{ file: 'driftless/policies.yaml', text }]);
  } catch (error) {
    if (error instanceof RegistryError) return error.problems.map((problem) => `${problem.line}: ${problem.field ?? ''}: ${problem.message}`);
    throw error;
  }
  return [];
}

describe('policies in the registry', () => {
  it('are kept with the registry, defaults applied (failurePolicy Fail, parameterNotFoundAction Deny)', () => {
    const registry = parseRegistryFiles([
      { file: 'driftless/policies.yaml', text: `${POLICY('object.spec.replicas <= 5')}---\n${BINDING('replicas.example.com')}` },
    ]);
    expect(registry.policies?.policies.map((policy) => [policy.name, policy.failurePolicy, policy.definedIn])).toEqual([
      ['replicas.example.com', 'Fail', { file: 'driftless/policies.yaml', line: 1 }],
    ]);
    expect(registry.policies?.bindings.map((binding) => [binding.name, binding.validationActions])).toEqual([['replicas-binding', ['Warn']]]);
    expect(registry.apps).toEqual([]);
  });

  it('a registry without policies has no policies field', () => {
    expect(parseRegistryFiles([]).policies).toBeUndefined();
  });

  it('refuses an expression that is not CEL at its line', () => {
    expect(problemsOf(POLICY('object.spec.replicas <=') + `---\n${BINDING('replicas.example.com')}`)).toEqual([
      expect.stringMatching(/^13: spec\.validations\[0\]\.expression: is not valid CEL: /),
    ]);
  });

  it('refuses a binding to a policy that is not defined, and paramRef where the policy takes none', () => {
    expect(problemsOf(BINDING('missing.example.com'))).toEqual([
      '6: spec.policyName: ValidatingAdmissionPolicy "missing.example.com" is not defined in the registry',
    ]);
    expect(problemsOf(`${POLICY('true')}---\n${BINDING('replicas.example.com', '  paramRef:\n    name: limits\n')}`)).toEqual([
      '22: spec.paramRef: policy "replicas.example.com" has no paramKind, so it takes no parameters',
    ]);
  });

  it('refuses parameters of a kind other than ConfigMap, saying what is supported', () => {
    const custom = POLICY('true').replace('spec:\n', 'spec:\n  paramKind:\n    apiVersion: rules.example.com/v1\n    kind: ReplicaLimit\n');
    expect(problemsOf(custom)).toEqual([
      expect.stringContaining('spec.paramKind: rules.example.com/v1 ReplicaLimit parameters are not supported: Driftless reads parameters from ConfigMaps'),
    ]);
  });

  it('refuses a binding without validationActions', () => {
    expect(problemsOf(`${POLICY('true')}---\n${BINDING('replicas.example.com').replace('  validationActions: [Warn]\n', '')}`)).toEqual([
      expect.stringContaining('spec.validationActions: is required'),
    ]);
  });
});
