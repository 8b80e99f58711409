// Every binding's policy against every request, as the API server's ValidatingAdmissionPolicy
// plugin decides them: the policy's matchConstraints and the binding's matchResources both
// match, then each parameter the binding selects (or none, without paramKind) is one
// evaluation: matchConditions (any false: not concerned), then each validation, whose false
// result is a violation carrying the binding's validationActions. An expression that errors
// is a violation under failurePolicy Fail and nothing under Ignore. Pure: no cluster is asked.
import type { KubeObject } from '../kube/object.ts';
import { celText, celValue } from './cel/values.ts';
import { compilePolicy, firstLine, type CompiledPolicy } from './compile.ts';
import { matchesResources } from './match.ts';
import { paramsFor } from './params.ts';
import { requestVariable, type AdmissionRequest } from './request.ts';
import type { AdmissionPolicy, AdmissionPolicyBinding, PolicyParam, PolicySet, ValidationAction } from './types.ts';

export interface PolicyVerdict {
  /** `Deployment/default/nginx`, `Namespace/shop`. */
  object: string;
  policy: string;
  binding: string;
  actions: ValidationAction[];
  /** What failed: the validation's message, or why it could not be evaluated. */
  message: string;
  /** The parameter the policy was evaluated with, `ConfigMap/default/limits`. */
  param?: string;
  /** Where the policy and binding are written. */
  definedIn: { policy: string; binding: string };
}

export function evaluatePolicies(set: PolicySet, requests: readonly AdmissionRequest[]): PolicyVerdict[] {
  const policies = new Map(set.policies.map((policy) => [policy.name, policy]));
  const verdicts: PolicyVerdict[] = [];
  for (const request of requests) {
    for (const binding of set.bindings) {
      const policy = policies.get(binding.policyName);
      // The registry refuses a binding to no policy; Kubernetes too would evaluate nothing.
      if (!policy) continue;
      verdicts.push(...evaluateBinding(policy, binding, set.params, request));
    }
  }
  return verdicts;
}

function evaluateBinding(policy: AdmissionPolicy, binding: AdmissionPolicyBinding, params: readonly PolicyParam[], request: AdmissionRequest): PolicyVerdict[] {
  if (!matchesResources(policy.matchConstraints, request, true)) return [];
  if (binding.matchResources && !matchesResources(binding.matchResources, request, false)) return [];
  const verdict = (message: string, param?: PolicyParam): PolicyVerdict => ({
    object: objectLabel(request.object),
    policy: policy.name,
    binding: binding.name,
    actions: binding.validationActions,
    message,
    ...(param ? { param: paramLabel(param) } : {}),
    definedIn: { policy: where(policy.definedIn), binding: where(binding.definedIn) },
  });
  let selected: Array<PolicyParam | undefined> = [undefined];
  if (policy.paramKind) {
    const found = paramsFor(binding, params, request);
    if ('error' in found) return policy.failurePolicy === 'Fail' ? [verdict(found.error)] : [];
    if (found.params.length === 0) {
      // Kubernetes' wording; Allow means the binding has nothing to say.
      return binding.paramRef?.parameterNotFoundAction === 'Allow' ? [] : [verdict('no params found for policy binding with `Deny` parameterNotFoundAction')];
    }
    selected = found.params;
  }
  const compiled = compilePolicy(policy);
  return selected.flatMap((param) => evaluateOnce(compiled, policy, request, param).map((message) => verdict(message, param)));
}

