// The dashboard API over the real pipeline: a config repo with two apps and an argocd-rbac-cm,
// synced by the real webhook and worker into the sandbox; the API reads the real state table
// (dynalite, through an SDK client whose requests are counted), acts through the real queue,
// and the worker (workOnce) carries its syncs out. RBAC is the registry's own policy.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDetail, FleetPage, ResourceTree, TargetDiff, TargetEvents } from '../../shared/api/contract.ts';
import type { ApiDeps, ApiRequest } from '../../shared/api/deps.ts';
import { apiDependencies } from '../../shared/api/environment.ts';
import { handleApiRequest } from '../../shared/api/router.ts';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { parseRbacConfig } from '../../shared/rbac/config.ts';
import { createRbacEnforcer } from '../../shared/rbac/enforcer.ts';
import type { Identity } from '../../shared/rbac/identity.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { appDocument, OWNER, REPO, startPipeline, webDeployment, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const SECRET_VALUE = 'hunter2-do-not-show';

const registryFiles = {
  'driftless/clusters.yaml':
    'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: sandbox, labels: { env: dev } }\nspec:\n  kubeconfig: { context: sandbox }\n',
  'driftless/web.yaml': appDocument({ name: 'web', namespace: 'shop' }),
  'driftless/api.yaml': appDocument({ name: 'api', namespace: 'backend' }),
  // Argo CD's ConfigMap as it is.
  'driftless/rbac.yaml': `apiVersion: v1
kind: ConfigMap
metadata: { name: argocd-rbac-cm, namespace: argocd }
data:
  policy.default: role:readonly
  scopes: '[groups]'
  policy.csv: |
    p, role:deployer, applications, sync, default/*, allow
    g, deployers, role:deployer
    g, admins, role:admin
`,
};

function webFiles(color: string): Record<string, string> {
  return {
    'apps/web/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-config }\ndata: { color: ${color} }\n`,
    'apps/web/deploy.yaml': webDeployment(2),
    'apps/web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: { name: web-secret }\nstringData: { password: ${SECRET_VALUE} }\n`,
  };
}
const apiFiles = { 'apps/api/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: api-config }\ndata: { port: "8080" }\n' };

const admin: Identity = { user: 'ada', claims: { sub: 'ada', groups: ['admins'] } };
const deployer: Identity = { user: 'dan', claims: { sub: 'dan', groups: ['deployers'] } };
const reader: Identity = { user: 'rita', claims: { sub: 'rita' } };

let pipeline: Pipeline;
let deps: ApiDeps;
let kube: KubeClient;
const dynamoRequests: string[] = [];
let first: string;
let second: string;

/** `null`: no identity, as a request that did not come through the authorizer. */
async function call<T = unknown>(request: Partial<ApiRequest> & { path: string }, identity: Identity | null = admin) {
  const answer = await handleApiRequest({ method: 'GET', query: {}, ...(identity ? { identity } : {}), ...request }, deps);
  return answer as { status: number; headers: Record<string, string>; body: T };
}

