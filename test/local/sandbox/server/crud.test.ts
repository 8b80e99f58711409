// Reads and writes as the real API server answers them: versions, conflicts, selectors,
// namespaces, validation, dry-run, finalizers and cascading deletion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, eventually, type Client } from './client.ts';

let sandbox: Sandbox;
let api: Client;

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  api = clientFor(sandbox);
  for (const name of ['alpha', 'beta']) expect((await api.post('/api/v1/namespaces', ns(name))).status).toBe(201);
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('create, get, update', () => {
  it('creates with server metadata and reads it back', async () => {
    const created = await api.post('/api/v1/namespaces/alpha/configmaps', cm('settings', { app: 'web' }, { color: 'blue' }));
    expect(created.status).toBe(201);
    const meta = created.body.metadata;
    expect(meta.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.resourceVersion).toMatch(/^\d+$/);
    expect(meta.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(meta.namespace).toBe('alpha');
    expect(meta.managedFields[0]).toMatchObject({ manager: 'sandbox-test', operation: 'Update' });
    const read = await api.get('/api/v1/namespaces/alpha/configmaps/settings');
    expect(read.body.data).toEqual({ color: 'blue' });
    expect(read.body.metadata.resourceVersion).toBe(meta.resourceVersion);
  });

  it('refuses a second create with 409 AlreadyExists', async () => {
    const again = await api.post('/api/v1/namespaces/alpha/configmaps', cm('settings'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "settings" already exists',
      details: { name: 'settings', kind: 'configmaps' },
    });
  });

  it('generates a name from generateName', async () => {
    const created = await api.post('/api/v1/namespaces/alpha/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'run-' } });
    expect(created.body.metadata.name).toMatch(/^run-[a-z0-9]{5}$/);
  });

  it('updates with the current resourceVersion and refuses a stale one with 409 Conflict', async () => {
    const live = (await api.get('/api/v1/namespaces/alpha/configmaps/settings')).body;
    const updated = await api.put('/api/v1/namespaces/alpha/configmaps/settings', { ...live, data: { color: 'green' } });
    expect(updated.status).toBe(200);
    expect(Number(updated.body.metadata.resourceVersion)).toBeGreaterThan(Number(live.metadata.resourceVersion));

    const stale = await api.put('/api/v1/namespaces/alpha/configmaps/settings', { ...live, data: { color: 'red' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message:
        'Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('stores nothing for a write that changes nothing: same resourceVersion, no watch event', async () => {
    const live = (await api.get('/api/v1/namespaces/alpha/configmaps/settings')).body;
    const watch = await api.watch(`/api/v1/namespaces/alpha/configmaps?watch=true&resourceVersion=${live.metadata.resourceVersion}`);
    try {
      const same = await api.put('/api/v1/namespaces/alpha/configmaps/settings', live);
      expect(same.status).toBe(200);
      expect(same.body.metadata.resourceVersion).toBe(live.metadata.resourceVersion);
      const merged = await api.patch('/api/v1/namespaces/alpha/configmaps/settings', { data: live.data }, 'application/merge-patch+json');
      expect(merged.body.metadata.resourceVersion).toBe(live.metadata.resourceVersion);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(watch.events).toEqual([]);
    } finally {
      watch.close();
    }
  });

  it('bumps generation only when something outside metadata and status changes', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
      },
    };
    const created = (await api.post('/apis/apps/v1/namespaces/alpha/deployments', deployment)).body;
    expect(created.metadata.generation).toBe(1);
    const labelled = await api.patch(
      '/apis/apps/v1/namespaces/alpha/deployments/web',
      { metadata: { labels: { tier: 'front' } } },
      'application/merge-patch+json',
    );
    expect(labelled.body.metadata.generation).toBe(1);
    const scaled = await api.patch('/apis/apps/v1/namespaces/alpha/deployments/web', { spec: { replicas: 3 } }, 'application/merge-patch+json');
    expect(scaled.body.metadata.generation).toBe(2);
  });

  it('404s a missing object with the real wording', async () => {
    const missing = await api.get('/apis/apps/v1/namespaces/alpha/deployments/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      reason: 'NotFound',
      message: 'deployments.apps "nope" not found',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
    });
  });
});

describe('patch', () => {
  it('applies JSON patch, strategic merge patch and refuses an unknown patch type', async () => {
    const json = await api.patch(
      '/api/v1/namespaces/alpha/configmaps/settings',
      [{ op: 'add', path: '/data/size', value: 'large' }],
      'application/json-patch+json',
    );
    expect(json.body.data.size).toBe('large');
    const strategic = await api.patch('/api/v1/namespaces/alpha/configmaps/settings', { data: { shape: 'round' } }, 'application/strategic-merge-patch+json');
    expect(strategic.body.data).toMatchObject({ size: 'large', shape: 'round' });
    const unknown = await api.patch('/api/v1/namespaces/alpha/configmaps/settings', {}, 'text/plain');
    expect(unknown.status).toBe(415);
    expect(unknown.body.reason).toBe('UnsupportedMediaType');
  });

  it('server-side applies YAML: creates a missing object (201), then updates it (200)', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: alpha\ndata:\n  a: "1"\n';
    const path = '/api/v1/namespaces/alpha/configmaps/applied?fieldManager=driftless&force=true';
    const created = await api.request('PATCH', path, undefined, { text: yaml, contentType: 'application/apply-patch+yaml' });
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields[0]).toMatchObject({ manager: 'driftless', operation: 'Apply' });
    const updated = await api.request('PATCH', path, undefined, { text: yaml.replace('"1"', '"2"'), contentType: 'application/apply-patch+yaml' });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toEqual({ a: '2' });
  });

  it('requires a field manager for apply', async () => {
    const answer = await api.request('PATCH', '/api/v1/namespaces/alpha/configmaps/applied', undefined, {
      text: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"}}',
      contentType: 'application/apply-patch+yaml',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.reason).toBe('BadRequest');
  });
});

