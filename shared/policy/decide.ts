// Verdicts → what each action does: Deny refuses the sync, Warn is said with the result (the
// commit status and change set), Audit is handed to the caller to log. A verdict under several
// actions does each (Kubernetes allows [Warn, Audit]; [Deny, Warn] is Deny and Warn at once).
import { PolicyDeniedError } from './errors.ts';
import { describeVerdict, evaluatePolicies, type PolicyVerdict } from './evaluate.ts';
import type { AdmissionRequest } from './request.ts';
import type { PolicySet } from './types.ts';

export interface PolicyOutcome {
  denied: PolicyVerdict[];
  /** `Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': message`, with the object. */
  warnings: string[];
  audits: PolicyVerdict[];
  /** Every verdict, for `driftless render --policy`. */
  verdicts: PolicyVerdict[];
}

export function decidePolicies(set: PolicySet, requests: readonly AdmissionRequest[]): PolicyOutcome {
  const verdicts = evaluatePolicies(set, requests);
  return {
    denied: verdicts.filter((verdict) => verdict.actions.includes('Deny')),
    warnings: verdicts.filter((verdict) => verdict.actions.includes('Warn')).map((verdict) => `${verdict.object}: ${describeVerdict(verdict, 'Warn')}`),
    audits: verdicts.filter((verdict) => verdict.actions.includes('Audit')),
    verdicts,
  };
}

/** Throws PolicyDeniedError when any verdict denies. */
export function refuseDenied(outcome: PolicyOutcome): void {
  if (outcome.denied.length > 0) throw new PolicyDeniedError(outcome.denied);
}
