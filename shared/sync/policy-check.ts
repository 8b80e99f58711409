// Admission policies: the registry's ValidatingAdmissionPolicies asked about everything this
// sync would write, after live state is read and before the first write, beside the project
// bounds. Each planned object (hooks once) is one request as the API server would see it:
// UPDATE with the live object as oldObject when it exists, else CREATE; its namespace as the
// cluster has it, or as this sync renders it when it is not there yet. A Deny refuses the
// whole sync (PolicyDeniedError, bad input: nothing is applied); Warn comes back to be said
// with the result; Audit goes to the caller's onAudit.
import type { Discovery } from '../kube/discovery.ts';
import { refKey, refOf } from '../kube/live.ts';
import { groupOf, type KubeObject } from '../kube/object.ts';
import { decidePolicies, refuseDenied } from '../policy/decide.ts';
import type { PolicyVerdict } from '../policy/evaluate.ts';
import { guessResource, type AdmissionRequest, type UserInfo } from '../policy/request.ts';
import type { PolicySet } from '../policy/types.ts';
import type { ObjectSource } from './changeset.ts';
import { namespaceRef } from './live-state.ts';
import type { PlannedObject } from './plan.ts';
import type { DesiredState } from './prepare.ts';
import { renderedCrdKinds } from './rendered-crds.ts';

export interface SyncPolicies {
  set: PolicySet;
  /** Who the cluster sees writing: the `request.userInfo` policies read. */
  userInfo: UserInfo;
  /** Audit verdicts of this sync, for the caller to log or emit. */
  onAudit?: (verdicts: PolicyVerdict[]) => void;
}

/** The warnings of Warn bindings; throws PolicyDeniedError when a Deny binding refuses an object. */
export async function checkPolicies(
  policies: SyncPolicies | undefined,
  desired: DesiredState<ObjectSource>,
  discovery: Discovery,
  live: ReadonlyMap<string, KubeObject>,
): Promise<string[]> {
  if (!policies || policies.set.bindings.length === 0) return [];
  const requests = await admissionRequests(desired, discovery, live, policies.userInfo);
  const outcome = decidePolicies(policies.set, requests);
  if (outcome.audits.length > 0) policies.onAudit?.(outcome.audits);
  refuseDenied(outcome);
  return outcome.warnings;
}

/** One admission request per planned object (hooks once), as checkPolicies asks them; the preview asks them too. */
export async function admissionRequests(
  desired: DesiredState<ObjectSource>,
  discovery: Discovery,
  live: ReadonlyMap<string, KubeObject>,
  userInfo: UserInfo,
): Promise<AdmissionRequest[]> {
  const planned = [...new Set<PlannedObject<ObjectSource>>(desired.plan.steps.flatMap((step) => step.objects))];
  const rendered = new Map(planned.map(({ object }) => [refKey(refOf(object)), object]));
  const crds = renderedCrdKinds(planned.map(({ object }) => object));
  const requests: AdmissionRequest[] = [];
  for (const { object } of planned) {
    const info = await discovery.lookup(object.apiVersion, object.kind);
    // A CRD of this sync names its resource and scope before discovery can (when it names its plural).
    const crd = crds.get(`${groupOf(object.apiVersion)}/${object.kind}`);
    const fromCrd = crd?.resource ? crd : undefined;
    const namespaced = info?.namespaced ?? fromCrd?.namespaced ?? object.metadata.namespace !== undefined;
    const oldObject = object.metadata.name ? live.get(refKey(refOf(object))) : undefined;
    const namespace = namespaced ? object.metadata.namespace : undefined;
    const namespaceKey = namespace ? refKey(namespaceRef(namespace)) : undefined;
    requests.push({
      object,
      oldObject,
      namespaceObject: namespaceKey ? (live.get(namespaceKey) ?? rendered.get(namespaceKey)) : undefined,
      resource: info?.resource ?? fromCrd?.resource ?? guessResource(object.kind),
      namespaced,
      operation: oldObject ? 'UPDATE' : 'CREATE',
      userInfo,
    });
  }
  return requests;
}