describe('list and selectors', () => {
  beforeAll(async () => {
    await api.post('/api/v1/namespaces/alpha/configmaps', cm('front', { tier: 'web', env: 'prod' }));
    await api.post('/api/v1/namespaces/alpha/configmaps', cm('back', { tier: 'db', env: 'prod' }));
    await api.post('/api/v1/namespaces/beta/configmaps', cm('front', { tier: 'web', env: 'dev' }));
    await api.post('/api/v1/namespaces/beta/configmaps', cm('plain'));
  });

  const names = async (path: string) => {
    const list = (await api.get(path)).body;
    return list.items.map((o: { metadata: { namespace: string; name: string } }) => `${o.metadata.namespace}/${o.metadata.name}`);
  };

  it('lists one namespace with the list kind and a resourceVersion', async () => {
    const list = (await api.get('/api/v1/namespaces/beta/configmaps')).body;
    expect(list).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1' });
    expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(await names('/api/v1/namespaces/beta/configmaps')).toEqual(['beta/front', 'beta/plain']);
  });

  it('lists across namespaces through the cluster-wide path', async () => {
    expect(await names('/api/v1/configmaps?labelSelector=tier')).toEqual(['alpha/back', 'alpha/front', 'beta/front']);
  });

  it('filters with every label selector operator', async () => {
    const q = (selector: string) => names(`/api/v1/configmaps?labelSelector=${encodeURIComponent(selector)}`);
    expect(await q('tier=web')).toEqual(['alpha/front', 'beta/front']);
    expect(await q('tier==web,env=prod')).toEqual(['alpha/front']);
    expect(await q('tier!=web,tier')).toEqual(['alpha/back']);
    expect(await q('env in (dev,test)')).toEqual(['beta/front']);
    expect(await q('env notin (prod),tier')).toEqual(['beta/front']);
    expect(await q('!tier')).toContain('beta/plain');
    expect(await q('!tier')).not.toContain('alpha/front');
  });

  it('filters with metadata.name and metadata.namespace field selectors', async () => {
    expect(await names('/api/v1/configmaps?fieldSelector=metadata.name%3Dfront')).toEqual(['alpha/front', 'beta/front']);
    expect(await names('/api/v1/configmaps?fieldSelector=metadata.name%3Dfront,metadata.namespace%3Dbeta')).toEqual(['beta/front']);
    expect(await names('/api/v1/namespaces/beta/configmaps?fieldSelector=metadata.name!%3Dfront')).toEqual(['beta/plain']);
  });
});

