// The drift planner's missed-push check must not sync a target a RollingSync rollout holds at the
// branch head: the rollout syncs it when its step comes (a prod target waiting for dev would
// otherwise be synced straight by the next scheduled run). A target behind its branch and held by
// no rollout is still a missed push.
import { expect, it } from 'vitest';
import type { AppSpec, Registry } from '../../shared/config/types.ts';
import { checkHeads } from '../../shared/drift/heads.ts';
import type { TargetState } from '../../shared/state/types.ts';

const REPO = 'https://github.com/acme/gitops.git';
const HEAD = 'd'.repeat(40);
const OLD = 'e'.repeat(40);

function app(name: string, cluster: string): AppSpec {
  return {
    name,
    project: 'default',
    source: { repoURL: REPO, targetRevision: 'main', path: 'apps/guestbook' },
    destinations: [{ cluster, namespace: name }],
    syncPolicy: { automated: { prune: true, selfHeal: false, allowEmpty: false }, syncOptions: [], createNamespace: false },
    ignoreDifferences: [],
    definedIn: { file: 'driftless/guestbook.yaml' },
    applicationSet: 'guestbook',
    labels: { env: cluster },
  };
}

it('leave a target the rollout holds at the head to the rollout; report one it does not hold', async () => {
  const registry: Registry = { apps: [app('guestbook-prod', 'prod'), app('guestbook-qa', 'qa')], clusters: [], projects: [] };
  const targets: TargetState[] = [
    { app: 'guestbook-prod', cluster: 'prod', revision: OLD, requestedRevision: OLD, rollout: { set: 'guestbook', id: HEAD, revision: HEAD } },
    { app: 'guestbook-qa', cluster: 'qa', revision: OLD, requestedRevision: OLD },
  ];
  const check = await checkHeads({ head: async () => HEAD }, registry, targets);
  expect(check.behind).toEqual([{ app: 'guestbook-qa', cluster: 'qa', revision: HEAD, branch: 'main', current: OLD }]);
});
