// A fleet with one RollingSync ApplicationSet, as the registry and the rollout engine record it:
// `guestbook` generates guestbook-dev, -staging and -prod (labels env=<cluster>), rolled out by
// env in three steps; its rollout of SHA waits at step 1's gate (soak), dev done, staging and
// prod marked and not started. `web` is a plain app beside it. For the dashboard's rollout tests.
import type { ApplicationSetSpec, RollingSyncStep } from '../../shared/appset/types.ts';
import type { AppSpec, ClusterSpec, Registry } from '../../shared/config/types.ts';
import type { RolloutState } from '../../shared/rollout/types.ts';
import type { StateStore } from '../../shared/state/store.ts';

export const ROLLOUT_SHA = '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d';
const REPO = 'https://github.com/acme/gitops.git';
const ENVS = ['dev', 'staging', 'prod'];

function app(name: string, cluster: string, fields: Partial<AppSpec> = {}): AppSpec {
  return {
    name,
    project: 'default',
    source: { repoURL: REPO, path: `apps/${name}`, targetRevision: 'main' },
    destinations: [{ cluster, namespace: 'guestbook' }],
    syncPolicy: { automated: { prune: true, selfHeal: false, allowEmpty: false }, syncOptions: [] },
    ignoreDifferences: [],
    definedIn: { file: `driftless/${name}.yaml` },
    ...fields,
  } as unknown as AppSpec;
}

function cluster(env: string): ClusterSpec {
  return { name: env, kubeconfig: { context: env }, labels: { env }, definedIn: { file: 'driftless/clusters.yaml' } };
}

const STEPS: RollingSyncStep[] = ENVS.map((env, index) => ({
  matchExpressions: [{ key: 'env', operator: 'In', values: [env] }],
  ...(index === 1 ? { soakMs: 600_000 } : {}),
}));

const guestbook: ApplicationSetSpec = {
  name: 'guestbook',
  source: 'argo',
  goTemplate: false,
  goTemplateOptions: [],
  generators: [{ clusters: {} }],
  template: { metadata: { name: 'guestbook-{{name}}' }, spec: { project: 'default' } },
  applicationsSync: 'sync',
  preserveResourcesOnDeletion: false,
  strategy: { type: 'RollingSync', steps: STEPS },
  definedIn: { file: 'driftless/guestbook-set.yaml' },
};

export const ROLLOUT_REGISTRY: Registry = {
  clusters: ENVS.map(cluster),
  projects: [],
  apps: [...ENVS.map((env) => app(`guestbook-${env}`, env, { applicationSet: 'guestbook', labels: { env } })), app('web', 'dev')],
  applicationSets: [guestbook],
};

/** Writes the registry, the targets' states and marks, and the set's rollout item. */
export async function seedRolloutFleet(store: StateStore): Promise<void> {
  await store.putRegistry(ROLLOUT_REGISTRY, 'f'.repeat(40));
  for (const env of ENVS) {
    const done = env === 'dev';
    await store.putTargetState({
      app: `guestbook-${env}`,
      cluster: env,
      ...(done ? { requestedRevision: ROLLOUT_SHA, revision: ROLLOUT_SHA } : {}),
      syncStatus: done ? 'Synced' : 'OutOfSync',
      health: 'Healthy',
    });
    await store.markRollout({ app: `guestbook-${env}`, cluster: env }, { set: 'guestbook', id: ROLLOUT_SHA, revision: ROLLOUT_SHA });
  }
  await store.putTargetState({ app: 'web', cluster: 'dev', syncStatus: 'Synced', health: 'Healthy' });
  const state: RolloutState = {
    set: 'guestbook',
    id: ROLLOUT_SHA,
    status: 'waiting',
    step: 0,
    steps: 3,
    reason: 'soak: 2m left',
    trigger: 'push',
    startedAt: new Date(Date.now() - 300_000).toISOString(),
    updatedAt: new Date().toISOString(),
  };
  if (!(await store.putRollout(state, undefined))) throw new Error('the guestbook rollout item was there already');
}
