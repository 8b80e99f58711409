// Policy documents of the registry folder → the PolicySet a sync evaluates, checked as far as
// a config push can be: every CEL expression parses, a binding names a policy that exists, a
// policy with paramKind takes ConfigMaps (the parameters Git can hold here) and its bindings
// say which. Problems go to `report` with the document's field, so they point at file and line.
import { expressionProblems } from './compile.ts';
import type { AdmissionPolicyBindingDocument, AdmissionPolicyDocument, PolicyParamDocument } from './schemas.ts';
import type { AdmissionPolicy, AdmissionPolicyBinding, MatchResources, PolicyDefinedIn, PolicyParam, PolicySet } from './types.ts';

export type PolicyReport = (field: Array<string | number>, message: string) => void;

export interface LocatedPolicyDocument<T> {
  value: T;
  definedIn: PolicyDefinedIn;
  report: PolicyReport;
}

export function normalisePolicy({ value, definedIn, report }: LocatedPolicyDocument<AdmissionPolicyDocument>): AdmissionPolicy {
  const spec = value.spec;
  const policy: AdmissionPolicy = {
    name: value.metadata.name,
    failurePolicy: spec.failurePolicy,
    matchConditions: spec.matchConditions.map(({ name, expression }) => ({ name, expression })),
    variables: spec.variables.map(({ name, expression }) => ({ name, expression })),
    validations: spec.validations.map(({ expression, message, messageExpression, reason }) => ({
      expression,
      ...(message !== undefined ? { message } : {}),
      ...(messageExpression !== undefined ? { messageExpression } : {}),
      ...(reason !== undefined ? { reason } : {}),
    })),
    definedIn,
  };
  if (spec.paramKind) policy.paramKind = { apiVersion: spec.paramKind.apiVersion, kind: spec.paramKind.kind };
  if (spec.matchConstraints) policy.matchConstraints = matchResources(spec.matchConstraints);
  if (!spec.matchConstraints?.resourceRules?.length)
    report(['spec', 'matchConstraints'], 'must list resourceRules: a policy without them matches nothing (Kubernetes requires them)');
  if (policy.paramKind && (policy.paramKind.apiVersion !== 'v1' || policy.paramKind.kind !== 'ConfigMap')) {
    report(
      ['spec', 'paramKind'],
      `${policy.paramKind.apiVersion} ${policy.paramKind.kind} parameters are not supported: Driftless reads parameters from ConfigMaps (apiVersion v1) in the registry folder`,
    );
  }
  if (policy.validations.length === 0)
    report(['spec', 'validations'], 'must list at least one validation (auditAnnotations alone are not evaluated by Driftless)');
  const names = new Set<string>();
  policy.variables.forEach(({ name }, index) => {
    if (names.has(name)) report(['spec', 'variables', index, 'name'], `variable "${name}" is defined twice`);
    names.add(name);
  });
  for (const problem of expressionProblems(policy)) report(problem.field, problem.message);
  return policy;
}

export function normaliseBinding({ value, definedIn }: LocatedPolicyDocument<AdmissionPolicyBindingDocument>): AdmissionPolicyBinding {
  const spec = value.spec;
  const binding: AdmissionPolicyBinding = {
    name: value.metadata.name,
    policyName: spec.policyName,
    validationActions: [...new Set(spec.validationActions)],
    definedIn,
  };
  if (spec.paramRef) {
    const { name, namespace, selector, parameterNotFoundAction } = spec.paramRef;
    binding.paramRef = {
      parameterNotFoundAction,
      ...(name !== undefined ? { name } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      ...(selector ? { selector } : {}),
    };
  }
  if (spec.matchResources) binding.matchResources = matchResources(spec.matchResources);
  return binding;
}

export function normaliseParam({ value, definedIn }: LocatedPolicyDocument<PolicyParamDocument>): PolicyParam {
  const { name, namespace, labels } = value.metadata;
  return {
    apiVersion: value.apiVersion,
    kind: value.kind,
    metadata: { name, ...(namespace !== undefined ? { namespace } : {}), ...(labels ? { labels } : {}) },
    ...(value.data ? { data: value.data } : {}),
    ...(value.binaryData ? { binaryData: value.binaryData } : {}),
    definedIn,
  };
}

/** The checks across documents: unique names, bindings to existing policies, paramRef where paramKind asks for it. */
export function assemblePolicies(
  policies: Array<LocatedPolicyDocument<AdmissionPolicy>>,
  bindings: Array<LocatedPolicyDocument<AdmissionPolicyBinding>>,
  params: Array<LocatedPolicyDocument<PolicyParam>>,
): PolicySet {
  const uniquePolicies = unique(policies, 'ValidatingAdmissionPolicy', (policy) => policy.name);
  const uniqueBindings = unique(bindings, 'ValidatingAdmissionPolicyBinding', (binding) => binding.name);
  const uniqueParams = unique(params, 'ConfigMap', (param) => `${param.metadata.namespace ?? 'default'}/${param.metadata.name}`);
  const byName = new Map(uniquePolicies.map((policy) => [policy.name, policy]));
  for (const { value: binding, report } of bindings) {
    const policy = byName.get(binding.policyName);
    if (!policy) {
      report(['spec', 'policyName'], `ValidatingAdmissionPolicy "${binding.policyName}" is not defined in the registry`);
    } else if (policy.paramKind && !binding.paramRef) {
      report(['spec', 'paramRef'], `is required: policy "${policy.name}" takes ${policy.paramKind.kind} parameters (paramKind)`);
    } else if (!policy.paramKind && binding.paramRef) {
      report(['spec', 'paramRef'], `policy "${policy.name}" has no paramKind, so it takes no parameters`);
    }
  }
  return { policies: uniquePolicies, bindings: uniqueBindings, params: uniqueParams };
}

function unique<T>(items: Array<LocatedPolicyDocument<T>>, kind: string, key: (item: T) => string): T[] {
  const first = new Map<string, LocatedPolicyDocument<T>>();
  for (const item of items) {
    const earlier = first.get(key(item.value));
    if (earlier) {
      const where = `${earlier.definedIn.file}${earlier.definedIn.line === undefined ? '' : `:${earlier.definedIn.line}`}`;
      item.report(['metadata', 'name'], `${kind} "${key(item.value)}" is also defined in ${where}; keep one of them`);
    } else {
      first.set(key(item.value), item);
    }
  }
  return [...first.values()].map((item) => item.value);
}

function matchResources(raw: NonNullable<AdmissionPolicyDocument['spec']['matchConstraints']>): MatchResources {
  const result: MatchResources = {};
  if (raw.resourceRules) result.resourceRules = raw.resourceRules.map((rule) => ({ ...rule }));
  if (raw.excludeResourceRules) result.excludeResourceRules = raw.excludeResourceRules.map((rule) => ({ ...rule }));
  if (raw.namespaceSelector) result.namespaceSelector = raw.namespaceSelector;
  if (raw.objectSelector) result.objectSelector = raw.objectSelector;
  return result;
}