beforeAll(async () => {
  pipeline = await startPipeline();
  first = await pipeline.repo.commit({ ...registryFiles, ...webFiles('blue'), ...apiFiles });
  const pushed = await pipeline.push(EMPTY, first, { added: [...Object.keys(registryFiles), ...Object.keys(webFiles('blue')), ...Object.keys(apiFiles)] });
  expect(pushed.statusCode).toBe(202);
  await pipeline.work(async () => {
    const [web, api] = await Promise.all([pipeline.store.getTarget('web', 'sandbox'), pipeline.store.getTarget('api', 'sandbox')]);
    return web?.revision === first && web.health === 'Healthy' && api?.revision === first;
  }, 60_000);
  // The table read through a client of our own whose every request is counted.
  const client = new DynamoDBClient({});
  client.middlewareStack.add(
    (next, context) => async (args) => {
      dynamoRequests.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  deps = { ...apiDependencies(process.env), store: new DynamoStateStore({ client, tableName: process.env.STATE_TABLE ?? '' }) };
  kube = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
}, 120_000);
afterAll(async () => {
  kube?.close();
  await pipeline?.stop();
});

describe('GET /api/fleet', () => {
  it('lists every app × cluster with sync status, health, revision linked to its commit, from one registry read and one scan', async () => {
    dynamoRequests.length = 0;
    const { status, body, headers } = await call<FleetPage>({ path: '/api/fleet' });
    expect(status).toBe(200);
    expect(dynamoRequests.length).toBe(2);
    expect(dynamoRequests.filter((name) => /Scan/.test(name))).toHaveLength(1);
    expect(body.total).toBe(2);
    expect(body.rows.map((row) => `${row.app}@${row.cluster}`)).toEqual(['api@sandbox', 'web@sandbox']);
    expect(body.rows[1]).toMatchObject({
      app: 'web',
      cluster: 'sandbox',
      project: 'default',
      clusterLabels: { env: 'dev' },
      namespace: 'shop',
      syncStatus: 'Synced',
      health: 'Healthy',
      revision: first,
      revisionUrl: `https://github.com/${OWNER}/${REPO}/commit/${first}`,
      suspended: false,
      allowed: { sync: true, rollback: true, suspend: true },
    });
    expect(body.rows[1].lastSyncAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body.healthCounts).toEqual({ Healthy: 2 });
    expect(headers.etag).toBe(body.etag);
  });

  it('filters by q, health, cluster and cluster label', async () => {
    const rows = async (query: Record<string, string>) => (await call<FleetPage>({ path: '/api/fleet', query })).body.rows.map((row) => row.app);
    expect(await rows({ q: 'WE' })).toEqual(['web']);
    expect(await rows({ q: 'sand' })).toEqual(['api', 'web']);
    expect(await rows({ health: 'degraded' })).toEqual([]);
    expect(await rows({ health: 'Healthy', cluster: 'sandbox' })).toEqual(['api', 'web']);
    expect(await rows({ cluster: 'prod' })).toEqual([]);
    expect(await rows({ label: 'env=dev' })).toEqual(['api', 'web']);
    expect(await rows({ label: 'env=prod' })).toEqual([]);
    expect((await call({ path: '/api/fleet', query: { label: 'env' } })).status).toBe(400);
  });

  it('pages beyond limit with an opaque cursor, and refuses a cursor it did not give out', async () => {
    const page1 = (await call<FleetPage>({ path: '/api/fleet', query: { limit: '1' } })).body;
    expect(page1.rows.map((row) => row.app)).toEqual(['api']);
    expect(page1.total).toBe(2);
    expect(page1.next).toEqual(expect.any(String));
    const page2 = (await call<FleetPage>({ path: '/api/fleet', query: { limit: '1', cursor: page1.next } })).body;
    expect(page2.rows.map((row) => row.app)).toEqual(['web']);
    expect(page2.next).toBeUndefined();
    expect((await call({ path: '/api/fleet', query: { cursor: 'not-a-cursor' } })).status).toBe(400);
    expect((await call({ path: '/api/fleet', query: { limit: '5001' } })).status).toBe(400);
  });

  it('answers 304 to If-None-Match while nothing changed, and a new etag once a row changes', async () => {
    const { body } = await call<FleetPage>({ path: '/api/fleet' });
    const unchanged = await call({ path: '/api/fleet', headers: { 'if-none-match': body.etag } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBeUndefined();
    await pipeline.store.putTargetState({ app: 'api', cluster: 'sandbox', message: 'touched by the test' });
    const changed = await call<FleetPage>({ path: '/api/fleet', headers: { 'if-none-match': body.etag } });
    expect(changed.status).toBe(200);
    expect(changed.body.etag).not.toBe(body.etag);
  });

  it('lists and counts only the rows the identity may get', async () => {
    const onlyWeb = await createRbacEnforcer(parseRbacConfig({ 'policy.csv': 'p, rita, applications, get, default/web, allow' }));
    const page = await handleApiRequest({ method: 'GET', path: '/api/fleet', query: {}, identity: reader }, { ...deps, rbac: async () => onlyWeb });
    const body = page.body as FleetPage;
    expect(body.rows.map((row) => row.app)).toEqual(['web']);
    expect(body.total).toBe(1);
    expect(body.healthCounts).toEqual({ Healthy: 1 });
    expect(body.rows[0].allowed).toEqual({ sync: false, rollback: false, suspend: false });
    // An app the identity may not see is not found, and the 404 names no app it may not see.
    const hidden = await handleApiRequest({ method: 'GET', path: '/api/apps/apo', query: {}, identity: reader }, { ...deps, rbac: async () => onlyWeb });
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain('api');
  });

  it('answers 401 without an identity', async () => {
    const { status, body } = await call({ path: '/api/fleet' }, null);
    expect(status).toBe(401);
    expect(body).toEqual({ error: expect.stringMatching(/sign in/) });
  });
});

describe('GET /api/me', () => {
  it('names the user and the groups the registry scopes pick', async () => {
    expect((await call({ path: '/api/me' }, deployer)).body).toEqual({ user: 'dan', groups: ['deployers'], signInRequired: true });
  });
});

describe('GET /api/apps/:app', () => {
  it('has the app, its source and, per cluster, its state and history', async () => {
    const { status, body } = await call<AppDetail>({ path: '/api/apps/web' }, reader);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      app: 'web',
      project: 'default',
      source: { repoURL: expect.stringContaining(`${OWNER}/${REPO}`), path: 'apps/web', targetRevision: 'main' },
    });
    expect(body.targets).toHaveLength(1);
    expect(body.targets[0]).toMatchObject({
      cluster: 'sandbox',
      syncStatus: 'Synced',
      health: 'Healthy',
      revision: first,
      allowed: { sync: false, rollback: false, suspend: false },
    });
    expect(body.targets[0].history[0]).toMatchObject({ revision: first, status: 'Synced', health: 'Healthy' });
    expect(body.targets[0].history[0].durationMs).toBeGreaterThanOrEqual(0);
  });

  it('answers 404 naming the closest app for a typo', async () => {
    const { status, body } = await call({ path: '/api/apps/wbe' });
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'no app "wbe": did you mean web?' });
  });
});

