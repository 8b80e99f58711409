// Issue 12, item 2: prune deletes only what the app's project could create. An inventory
// entry in a namespace, or of a kind, the project does not permit (any more) is kept on the
// cluster and in the inventory, and reported with the rule; what it permits is pruned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectSpec } from '../../shared/config/types.ts';
import { startCluster, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';
import { found } from '../sync/fixtures.ts';
import { syncInProject } from '../project/bounded-sync.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
  for (const name of ['team-a', 'team-a-old']) {
    await cluster.client.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  }
});
afterAll(() => cluster?.stop());

const configMap = (name: string, ns: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: ${ns} }\ndata: { k: v }\n`;
const clusterRole = `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: team-a-reader }\nrules: []\n`;

const wide: ProjectSpec = {
  name: 'team-a',
  sourceRepos: ['*'],
  destinations: [{ cluster: 'sandbox', namespace: 'team-a*' }],
  clusterResourceWhitelist: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }],
  definedIn: { file: 'driftless/team-a.yaml' },
};
// The same project after its owners narrowed it: one namespace, no cluster-scoped kind.
const narrow: ProjectSpec = { ...wide, destinations: [{ cluster: 'sandbox', namespace: 'team-a' }], clusterResourceWhitelist: [] };

describe('prune within the project', () => {
  it('keeps an entry in a namespace or of a kind the project no longer permits, and prunes the one it does', async () => {
    const first = await syncInProject(
      cluster,
      'team-a-app',
      await writeApp({
        'keep.yaml': configMap('stays', 'team-a'),
        'gone.yaml': configMap('leaves', 'team-a'),
        'old.yaml': configMap('elsewhere', 'team-a-old'),
        'role.yaml': clusterRole,
      }),
      { project: wide },
    );
    expect(first.status).toBe('Succeeded');

    const from = writesIn(cluster).length;
    const second = await syncInProject(cluster, 'team-a-app', await writeApp({ 'keep.yaml': configMap('stays', 'team-a') }), {
      project: narrow,
      previous: first.inventory,
      options: { prune: true },
    });

    const byName = new Map(second.objects.map((change) => [change.name, change]));
    expect(byName.get('leaves')?.action).toBe('pruned');
    expect(byName.get('elsewhere')).toMatchObject({
      action: 'skipped',
      message: 'not pruned: namespace team-a-old on cluster sandbox is not a destination of project team-a',
    });
    expect(byName.get('team-a-reader')).toMatchObject({
      action: 'skipped',
      message: 'not pruned: cluster-scoped kind rbac.authorization.k8s.io/ClusterRole is not in the clusterResourceWhitelist of project team-a',
    });
    const deletes = writesIn(cluster)
      .slice(from)
      .filter((entry) => entry.method === 'DELETE')
      .map((entry) => entry.path);
    expect(deletes).toEqual(['/api/v1/namespaces/team-a/configmaps/leaves']);
    expect(await found(cluster, '/api/v1/namespaces/team-a-old/configmaps/elsewhere')).toBe(true);
    expect(await found(cluster, '/apis/rbac.authorization.k8s.io/v1/clusterroles/team-a-reader')).toBe(true);
    // Still listed, so that a project that permits them again lets a later prune delete them.
    expect(second.inventory?.entries.map((entry) => entry.name).sort()).toEqual(['elsewhere', 'stays', 'team-a-reader']);
  });
});
