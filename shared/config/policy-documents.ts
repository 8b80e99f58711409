// The registry's policy documents (ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
// parameter ConfigMaps) collected as load.ts meets them, then checked together
// (shared/policy/normalise.ts), every problem pointing at its file and line.
import type { AdmissionPolicy, AdmissionPolicyBinding, PolicyParam, PolicySet } from '../policy/types.ts';
import type { LocatedPolicyDocument, PolicyReport } from '../policy/normalise.ts';
import { assemblePolicies, normaliseBinding, normaliseParam, normalisePolicy } from '../policy/normalise.ts';
import type { RegistryDocument } from './documents.ts';
import type { ValidDocument } from './validate.ts';

type PolicyDocument = Extract<ValidDocument, { source: 'kubernetes' }>;

export class PolicyDocuments {
  readonly #policies: Array<LocatedPolicyDocument<AdmissionPolicy>> = [];
  readonly #bindings: Array<LocatedPolicyDocument<AdmissionPolicyBinding>> = [];
  readonly #params: Array<LocatedPolicyDocument<PolicyParam>> = [];

  add(valid: PolicyDocument, document: RegistryDocument, report: PolicyReport): void {
    const definedIn = { file: document.file, line: document.line };
    if (valid.kind === 'ValidatingAdmissionPolicy') {
      this.#policies.push({ value: normalisePolicy({ value: valid.value, definedIn, report }), definedIn, report });
    } else if (valid.kind === 'ValidatingAdmissionPolicyBinding') {
      this.#bindings.push({ value: normaliseBinding({ value: valid.value, definedIn, report }), definedIn, report });
    } else {
      this.#params.push({ value: normaliseParam({ value: valid.value, definedIn, report }), definedIn, report });
    }
  }

  assemble(): PolicySet {
    return assemblePolicies(this.#policies, this.#bindings, this.#params);
  }
}
