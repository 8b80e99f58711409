// Jobs: running at once, then complete after the delay (SuccessCriteriaMet + Complete),
// or failed (FailureTarget + Failed, BackoffLimitExceeded) when the Job carries the
// annotation sandbox.driftless.io/fail: "true", so tests can exercise both outcomes.
import type { KubeObject } from '../../../shared/kube/object.ts';
import { now } from '../server-fields.ts';
import { compact, condition, specOf, statusOf, type Condition, type Controller } from './controller.ts';

export const FAIL_ANNOTATION = 'sandbox.driftless.io/fail';

function finished(object: KubeObject): boolean {
  const conditions = (statusOf(object).conditions ?? []) as Condition[];
  return conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

function probeCondition(current: KubeObject, type: string, reason: string, message: string): Condition {
  const time = now();
  return { ...condition(current, { type, status: 'True', reason, message }), lastProbeTime: time };
}

export const jobController: Controller = {
  group: 'batch',
  resource: 'jobs',
  steps(object, readyDelayMs) {
    if (specOf(object).suspend === true || finished(object)) return [];
    const startTime = (statusOf(object).startTime as string | undefined) ?? now();
    return [
      {
        afterMs: 0,
        status: (current) => ({
          ...statusOf(current),
          startTime,
          active: Number(specOf(current).parallelism ?? 1),
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
        }),
      },
      {
        afterMs: readyDelayMs,
        status: (current) => {
          if (current.metadata.annotations?.[FAIL_ANNOTATION] === 'true') {
            const message = 'Job has reached the specified backoff limit';
            return {
              startTime,
              ...compact({ failed: Number(specOf(current).backoffLimit ?? 6) + 1 }),
              ready: 0,
              terminating: 0,
              uncountedTerminatedPods: {},
              conditions: [
                probeCondition(current, 'FailureTarget', 'BackoffLimitExceeded', message),
                probeCondition(current, 'Failed', 'BackoffLimitExceeded', message),
              ],
            };
          }
          const message = 'Reached expected number of succeeded pods';
          return {
            startTime,
            completionTime: now(),
            succeeded: Number(specOf(current).completions ?? 1),
            ready: 0,
            terminating: 0,
            uncountedTerminatedPods: {},
            conditions: [
              probeCondition(current, 'SuccessCriteriaMet', 'CompletionsReached', message),
              probeCondition(current, 'Complete', 'CompletionsReached', message),
            ],
          };
        },
      },
    ];
  },
};
