// A push's syncs of a RollingSync set's apps become one rollout per set: each of those targets is
// marked for the rollout (at the pushed commit) and no sync of them is queued; other apps' syncs,
// a set without a strategy (AllAtOnce) and the registry refresh go on as before.
import { describe, expect, it } from 'vitest';
import type { ApplicationSetSpec } from '../../shared/appset/types.ts';
import type { AppSpec, Registry } from '../../shared/config/types.ts';
import type { Job, SyncJob } from '../../shared/queue/job.ts';
import { routeRollouts } from '../../shared/rollout/route.ts';

const SHA = 'c'.repeat(40);
const REPO = 'https://github.com/acme/gitops.git';
const AT = '2026-12-01T12:00:00.000Z';

function app(name: string, extra: Partial<AppSpec> = {}): AppSpec {
  return {
    name,
    project: 'default',
    source: { repoURL: REPO, targetRevision: 'main', path: `apps/${name}` },
    destinations: [{ cluster: 'dev', namespace: name }],
    syncPolicy: { syncOptions: [], createNamespace: false, automated: { prune: true, selfHeal: false, allowEmpty: false } },
    ignoreDifferences: [],
    definedIn: { file: 'driftless/apps.yaml' },
    ...extra,
  };
}

function set(name: string, rolling: boolean): ApplicationSetSpec {
  return {
    name,
    source: 'argo',
    goTemplate: false,
    goTemplateOptions: [],
    generators: [],
    template: {},
    applicationsSync: 'sync',
    preserveResourcesOnDeletion: false,
    ...(rolling ? { strategy: { type: 'RollingSync', steps: [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }] } } : {}),
    definedIn: { file: `driftless/${name}.yaml` },
  };
}

const registry: Registry = {
  apps: [
    app('guestbook-dev', { applicationSet: 'guestbook', labels: { env: 'dev' } }),
    app('guestbook-prod', { applicationSet: 'guestbook', labels: { env: 'prod' }, destinations: [{ cluster: 'prod', namespace: 'guestbook' }] }),
    app('tools-dev', { applicationSet: 'tools', labels: { env: 'dev' } }),
    app('web'),
  ],
  clusters: [],
  projects: [],
  applicationSets: [set('guestbook', true), set('tools', false)],
};

function sync(appName: string, cluster: string, extra: Partial<SyncJob> = {}): SyncJob {
  return { kind: 'sync', app: appName, cluster, revision: SHA, ref: 'main', trigger: 'push', deliveryId: 'd-1', enqueuedAt: AT, committedAt: AT, ...extra };
}

describe('routing a push through rollouts', () => {
  it("take the RollingSync set's syncs out, mark their targets and queue one rollout start in their place", () => {
    const refresh: Job = { kind: 'registry-refresh', revision: SHA, ref: 'main', trigger: 'config', enqueuedAt: AT };
    const jobs: Job[] = [refresh, sync('web', 'dev'), sync('guestbook-dev', 'dev'), sync('tools-dev', 'dev'), sync('guestbook-prod', 'prod')];
    const routed = routeRollouts(jobs, registry, { id: SHA, repoURL: REPO, ref: 'main' });
    expect(routed.jobs).toEqual([
      refresh,
      sync('web', 'dev'),
      {
        kind: 'rollout',
        set: 'guestbook',
        id: SHA,
        reason: 'start',
        trigger: 'push',
        ref: 'main',
        repoURL: REPO,
        deliveryId: 'd-1',
        committedAt: AT,
        enqueuedAt: AT,
      },
      sync('tools-dev', 'dev'),
    ]);
    expect(routed.marks).toEqual([
      { target: { app: 'guestbook-dev', cluster: 'dev' }, rollout: { set: 'guestbook', id: SHA, revision: SHA } },
      { target: { app: 'guestbook-prod', cluster: 'prod' }, rollout: { set: 'guestbook', id: SHA, revision: SHA } },
    ]);
    expect(routed.syncs.map((job) => job.app)).toEqual(['web', 'tools-dev']);
  });

  it('leave a manual sync, a rollback, self-heal and a continuation alone', () => {
    const jobs: Job[] = [
      sync('guestbook-dev', 'dev', { trigger: 'manual' }),
      sync('guestbook-dev', 'dev', { trigger: 'rollback' }),
      sync('guestbook-dev', 'dev', { trigger: 'self-heal' }),
      sync('guestbook-dev', 'dev', { continuation: 1 }),
      sync('guestbook-dev', 'dev', { rollout: { set: 'guestbook', id: SHA } }),
    ];
    const routed = routeRollouts(jobs, registry, { id: SHA });
    expect(routed.jobs).toEqual(jobs);
    expect(routed.marks).toEqual([]);
  });

  it('read an app as rolling out when the push index says so (it keeps no sets)', () => {
    const index = { apps: [{ ...app('guestbook-dev'), applicationSet: 'guestbook', rollingSync: true }], clusters: [], projects: [] } as unknown as Registry;
    const routed = routeRollouts([sync('guestbook-dev', 'dev')], index, { id: SHA });
    expect(routed.jobs.map((job) => job.kind)).toEqual(['rollout']);
  });
});

describe('the push index the webhook reads', () => {
  it('says which apps roll out, so a push routes them as the full registry does', async () => {
    const { pushIndexEntries, pushIndexRegistry } = await import('../../shared/state/push-index.ts');
    const index = pushIndexRegistry(pushIndexEntries(registry).map((entry) => entry.body));
    const jobs: Job[] = [sync('web', 'dev'), sync('guestbook-dev', 'dev'), sync('tools-dev', 'dev'), sync('guestbook-prod', 'prod')];
    const fromIndex = routeRollouts(jobs, index, { id: SHA });
    expect(fromIndex).toEqual(routeRollouts(jobs, registry, { id: SHA }));
    expect(fromIndex.marks.map(({ target }) => target.app)).toEqual(['guestbook-dev', 'guestbook-prod']);
  });
});