describe('GET .../tree', () => {
  it('hangs ReplicaSets under their Deployment and Pods under their ReplicaSet, by owner references', async () => {
    // The sandbox's controllers set workload status but make no ReplicaSets or Pods: made here
    // as kube-controller-manager would, owned through ownerReferences.
    const deployment = await kube.get<{ metadata: { uid: string } }>('/apis/apps/v1/namespaces/shop/deployments/web');
    const replicaSet = await kube.request<{ metadata: { uid: string } }>({
      method: 'POST',
      path: '/apis/apps/v1/namespaces/shop/replicasets',
      body: {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: 'web-5d8f',
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deployment.metadata.uid, controller: true }],
        },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
        },
      },
    });
    for (const name of ['web-5d8f-a', 'web-5d8f-b'])
      await kube.request({
        method: 'POST',
        path: '/api/v1/namespaces/shop/pods',
        body: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name,
            labels: { app: 'web' },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f', uid: replicaSet.metadata.uid, controller: true }],
          },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      });
    await kube.request({
      method: 'POST',
      path: '/api/v1/namespaces/shop/pods',
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray' }, spec: { containers: [{ name: 'x', image: 'busybox' }] } },
    });

    const before = pipeline.sandbox.requests.entries().length;
    const { status, body } = await call<ResourceTree>({ path: '/api/apps/web/clusters/sandbox/tree' }, reader);
    expect(status).toBe(200);
    const byName = new Map(body.nodes.map((node) => [`${node.kind}/${node.name}`, node]));
    expect([...byName.keys()].sort()).toEqual([
      'ConfigMap/web-config',
      'Deployment/web',
      'Pod/web-5d8f-a',
      'Pod/web-5d8f-b',
      'ReplicaSet/web-5d8f',
      'Secret/web-secret',
    ]);
    expect(byName.get('Deployment/web')).toMatchObject({ group: 'apps', namespace: 'shop', uid: deployment.metadata.uid, health: 'Healthy', managed: true });
    expect(byName.get('Deployment/web')?.parentUid).toBeUndefined();
    expect(byName.get('ReplicaSet/web-5d8f')).toMatchObject({ parentUid: deployment.metadata.uid, managed: false });
    expect(byName.get('Pod/web-5d8f-a')).toMatchObject({ group: '', parentUid: replicaSet.metadata.uid, managed: false });
    // Reads only, and no GET per object of a kind the app has several of.
    const reads = pipeline.sandbox.requests.entries().slice(before);
    expect(reads.every((entry) => entry.method === 'GET')).toBe(true);
    expect(reads.filter((entry) => /\/pods\/[^/]+$/.test(entry.path ?? ''))).toEqual([]);
  });
});

