import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { condition, live } from './objects.ts';

const waiting = (reason: string, name = 'app') => ({ name, ready: false, state: { waiting: { reason, message: `${reason} message` } } });
const running = (ready: boolean, name = 'app') => ({ name, ready, state: { running: {} } });
const pod = (status: Record<string, unknown>, restartPolicy = 'Always', annotations?: Record<string, string>) =>
  live('v1', 'Pod', { spec: { restartPolicy }, status, annotations });

describe('Pod health', () => {
  it.each([
    ['succeeded', pod({ phase: 'Succeeded' }, 'Never'), 'Healthy'],
    ['failed', pod({ phase: 'Failed' }, 'Never'), 'Degraded'],
    ['running and ready', pod({ phase: 'Running', conditions: [condition('Ready', 'True')], containerStatuses: [running(true)] }), 'Healthy'],
    ['running, ready by container flags only', pod({ phase: 'Running', containerStatuses: [running(true), running(true, 'sidecar')] }), 'Healthy'],
    [
      'running, one container not ready',
      pod({ phase: 'Running', conditions: [condition('Ready', 'False')], containerStatuses: [running(true), running(false, 'sidecar')] }),
      'Progressing',
    ],
    ['pending', pod({ phase: 'Pending' }), 'Progressing'],
    ['no phase yet', pod({}), 'Progressing'],
    ['crash looping', pod({ phase: 'Running', containerStatuses: [waiting('CrashLoopBackOff')] }), 'Degraded'],
    ['image pull back-off', pod({ phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff')] }), 'Degraded'],
    ['image pull error', pod({ phase: 'Pending', containerStatuses: [waiting('ErrImagePull')] }), 'Degraded'],
    ['bad config', pod({ phase: 'Pending', containerStatuses: [waiting('CreateContainerConfigError')] }), 'Degraded'],
    ['init container crash looping', pod({ phase: 'Pending', initContainerStatuses: [waiting('CrashLoopBackOff', 'init')] }), 'Degraded'],
    ['container creating', pod({ phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] }), 'Progressing'],
    ['hook pod waiting on its image', pod({ phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff')] }, 'Never'), 'Progressing'],
    ['hook pod running', pod({ phase: 'Running', conditions: [condition('Ready', 'True')] }, 'OnFailure'), 'Progressing'],
    ['unknown phase', pod({ phase: 'Unknown' }), 'Unknown'],
  ])('%s → %s', (_, object, status) => {
    expect(assessHealth(object).status).toBe(status);
  });

  it('names the stuck containers', () => {
    const object = pod({ phase: 'Running', containerStatuses: [running(true, 'sidecar'), waiting('CrashLoopBackOff')] });
    expect(assessHealth(object).message).toBe('app: CrashLoopBackOff (CrashLoopBackOff message)');
  });

  it.each([
    [{ phase: 'Failed', message: 'The node was low on resource: memory.' }, 'The node was low on resource: memory.'],
    [{ phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 2 } } }] }, 'container "app" failed with exit code 2'],
    [{ phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] }, 'container "app" was OOMKilled'],
  ])('says why a pod failed: %o', (status, message) => {
    expect(assessHealth(pod(status, 'Never'))).toEqual({ status: 'Degraded', message });
  });

  // Argo CD's operator manual (Resource Health, Pod): a Never/OnFailure pod runs to completion
  // like a Job unless annotated argocd.argoproj.io/ignore-restart-policy: "true", which makes a
  // running pod assessed as a long-running one; a failed pod stays Degraded, and hook pods
  // ignore the annotation.
  describe('argocd.argoproj.io/ignore-restart-policy', () => {
    const ignore = { 'argocd.argoproj.io/ignore-restart-policy': 'true' };
    const ready = { phase: 'Running', conditions: [condition('Ready', 'True')], containerStatuses: [running(true)] };
    const notReady = { phase: 'Running', conditions: [condition('Ready', 'False')], containerStatuses: [running(false)] };
    it.each([
      ['Never, running and ready, annotated', pod(ready, 'Never', ignore), 'Healthy'],
      ['OnFailure, running and ready, annotated', pod(ready, 'OnFailure', ignore), 'Healthy'],
      ['Never, running and ready, not annotated', pod(ready, 'Never'), 'Progressing'],
      ['Never, running but not ready, annotated', pod(notReady, 'Never', ignore), 'Progressing'],
      ['Never, succeeded, annotated', pod({ phase: 'Succeeded' }, 'Never', ignore), 'Healthy'],
      ['Never, failed, annotated', pod({ phase: 'Failed' }, 'Never', ignore), 'Degraded'],
      ['Never, pending, annotated', pod({ phase: 'Pending' }, 'Never', ignore), 'Progressing'],
      ['annotated "false"', pod(ready, 'Never', { 'argocd.argoproj.io/ignore-restart-policy': 'false' }), 'Progressing'],
      ['an Argo CD hook, annotated', pod(ready, 'Never', { ...ignore, 'argocd.argoproj.io/hook': 'PreSync' }), 'Progressing'],
      ['a Helm hook, annotated', pod(ready, 'OnFailure', { ...ignore, 'helm.sh/hook': 'pre-install' }), 'Progressing'],
      ['a Driftless hook, annotated', pod(ready, 'Never', { ...ignore, 'driftless.io/hook': 'PostSync' }), 'Progressing'],
      ['Helm crd-install is no hook, annotated', pod(ready, 'Never', { ...ignore, 'helm.sh/hook': 'crd-install' }), 'Healthy'],
      ['Always, running and ready, annotated', pod(ready, 'Always', ignore), 'Healthy'],
    ])('%s → %s', (_, object, status) => {
      expect(assessHealth(object).status).toBe(status);
    });
  });
});
