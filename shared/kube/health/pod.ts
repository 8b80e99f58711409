// Pod: as gitops-engine, with two departures. Waiting reasons that will not clear on their
// own (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, CreateContainerConfigError: the
// gitops-engine pattern Err*, *Error, *BackOff) are Degraded only for restartPolicy Always.
// A hook pod (Never/OnFailure) may wait on an image that is still being pushed, and
// failing it early would rerun it after the sync ended (gitops-engine's reasoning).
// Departures: init containers count too (gitops-engine looks only at app containers, so a
// crash-looping init container left the pod Progressing forever), and a running pod that
// is not ready after one restart is still Progressing (gitops-engine: Degraded); a real
// crash loop reaches CrashLoopBackOff within seconds and is Degraded then.
//
// A running Never/OnFailure pod counts as one meant to end (a hook, a job-like pod: Healthy
// only once Succeeded), unless it carries `argocd.argoproj.io/ignore-restart-policy: "true"`
// (Argo CD's rule for operators that stamp Never on long-running pods, e.g. KubeVirt's
// virt-launcher): then it is Healthy when Running and ready, as an Always pod. As in Argo CD
// the annotation changes only the Running case (a failed pod is still Degraded, waiting
// reasons still do not fail it) and is ignored on hook pods, whose completion is their health.
// Argo CD documents the value "true"; gitops-engine only checks that the key is there. We
// take the documented "true", so that "false" does not mean true.
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
      // Pods meant to end (hooks, job-like pods) are not done while they run.
      if (restartPolicy !== 'Always' && !longRunning(object)) return health('Progressing', message ?? 'Pod is running');
      return isReady(object) ? health('Healthy', message) : health('Progressing', message ?? 'Pod is running but not ready');
    default:
      return health('Unknown', message);
  }
}

const IGNORE_RESTART_POLICY = 'argocd.argoproj.io/ignore-restart-policy';

// The hook annotations of shared/sync/annotations.ts (kube/ does not import sync/): any of
// them makes a pod a hook, except Argo CD's `Skip` and Helm's `crd-install`, which mark no hook
// (gitops-engine's hook.IsHook).
const HOOK_ANNOTATIONS = ['driftless.io/hook', 'argocd.argoproj.io/hook', 'helm.sh/hook'];

function longRunning(object: KubeObject): boolean {
  const annotations = object.metadata.annotations ?? {};
  return annotations[IGNORE_RESTART_POLICY]?.trim().toLowerCase() === 'true' && !isHook(annotations);
}

function isHook(annotations: Record<string, string>): boolean {
  return HOOK_ANNOTATIONS.some((key) => {
    const value = annotations[key]?.trim();
    if (value === undefined) return false;
    return !(key !== 'helm.sh/hook' ? value === 'Skip' : value === 'crd-install');
  });
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
