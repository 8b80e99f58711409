// Pod: as gitops-engine, with two departures. Waiting reasons that will not clear on their
// own (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, CreateContainerConfigError: the
// gitops-engine pattern Err*, *Error, *BackOff) are Degraded only for restartPolicy Always.
// A hook pod (Never/OnFailure) may wait on an image that is still being pushed, and
// failing it early would rerun it after the sync ended (gitops-engine's reasoning).
// Departures: init containers count too (gitops-engine looks only at app containers, so a
// crash-looping init container left the pod Progressing forever), and a running pod that
// is not ready after one restart is still Progressing (gitops-engine: Degraded); a real
// crash loop reaches CrashLoopBackOff within seconds and is Degraded then.
import type { KubeObject } from '../object.ts';
import { conditionOf, listAt, record, spec, status, stringAt } from './fields.ts';
import { health, type Health } from './status.ts';

export function podHealth(object: KubeObject): Health {
  const observed = status(object);
  const message = stringAt(observed, 'message');
  const restartPolicy = stringAt(spec(object), 'restartPolicy') ?? 'Always';
  const containers = [...listAt(observed, 'initContainerStatuses'), ...listAt(observed, 'containerStatuses')];

  if (restartPolicy === 'Always') {
    const stuck = containers.flatMap((container) => {
      const waiting = record(record(container.state).waiting);
      const reason = stringAt(waiting, 'reason') ?? '';
      if (!isStuck(reason)) return [];
      return [`${stringAt(container, 'name')}: ${reason}${waiting.message ? ` (${String(waiting.message)})` : ''}`];
    });
    if (stuck.length > 0) return health('Degraded', stuck.join(', '));
  }

  switch (stringAt(observed, 'phase')) {
    case undefined:
      return health('Progressing', 'Pod phase not reported yet');
    case 'Pending':
      return health('Progressing', message ?? 'Pod is pending');
    case 'Succeeded':
      return health('Healthy', message);
    case 'Failed':
      return health('Degraded', message ?? failureOf(containers) ?? 'Pod failed');
    case 'Running':
      // Pods meant to end (hooks) are not done while they run.
      if (restartPolicy !== 'Always') return health('Progressing', message ?? 'Pod is running');
      return isReady(object) ? health('Healthy', message) : health('Progressing', message ?? 'Pod is running but not ready');
    default:
      return health('Unknown', message);
  }
}

function isStuck(reason: string): boolean {
  return reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff');
}

// The kubelet's Ready condition also covers readiness gates; container flags are the
// fallback for a status written without conditions.
function isReady(object: KubeObject): boolean {
  const ready = conditionOf(object, 'Ready');
  if (ready) return ready.status === 'True';
  const app = listAt(status(object), 'containerStatuses');
  return app.length > 0 && app.every((container) => container.ready === true);
}

function failureOf(containers: Record<string, unknown>[]): string | undefined {
  for (const container of containers) {
    const terminated = record(record(container.state).terminated);
    const name = stringAt(container, 'name');
    const text = stringAt(terminated, 'message');
    if (text) return text;
    if (stringAt(terminated, 'reason') === 'OOMKilled') return `container "${name}" was OOMKilled`;
    const exitCode = terminated.exitCode;
    if (typeof exitCode === 'number' && exitCode !== 0) return `container "${name}" failed with exit code ${exitCode}`;
  }
  return undefined;
}