/** The messages of the violations of one evaluation (one parameter). */
function evaluateOnce(compiled: CompiledPolicy, policy: AdmissionPolicy, request: AdmissionRequest, param: PolicyParam | undefined): string[] {
  const activation = activationOf(compiled, request, param);
  const fail = policy.failurePolicy === 'Fail';
  let conditionError: string | undefined;
  for (const condition of compiled.matchConditions) {
    let result: unknown;
    try {
      result = condition.run(activation);
    } catch (error) {
      conditionError ??= `failed to evaluate match condition '${condition.name}': ${firstLine((error as Error).message)}`;
      continue;
    }
    if (result === false) return [];
    if (result !== true) conditionError ??= `match condition '${condition.name}' must evaluate to bool, got ${celText(result)}`;
  }
  // Kubernetes: a false condition wins over an error in another; otherwise the error decides.
  if (conditionError !== undefined) return fail ? [conditionError] : [];
  const messages: string[] = [];
  for (const validation of compiled.validations) {
    let result: unknown;
    try {
      result = validation.run(activation);
    } catch (error) {
      if (fail) messages.push(`expression '${validation.expression}' resulted in error: ${firstLine((error as Error).message)}`);
      continue;
    }
    if (result === true) continue;
    if (result !== false) {
      if (fail) messages.push(`expression '${validation.expression}' resulted in error: must evaluate to bool, got ${celText(result)}`);
      continue;
    }
    messages.push(violationMessage(validation, activation));
  }
  return messages;
}

/** messageExpression when it gives a usable one-line string, else message, else Kubernetes' default. */
function violationMessage(validation: CompiledPolicy['validations'][number], activation: Record<string, unknown>): string {
  if (validation.message$) {
    try {
      const text = validation.message$(activation);
      if (typeof text === 'string' && text.trim() !== '' && !/[\r\n]/.test(text)) return text;
    } catch {
      // Kubernetes falls back to the static message when messageExpression fails.
    }
  }
  return validation.message ?? `failed expression: ${validation.expression}`;
}

function activationOf(compiled: CompiledPolicy, request: AdmissionRequest, param: PolicyParam | undefined): Record<string, unknown> {
  const activation: Record<string, unknown> = {
    object: celValue(request.object),
    oldObject: request.oldObject ? celValue(request.oldObject) : null,
    params: param ? celValue(paramObject(param)) : null,
    namespaceObject: request.namespaced && request.namespaceObject ? celValue(request.namespaceObject) : null,
    request: celValue(requestVariable(request)),
    authorizer: null,
  };
  activation.variables = lazyVariables(compiled, activation);
  return activation;
}

/** `variables.x`: each evaluated when first read (a later variable may read an earlier one), once. */
function lazyVariables(compiled: CompiledPolicy, activation: Record<string, unknown>): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const variable of compiled.variables) {
    let outcome: { value: unknown } | { error: unknown } | undefined;
    Object.defineProperty(variables, variable.name, {
      enumerable: true,
      get() {
        if (!outcome) {
          try {
            outcome = { value: variable.run(activation) };
          } catch (error) {
            outcome = { error };
          }
        }
        if ('error' in outcome) throw outcome.error;
        return outcome.value;
      },
    });
  }
  return variables;
}

function paramObject(param: PolicyParam): Omit<PolicyParam, 'definedIn'> {
  const { definedIn: _definedIn, ...object } = param;
  return object;
}

export function objectLabel(object: KubeObject): string {
  const name = object.metadata.name ?? object.metadata.generateName ?? '';
  return object.metadata.namespace ? `${object.kind}/${object.metadata.namespace}/${name}` : `${object.kind}/${name}`;
}

function paramLabel(param: PolicyParam): string {
  return `${param.kind}/${param.metadata.namespace ?? 'default'}/${param.metadata.name}`;
}

function where(definedIn: { file: string; line?: number }): string {
  return definedIn.line === undefined ? definedIn.file : `${definedIn.file}:${definedIn.line}`;
}

/** Kubernetes' wording for a verdict under `action`, as kubectl shows it. */
export function describeVerdict(verdict: PolicyVerdict, action: ValidationAction): string {
  if (action === 'Deny') return `ValidatingAdmissionPolicy '${verdict.policy}' with binding '${verdict.binding}' denied request: ${verdict.message}`;
  return `Validation failed for ValidatingAdmissionPolicy '${verdict.policy}' with binding '${verdict.binding}': ${verdict.message}`;
}
