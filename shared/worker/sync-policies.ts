// The registry's admission policies as one sync asks them: the identity the worker writes
// as (the `request.userInfo` a policy reads) and where Audit verdicts go (a structured log
// line per sync with the target, revision and each verdict; no object contents).
import type { PolicyVerdict } from '../policy/evaluate.ts';
import type { UserInfo } from '../policy/request.ts';
import type { PolicySet } from '../policy/types.ts';
import type { SyncPolicies } from '../sync/policy-check.ts';
import type { WorkerDependencies } from './dependencies.ts';
import type { SyncRun } from './finish.ts';

/**
 * The worker as the policies see it. Its identity on the cluster is whatever the access entry
 * maps its role to; policies written for Driftless match this name, which does not change with
 * the role or the cluster.
 */
export const WORKER_USER: UserInfo = { username: 'driftless', groups: ['system:authenticated'] };

export function syncPolicies(set: PolicySet, run: SyncRun, deps: Pick<WorkerDependencies, 'logger'>): SyncPolicies {
  return {
    set,
    userInfo: WORKER_USER,
    onAudit: (verdicts: PolicyVerdict[]) =>
      deps.logger.info('admission policy audit', {
        app: run.target.app,
        cluster: run.target.cluster,
        revision: run.job.revision,
        deliveryId: run.job.deliveryId,
        audits: verdicts.map(({ object, policy, binding, message, param }) => ({ object, policy, binding, message, ...(param ? { param } : {}) })),
      }),
  };
}
