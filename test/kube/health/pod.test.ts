import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { condition, live } from './objects.ts';

const waiting = (reason: string, name = 'app') => ({ name, ready: false, state: { waiting: { reason, message: `${reason} message` } } });
const running = (ready: boolean, name = 'app') => ({ name, ready, state: { running: {} } });
const pod = (status: Record<string, unknown>, restartPolicy = 'Always') => live('v1', 'Pod', { spec: { restartPolicy }, status });

describe('Pod health', () => {
  it.each([
    ['succeeded', pod({ phase: 'Succeeded' }, 'Never'), 'Healthy'],
    ['failed', pod({ phase: 'Failed' }, 'Never'), 'Degraded'],
    ['running and ready', pod({ phase: 'Running', conditions: [condition('Ready', 'True')], containerStatuses: [running(true)] }), 'Healthy'],
    ['running, ready by container flags only', pod({ phase: 'Running', containerStatuses: [running(true), running(true, 'sidecar')] }), 'Healthy'],
    ['running, one container not ready', pod({ phase: 'Running', conditions: [condition('Ready', 'False')], containerStatuses: [running(true), running(false, 'sidecar')] }), 'Progressing'],
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
});