describe('namespaces and validation', () => {
  it('404s a create in a missing namespace, worded as a real server', async () => {
    const answer = await api.post('/api/v1/namespaces/nowhere/configmaps', cm('lost'));
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ reason: 'NotFound', message: 'namespaces "nowhere" not found', details: { name: 'nowhere', kind: 'namespaces' } });
  });

  it('refuses an invalid name with 422 Invalid and a cause on metadata.name', async () => {
    const answer = await api.post('/apis/apps/v1/namespaces/alpha/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'Web_1' },
      spec: {},
    });
    expect(answer.status).toBe(422);
    expect(answer.body.reason).toBe('Invalid');
    expect(answer.body.message).toMatch(/^Deployment\.apps "Web_1" is invalid: metadata\.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain/);
    expect(answer.body.details).toMatchObject({
      name: 'Web_1',
      group: 'apps',
      kind: 'Deployment',
      causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }],
    });
  });

  it('holds namespaces and services to label rules', async () => {
    expect((await api.post('/api/v1/namespaces', ns('has.dot'))).status).toBe(422);
    const service = await api.post('/api/v1/namespaces/alpha/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: '1web' },
      spec: { ports: [{ port: 80 }] },
    });
    expect(service.status).toBe(422);
    expect(service.body.message).toMatch(/DNS-1035 label/);
  });

  it('holds RBAC names only to path-segment rules, as ValidateRBACName does', async () => {
    const role = (name: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: [] });
    expect((await api.post('/apis/rbac.authorization.k8s.io/v1/clusterroles', role('system:metrics-server'))).status).toBe(201);
    const slash = await api.post('/apis/rbac.authorization.k8s.io/v1/clusterroles', role('team/admin'));
    expect(slash.status).toBe(422);
    expect(slash.body.message).toBe(
      `ClusterRole.rbac.authorization.k8s.io "team/admin" is invalid: metadata.name: Invalid value: "team/admin": may not contain '/'`,
    );
  });

  it('holds StatefulSets to label rules and new CronJobs to 52 characters', async () => {
    const sts = await api.post('/apis/apps/v1/namespaces/alpha/statefulsets', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db.v1' },
      spec: {},
    });
    expect(sts.status).toBe(422);
    expect(sts.body.message).toMatch(/a lowercase RFC 1123 label must consist of/);
    const long = 'c'.repeat(53);
    const cron = await api.post('/apis/batch/v1/namespaces/alpha/cronjobs', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: long },
      spec: { schedule: '* * * * *' },
    });
    expect(cron.status).toBe(422);
    expect(cron.body.message).toBe(`CronJob.batch "${long}" is invalid: metadata.name: Invalid value: "${long}": must be no more than 52 characters`);
  });

  it('makes new namespaces Active', async () => {
    const alpha = (await api.get('/api/v1/namespaces/alpha')).body;
    expect(alpha.status.phase).toBe('Active');
  });
});

describe('dry run', () => {
  it('validates and answers without storing anything', async () => {
    const before = (await api.get('/api/v1/namespaces/alpha/configmaps')).body.metadata.resourceVersion;
    const created = await api.post('/api/v1/namespaces/alpha/configmaps?dryRun=All', cm('ghost', {}, { a: 'b' }));
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ a: 'b' });
    expect((await api.get('/api/v1/namespaces/alpha/configmaps/ghost')).status).toBe(404);

    const patched = await api.patch('/api/v1/namespaces/alpha/configmaps/settings?dryRun=All', { data: { color: 'black' } }, 'application/merge-patch+json');
    expect(patched.body.data.color).toBe('black');
    expect((await api.get('/api/v1/namespaces/alpha/configmaps/settings')).body.data.color).toBe('green');

    expect((await api.delete('/api/v1/namespaces/alpha/configmaps/settings?dryRun=All')).status).toBe(200);
    expect((await api.get('/api/v1/namespaces/alpha/configmaps/settings')).status).toBe(200);
    const invalid = await api.post('/api/v1/namespaces/alpha/configmaps?dryRun=All', cm('Bad Name'));
    expect(invalid.status).toBe(422);
    expect((await api.get('/api/v1/namespaces/alpha/configmaps')).body.metadata.resourceVersion).toBe(before);
  });
});

