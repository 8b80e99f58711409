// The policy area's public API: Kubernetes ValidatingAdmissionPolicies evaluated against
// rendered objects before anything is written.
export type { AdmissionPolicy, AdmissionPolicyBinding, PolicyParam, PolicySet, ValidationAction } from './types.ts';
export { EMPTY_POLICY_SET } from './types.ts';
export type { AdmissionRequest, UserInfo } from './request.ts';
export { guessResource } from './request.ts';
export type { PolicyVerdict } from './evaluate.ts';
export { describeVerdict, evaluatePolicies } from './evaluate.ts';
export type { PolicyOutcome } from './decide.ts';
export { decidePolicies, refuseDenied } from './decide.ts';
export { PolicyDeniedError } from './errors.ts';
