// A rollout's sync held by a sync window (deny `10 1 * * *` for 1h, Argo CD's documented
// example) is sent again by the drift-scan planner once the window opens, carrying its rollout
// (set and id) so its end moves the rollout on; a wait for another commit than the target's
// rollout mark does not carry it.
import { expect, it } from 'vitest';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { openedWindowWaits } from '../../shared/drift/window-waits.ts';
import type { TargetState } from '../../shared/state/types.ts';

const registry = parseRegistryFiles([
  {
    file: 'driftless/clusters.yaml',
    text: 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: prod }\nspec:\n  kubeconfig: { context: prod }\n',
  },
  {
    file: 'driftless/projects.yaml',
    text: `apiVersion: driftless.io/v1alpha1\nkind: Project\nmetadata: { name: frozen }\nspec:\n  syncWindows:\n  - { kind: deny, schedule: '10 1 * * *', duration: 1h, applications: ['*'] }\n`,
  },
  {
    file: 'driftless/web.yaml',
    text: `apiVersion: driftless.io/v1alpha1\nkind: Application\nmetadata: { name: web-prod }\nspec:\n  project: frozen\n  source: { repoURL: https://github.com/acme/gitops.git, path: apps/web }\n  destination: { name: prod, namespace: web }\n  syncPolicy: { automated: {} }\n`,
  },
]);
const SHA = 'c'.repeat(40);
const waiting = (rolloutRevision: string): TargetState => ({
  app: 'web-prod',
  cluster: 'prod',
  windowWait: { revision: SHA, trigger: 'push', ref: 'main', window: 'deny 10 1 * * *', since: '2026-06-01T01:20:00.000Z' },
  rollout: { set: 'web', id: SHA, revision: rolloutRevision },
});

it('carries the rollout of the held sync when the window opens', () => {
  const [resent] = openedWindowWaits(registry, [waiting(SHA)], new Date('2026-06-01T02:30:00.000Z'));
  expect(resent).toMatchObject({ kind: 'sync', revision: SHA, rollout: { set: 'web', id: SHA } });
});

it('does not carry a rollout that wants another commit of the target', () => {
  const [resent] = openedWindowWaits(registry, [waiting('d'.repeat(40))], new Date('2026-06-01T02:30:00.000Z'));
  expect(resent?.revision).toBe(SHA);
  expect(resent?.rollout).toBeUndefined();
});