describe('deletion', () => {
  it('keeps an object with finalizers, marked with deletionTimestamp, until they are removed', async () => {
    await api.post('/api/v1/namespaces/alpha/configmaps', { ...cm('held'), metadata: { name: 'held', finalizers: ['example.com/keep'] } });
    const deleted = await api.delete('/api/v1/namespaces/alpha/configmaps/held');
    expect(deleted.status).toBe(200);
    const held = (await api.get('/api/v1/namespaces/alpha/configmaps/held')).body;
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect(held.metadata.finalizers).toEqual(['example.com/keep']);

    const released = await api.patch(
      '/api/v1/namespaces/alpha/configmaps/held',
      [{ op: 'remove', path: '/metadata/finalizers' }],
      'application/json-patch+json',
    );
    expect(released.status).toBe(200);
    expect((await api.get('/api/v1/namespaces/alpha/configmaps/held')).status).toBe(404);
  });

  it('cascades to dependents through ownerReferences, or orphans them', async () => {
    const owner = (await api.post('/api/v1/namespaces/alpha/configmaps', cm('owner'))).body;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid };
    await api.post('/api/v1/namespaces/alpha/configmaps', { ...cm('child'), metadata: { name: 'child', ownerReferences: [ref] } });
    await api.delete('/api/v1/namespaces/alpha/configmaps/owner', { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' });
    expect((await api.get('/api/v1/namespaces/alpha/configmaps/child')).status).toBe(404);

    const keeper = (await api.post('/api/v1/namespaces/alpha/configmaps', cm('keeper'))).body;
    const keeperRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: keeper.metadata.uid };
    await api.post('/api/v1/namespaces/alpha/configmaps', { ...cm('orphan'), metadata: { name: 'orphan', ownerReferences: [keeperRef] } });
    await api.delete('/api/v1/namespaces/alpha/configmaps/keeper?propagationPolicy=Orphan');
    const orphan = await api.get('/api/v1/namespaces/alpha/configmaps/orphan');
    expect(orphan.status).toBe(200);
    expect(orphan.body.metadata.ownerReferences).toBeUndefined();
  });

  it('deletes a namespace with its objects; a finalizer keeps it Terminating and refusing creates', async () => {
    await api.post('/api/v1/namespaces', ns('doomed'));
    await api.post('/api/v1/namespaces/doomed/configmaps', cm('plain'));
    await api.post('/api/v1/namespaces/doomed/configmaps', { ...cm('sticky'), metadata: { name: 'sticky', finalizers: ['example.com/keep'] } });
    const deleted = await api.delete('/api/v1/namespaces/doomed');
    expect(deleted.body.status.phase).toBe('Terminating');
    // Like the namespace controller, the cleanup runs a moment later: objects are still
    // there to be deleted by a client deleting a whole directory.
    expect((await api.get('/api/v1/namespaces/doomed/configmaps/plain')).status).toBe(200);
    await eventually(async () => ((await api.get('/api/v1/namespaces/doomed/configmaps/plain')).status === 404 ? true : undefined));
    expect((await api.get('/api/v1/namespaces/doomed')).body.status.phase).toBe('Terminating');
    expect((await api.get('/api/v1/namespaces/doomed/configmaps/sticky')).body.metadata.deletionTimestamp).toBeDefined();
    const refused = await api.post('/api/v1/namespaces/doomed/configmaps', cm('late'));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      reason: 'Forbidden',
      message: 'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    });

    await api.patch('/api/v1/namespaces/doomed/configmaps/sticky', { metadata: { finalizers: null } }, 'application/merge-patch+json');
    expect((await api.get('/api/v1/namespaces/doomed')).status).toBe(404);
  });

  it('deletes a collection by label', async () => {
    await api.post('/api/v1/namespaces/beta/configmaps', cm('batch-1', { batch: 'x' }));
    await api.post('/api/v1/namespaces/beta/configmaps', cm('batch-2', { batch: 'x' }));
    const answer = await api.delete('/api/v1/namespaces/beta/configmaps?labelSelector=batch%3Dx');
    expect(answer.status).toBe(200);
    expect((await api.get('/api/v1/namespaces/beta/configmaps?labelSelector=batch')).body.items).toEqual([]);
  });

  it('refuses verbs a resource does not have with 405', async () => {
    const answer = await api.delete('/api/v1/namespaces');
    expect(answer.status).toBe(405);
    expect(answer.body.reason).toBe('MethodNotAllowed');
  });
});
