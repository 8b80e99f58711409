// The verdicts a sync of the head would meet before its first write: the app's project bounds
// (every object, the namespace CreateNamespace would create included) and the registry's
// admission policies, asked exactly as the sync asks them (sync/project-bounds.ts,
// sync/policy-check.ts). A sync throws on the first refusal; a preview lists them all.
import type { Discovery } from '../kube/discovery.ts';
import { decidePolicies } from '../policy/decide.ts';
import type { PolicySet } from '../policy/types.ts';
import { ProjectViolationError } from '../project/errors.ts';
import type { ObjectSource } from '../sync/changeset.ts';
import type { LiveState } from '../sync/live-state.ts';
import { admissionRequests } from '../sync/policy-check.ts';
import type { DesiredState } from '../sync/prepare.ts';
import { checkProjectBounds, type ProjectBounds } from '../sync/project-bounds.ts';
import { WORKER_USER } from '../worker/sync-policies.ts';
import type { Verdict } from './types.ts';

export interface VerdictInput {
  bounds: ProjectBounds;
  policies?: PolicySet;
  desired: DesiredState<ObjectSource>;
  discovery: Discovery;
  live: LiveState;
  createNamespace?: string;
  /** The sync would write managedNamespaceMetadata onto an existing namespace. */
  labelsNamespace: boolean;
}

export interface HeadVerdicts {
  verdicts: Verdict[];
  /** describeObject of each object the project does not permit: never dry-run or shown. */
  outOfBounds: Set<string>;
}

export async function headVerdicts(input: VerdictInput): Promise<HeadVerdicts> {
  const verdicts: Verdict[] = [];
  const outOfBounds = new Set<string>();
  try {
    await checkProjectBounds(input.bounds, input.desired, input.discovery, {
      create: input.createNamespace,
      existing: input.live.existingNamespaces,
      label: input.labelsNamespace,
    });
  } catch (error) {
    if (!(error instanceof ProjectViolationError)) throw error;
    for (const violation of error.violations) {
      verdicts.push({ object: violation.object, policy: `project ${error.project}`, allowed: false, message: violation.rule });
      outOfBounds.add(violation.object);
    }
  }
  if (input.policies && input.policies.bindings.length > 0) {
    // As the worker writes: the policies see the same user a sync would be.
    const requests = await admissionRequests(input.desired, input.discovery, input.live.objects, WORKER_USER);
    for (const verdict of decidePolicies(input.policies, requests).verdicts) {
      verdicts.push({
        object: verdict.object,
        policy: verdict.policy,
        // Warn and Audit are said, not enforced: only a Deny binding stops the sync.
        allowed: !verdict.actions.includes('Deny'),
        message: `${verdict.actions.join(', ')} (binding ${verdict.binding}): ${verdict.message}`,
      });
    }
  }
  return { verdicts, outOfBounds };
}
