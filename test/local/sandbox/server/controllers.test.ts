// Simulated controllers: workloads become ready, jobs complete or fail on request,
// load balancers get addresses, and scaling through the scale subresource rolls out again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, eventually, type Client } from './client.ts';

let sandbox: Sandbox;
let api: Client;

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template },
};
const job = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, annotations },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'busybox' }] } } },
});

type Condition = { type: string; status: string; reason?: string };
const conditionsOf = (object: { status?: { conditions?: Condition[] } }) =>
  Object.fromEntries((object.status?.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: { readyDelayMs: 50 } });
  api = clientFor(sandbox);
  await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ctl' } });
});

afterAll(async () => {
  await sandbox?.stop();
});

const ready = async (path: string) =>
  eventually(async () => {
    const object = (await api.get(path)).body;
    const s = object.status ?? {};
    return s.observedGeneration === object.metadata.generation && s.readyReplicas === object.spec.replicas && s.updatedReplicas === object.spec.replicas
      ? object
      : undefined;
  });

describe('workload controllers', () => {
  it('makes a Deployment available with the real condition reasons', async () => {
    await api.post('/apis/apps/v1/namespaces/ctl/deployments', deployment);
    const live = await ready('/apis/apps/v1/namespaces/ctl/deployments/web');
    expect(live.status).toMatchObject({ replicas: 2, availableReplicas: 2 });
    expect(conditionsOf(live)).toEqual({ Available: 'True/MinimumReplicasAvailable', Progressing: 'True/NewReplicaSetAvailable' });
    const statusManager = live.metadata.managedFields.find((e: { manager: string }) => e.manager === 'kube-controller-manager');
    expect(statusManager).toMatchObject({ operation: 'Update', subresource: 'status' });
  });

  it('scales through the scale subresource and rolls out the new replica count', async () => {
    const scale = (await api.get('/apis/apps/v1/namespaces/ctl/deployments/web/scale')).body;
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } });
    const put = await api.put('/apis/apps/v1/namespaces/ctl/deployments/web/scale', { ...scale, spec: { replicas: 4 } });
    expect(put.body.spec.replicas).toBe(4);
    const live = await ready('/apis/apps/v1/namespaces/ctl/deployments/web');
    expect(live.status.availableReplicas).toBe(4);
    expect(live.metadata.generation).toBe(2);
  });

  it('rolls out a Deployment deleted and created again under the same name', async () => {
    const again = { ...deployment, metadata: { name: 'again' } };
    await api.post('/apis/apps/v1/namespaces/ctl/deployments', again);
    const first = await ready('/apis/apps/v1/namespaces/ctl/deployments/again');
    expect((await api.request('DELETE', '/apis/apps/v1/namespaces/ctl/deployments/again')).status).toBe(200);
    const created = (await api.post('/apis/apps/v1/namespaces/ctl/deployments', again)).body;
    expect(created.metadata.uid).not.toBe(first.metadata.uid);
    expect(created.status ?? {}).not.toHaveProperty('readyReplicas');
    const second = await ready('/apis/apps/v1/namespaces/ctl/deployments/again');
    expect(second.metadata.uid).toBe(created.metadata.uid);
    expect(conditionsOf(second)).toEqual({ Available: 'True/MinimumReplicasAvailable', Progressing: 'True/NewReplicaSetAvailable' });
  });

  it('makes StatefulSets, ReplicaSets and DaemonSets ready', async () => {
    const selector = { matchLabels: { app: 'web' } };
    await api.post('/apis/apps/v1/namespaces/ctl/statefulsets', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { replicas: 3, serviceName: 'db', selector, template },
    });
    await api.post('/apis/apps/v1/namespaces/ctl/replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs' },
      spec: { replicas: 1, selector, template },
    });
    await api.post('/apis/apps/v1/namespaces/ctl/daemonsets', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: { selector, template },
    });
    const sts = await ready('/apis/apps/v1/namespaces/ctl/statefulsets/db');
    expect(sts.status.currentRevision).toBe(sts.status.updateRevision);
    const rs = await eventually(async () => {
      const object = (await api.get('/apis/apps/v1/namespaces/ctl/replicasets/rs')).body;
      return object.status?.readyReplicas === 1 ? object : undefined;
    });
    expect(rs.status).toMatchObject({ replicas: 1, availableReplicas: 1, observedGeneration: 1 });
    const ds = await eventually(async () => {
      const object = (await api.get('/apis/apps/v1/namespaces/ctl/daemonsets/agent')).body;
      return object.status?.numberReady === 1 ? object : undefined;
    });
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 1, updatedNumberScheduled: 1, numberAvailable: 1 });
  });
});

describe('job controller', () => {
  it('completes a Job', async () => {
    await api.post('/apis/batch/v1/namespaces/ctl/jobs', job('migrate'));
    const done = await eventually(async () => {
      const object = (await api.get('/apis/batch/v1/namespaces/ctl/jobs/migrate')).body;
      return conditionsOf(object).Complete ? object : undefined;
    });
    expect(conditionsOf(done)).toEqual({ SuccessCriteriaMet: 'True/CompletionsReached', Complete: 'True/CompletionsReached' });
    expect(done.status.succeeded).toBe(1);
    expect(done.status.completionTime).toBeDefined();
  });

  it('fails a Job that asks to fail', async () => {
    await api.post('/apis/batch/v1/namespaces/ctl/jobs', job('broken', { 'sandbox.driftless.io/fail': 'true' }));
    const failed = await eventually(async () => {
      const object = (await api.get('/apis/batch/v1/namespaces/ctl/jobs/broken')).body;
      return conditionsOf(object).Failed ? object : undefined;
    });
    expect(conditionsOf(failed)).toEqual({ FailureTarget: 'True/BackoffLimitExceeded', Failed: 'True/BackoffLimitExceeded' });
    expect(failed.status.completionTime).toBeUndefined();
  });
});

describe('load balancers', () => {
  it('gives a LoadBalancer Service and an Ingress an address, and leaves a ClusterIP Service alone', async () => {
    await api.post('/api/v1/namespaces/ctl/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lb' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    });
    await api.post('/api/v1/namespaces/ctl/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'internal' }, spec: { ports: [{ port: 80 }] } });
    await api.post('/apis/networking.k8s.io/v1/namespaces/ctl/ingresses', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: { defaultBackend: { service: { name: 'internal', port: { number: 80 } } } },
    });
    for (const path of ['/api/v1/namespaces/ctl/services/lb', '/apis/networking.k8s.io/v1/namespaces/ctl/ingresses/web']) {
      const object = await eventually(async () => {
        const o = (await api.get(path)).body;
        return o.status?.loadBalancer?.ingress?.length ? o : undefined;
      });
      expect(object.status.loadBalancer.ingress[0].hostname).toMatch(/\.elb\./);
    }
    const internal = (await api.get('/api/v1/namespaces/ctl/services/internal')).body;
    expect(internal.spec.clusterIP).toMatch(/^10\.96\./);
    expect(internal.status?.loadBalancer?.ingress).toBeUndefined();
  });
});

describe('switched off', () => {
  it('leaves status alone when controllers are off', async () => {
    const quiet = await startSandbox({ controllers: false });
    try {
      const client = clientFor(quiet);
      await client.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'q' } });
      await client.post('/apis/apps/v1/namespaces/q/deployments', deployment);
      await new Promise((r) => setTimeout(r, 300));
      expect((await client.get('/apis/apps/v1/namespaces/q/deployments/web')).body.status?.readyReplicas).toBeUndefined();
    } finally {
      await quiet.stop();
    }
  });
});