describe('GET .../events', () => {
  /** A core/v1 Event as kubelet or a controller records it (the tree test made the Pods it names). */
  const recordEvent = (namespace: string, name: string, fields: Record<string, unknown>) =>
    kube.request({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace}/events`,
      body: { apiVersion: 'v1', kind: 'Event', metadata: { name, namespace }, ...fields },
    });

  it("lists the events of the app's objects and of what controllers made of them, newest first, from one LIST per namespace", async () => {
    const deployment = await kube.get<{ metadata: { uid: string } }>('/apis/apps/v1/namespaces/shop/deployments/web');
    const pod = await kube.get<{ metadata: { uid: string } }>('/api/v1/namespaces/shop/pods/web-5d8f-a');
    await recordEvent('shop', 'web.17a1', {
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', uid: deployment.metadata.uid },
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-5d8f from 0 to 2',
      count: 1,
      firstTimestamp: '2026-03-01T10:00:00Z',
      lastTimestamp: '2026-03-01T10:00:00Z',
      source: { component: 'deployment-controller' },
    });
    await recordEvent('shop', 'web-5d8f-a.17a2', {
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web-5d8f-a', uid: pod.metadata.uid, fieldPath: 'spec.containers{web}' },
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container web in pod web-5d8f-a_shop',
      count: 7,
      firstTimestamp: '2026-03-01T10:01:00Z',
      lastTimestamp: '2026-03-01T10:05:00Z',
      source: { component: 'kubelet', host: 'node-1' },
    });
    // As events.k8s.io/v1 writes it (seen through core/v1): no lastTimestamp or count, a series instead; no uid.
    await recordEvent('shop', 'web-config.17a3', {
      involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web-config' },
      type: 'Normal',
      reason: 'Checked',
      message: 'looked at by a test controller',
      eventTime: '2026-03-01T10:06:00.000000Z',
      series: { count: 3, lastObservedTime: '2026-03-01T10:09:00.000000Z' },
      reportingComponent: 'test-controller',
    });
    // Not the app's: a Pod nobody owns, and another app's object in another namespace.
    await recordEvent('shop', 'stray.17a4', {
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'stray' },
      type: 'Warning',
      reason: 'Failed',
      message: 'not web’s',
      lastTimestamp: '2026-03-01T11:00:00Z',
    });
    await recordEvent('backend', 'api-config.17a5', {
      involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'backend', name: 'api-config' },
      reason: 'Other',
      message: 'api’s',
      lastTimestamp: '2026-03-01T11:00:00Z',
    });

    const before = pipeline.sandbox.requests.entries().length;
    const { status, body } = await call<TargetEvents>({ path: '/api/apps/web/clusters/sandbox/events' }, reader);
    expect(status).toBe(200);
    expect(body).toEqual({
      app: 'web',
      cluster: 'sandbox',
      truncated: false,
      events: [
        {
          type: 'Normal',
          reason: 'Checked',
          message: 'looked at by a test controller',
          object: { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'web-config' },
          count: 3,
          lastTimestamp: '2026-03-01T10:09:00.000000Z',
          firstTimestamp: '2026-03-01T10:06:00.000000Z',
          source: 'test-controller',
        },
        {
          type: 'Warning',
          reason: 'BackOff',
          message: 'Back-off restarting failed container web in pod web-5d8f-a_shop',
          object: { group: '', kind: 'Pod', namespace: 'shop', name: 'web-5d8f-a' },
          count: 7,
          lastTimestamp: '2026-03-01T10:05:00Z',
          firstTimestamp: '2026-03-01T10:01:00Z',
          source: 'kubelet',
        },
        {
          type: 'Normal',
          reason: 'ScalingReplicaSet',
          message: 'Scaled up replica set web-5d8f from 0 to 2',
          object: { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' },
          count: 1,
          lastTimestamp: '2026-03-01T10:00:00Z',
          firstTimestamp: '2026-03-01T10:00:00Z',
          source: 'deployment-controller',
        },
      ],
    });
    const reads = pipeline.sandbox.requests.entries().slice(before);
    expect(reads.every((entry) => entry.method === 'GET')).toBe(true);
    expect(reads.filter((entry) => /\/events$/.test(entry.path ?? '')).map((entry) => entry.path)).toEqual(['/api/v1/namespaces/shop/events']);
  });

  it('is bounded: the newest 100, and says there were more', async () => {
    // 110 more for the Deployment, a second apart from 2026-03-02: with the 3 earlier ones, 113 in all.
    for (let i = 0; i < 110; i++) {
      const at = new Date(Date.parse('2026-03-02T00:00:00Z') + i * 1000).toISOString();
      await recordEvent('shop', `web.bulk${i}`, {
        involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
        type: 'Normal',
        reason: 'Bulk',
        message: `event ${i}`,
        lastTimestamp: at,
      });
    }
    const { body } = await call<TargetEvents>({ path: '/api/apps/web/clusters/sandbox/events' });
    expect(body.truncated).toBe(true);
    expect(body.events).toHaveLength(100);
    expect(body.events[0].message).toBe('event 109');
    expect(body.events[99].message).toBe('event 10');
  });

  it('is refused as the app is: not found for an identity that may not get it, 401 without one, 405 for a POST', async () => {
    // No policy.default (Argo CD's default role wins over any deny): rita may get api only.
    const onlyApi = await createRbacEnforcer(parseRbacConfig({ 'policy.csv': 'p, rita, applications, get, default/api, allow' }));
    const hidden = await handleApiRequest(
      { method: 'GET', path: '/api/apps/web/clusters/sandbox/events', query: {}, identity: reader },
      { ...deps, rbac: async () => onlyApi },
    );
    // Reading anything of an app needs `get`; an app the caller may not get answers as one that does not exist.
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain('Back-off');
    // The app it may get answers, with only that app's events (its namespace's).
    const allowed = await handleApiRequest(
      { method: 'GET', path: '/api/apps/api/clusters/sandbox/events', query: {}, identity: reader },
      { ...deps, rbac: async () => onlyApi },
    );
    expect(allowed.status).toBe(200);
    expect((allowed.body as TargetEvents).events.map((event) => `${event.object.kind}/${event.object.name}: ${event.message}`)).toEqual([
      'ConfigMap/api-config: api’s',
    ]);
    expect((await call({ path: '/api/apps/web/clusters/sandbox/events' }, null)).status).toBe(401);
    expect((await call({ method: 'POST', path: '/api/apps/web/clusters/sandbox/events' })).status).toBe(405);
    expect((await call({ path: '/api/apps/web/clusters/nowhere/events' })).status).toBe(404);
  });
});

describe('GET .../diff', () => {
  it('shows what differs from Git, with Secret values masked', async () => {
    await kube.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/shop/configmaps/web-config',
      contentType: 'application/merge-patch+json',
      body: { data: { color: 'red' } },
    });
    await kube.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/shop/secrets/web-secret',
      contentType: 'application/merge-patch+json',
      body: { data: { password: Buffer.from('changed-by-hand').toString('base64') } },
    });
    const { status, body } = await call<TargetDiff>({ path: '/api/apps/web/clusters/sandbox/diff' }, reader);
    expect(status).toBe(200);
    expect(body.revision).toBe(first);
    expect(body.diff).toContain('-  color: red');
    expect(body.diff).toContain('+  color: blue');
    expect(body.diff).toContain('++++++++');
    for (const secret of [SECRET_VALUE, 'changed-by-hand', Buffer.from(SECRET_VALUE).toString('base64'), Buffer.from('changed-by-hand').toString('base64')])
      expect(body.diff).not.toContain(secret);
  });
});

describe('actions', () => {
  const post = (path: string, identity: Identity, body?: unknown) =>
    call<{ accepted?: boolean; message?: string; seq?: number; error?: string }>({ method: 'POST', path, body }, identity);

  it('a read-only identity gets 403 on sync, with the check that failed', async () => {
    const { status, body } = await post('/api/apps/web/clusters/sandbox/sync', reader);
    expect(status).toBe(403);
    expect(body.error).toMatch(/applications, sync, default\/web for rita/);
  });

  it('a role:deployer (p, role:deployer, applications, sync, default/*, allow) syncs: the job reaches the worker', async () => {
    second = await pipeline.repo.commit(webFiles('green'));
    const { status, body } = await post('/api/apps/web/clusters/sandbox/sync', deployer);
    expect(status).toBe(202);
    expect(body).toMatchObject({ accepted: true, seq: expect.any(Number) });
    const worked = await pipeline.workOnce(2);
    expect(worked?.event.Records.map((record) => JSON.parse(record.body))).toContainEqual(
      expect.objectContaining({ kind: 'sync', app: 'web', cluster: 'sandbox', revision: second, trigger: 'manual' }),
    );
    const state = await pipeline.store.getTarget('web', 'sandbox');
    expect(state).toMatchObject({ revision: second, syncStatus: 'Synced' });
    expect(state?.appliedSeq).toBeGreaterThanOrEqual(body.seq ?? Infinity);
  });

  it('the deployer may not suspend (update), and gets 403', async () => {
    expect((await post('/api/apps/web/clusters/sandbox/suspend', deployer)).status).toBe(403);
  });

  it('rolls back to a recorded revision and pins it; a sync off the pin is refused (409); resume lifts it', async () => {
    const rollback = await post('/api/apps/web/clusters/sandbox/rollback', deployer, { revision: first.slice(0, 8) });
    expect(rollback.status).toBe(202);
    await pipeline.workOnce(2);
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ revision: first, pinnedRevision: first, suspended: true });

    const refused = await post('/api/apps/web/clusters/sandbox/sync', deployer, { revision: second });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/is pinned to/);
    const neverSynced = await post('/api/apps/web/clusters/sandbox/rollback', deployer, { revision: 'abcdef12' });
    expect(neverSynced.status).toBe(409);
    expect((await post('/api/apps/web/clusters/sandbox/rollback', deployer)).status).toBe(400);

    const resumed = await post('/api/apps/web/clusters/sandbox/resume', admin);
    expect(resumed.status).toBe(202);
    const state = await pipeline.store.getTarget('web', 'sandbox');
    expect(state?.suspended).toBe(false);
    expect(state?.pinnedRevision).toBeUndefined();
    expect(state?.requestedRevision).toBe(second);
    await pipeline.workOnce(2);
    expect((await pipeline.store.getTarget('web', 'sandbox'))?.revision).toBe(second);
  });

  it('suspend (admin) marks the target suspended, as driftless suspend does', async () => {
    const { status } = await post('/api/apps/api/clusters/sandbox/suspend', admin);
    expect(status).toBe(202);
    expect((await pipeline.store.getTarget('api', 'sandbox'))?.suspended).toBe(true);
    const row = (await call<FleetPage>({ path: '/api/fleet', query: { q: 'api' } })).body.rows[0];
    expect(row.suspended).toBe(true);
  });

  it('answers 404 for an unknown cluster and 405 for a GET of an action', async () => {
    expect((await post('/api/apps/web/clusters/nowhere/sync', admin)).status).toBe(404);
    expect((await call({ path: '/api/apps/web/clusters/sandbox/sync' })).status).toBe(405);
  });
});
