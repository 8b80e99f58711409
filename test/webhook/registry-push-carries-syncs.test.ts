// A push that changes the registry and an app at once: the app's sync rides on the registry
// refresh (thenSync), which sends it only after the registry of that commit is stored or refused
// (so a project tightened by the same push applies to it); its request is written at once, as
// for any push. A push that changes only apps, or more apps than a message may carry, sends
// the syncs on their own.
import { describe, expect, it } from 'vitest';
import type { AppSpec, Registry } from '../../shared/config/types.ts';
import { MAX_CARRIED_SYNCS, type Job, type RegistryRefreshJob } from '../../shared/queue/job.ts';
import { handleDelivery, type WebhookDependencies } from '../../shared/webhook/intake.ts';
import { SignatureVerifier } from '../../shared/webhook/verify.ts';
import { carriedSyncs } from '../../shared/worker/carried-syncs.ts';
import { signedDelivery } from '../support/signed-delivery.ts';

const SECRET = 'carry-secret';
const REPO = 'https://github.com/acme/gitops.git';
const SHA = 'c'.repeat(40);

const app = (name: string): AppSpec => ({
  name,
  project: 'team',
  source: { repoURL: REPO, targetRevision: 'main', path: `apps/${name}` },
  destinations: [{ cluster: 'dev', namespace: name }],
  syncPolicy: { syncOptions: [], createNamespace: false },
  ignoreDifferences: [],
  definedIn: { file: `driftless/${name}.yaml`, line: 1 },
});

async function push(files: string[], apps: number): Promise<{ jobs: Job[]; requested: string[] }> {
  const registry: Registry = { apps: Array.from({ length: apps }, (_, index) => app(`web-${index}`)), clusters: [], projects: [] };
  const jobs: Job[] = [];
  const requested: string[] = [];
  const deps: WebhookDependencies = {
    verifier: new SignatureVerifier(SECRET),
    registry: async () => registry,
    configRepo: { repoURL: REPO, branch: 'main', dir: 'driftless' },
    rememberDelivery: async () => true,
    forgetDelivery: async () => {},
    requestSync: async (target) => void requested.push(`${target.app}@${target.cluster}`),
    enqueue: async (sent) => void jobs.push(...sent),
  };
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    after: SHA,
    commits: [{ added: [], removed: [], modified: files }],
    head_commit: { timestamp: '2026-12-01T10:00:00+01:00' },
    repository: { clone_url: REPO, default_branch: 'main' },
  });
  expect((await handleDelivery(signedDelivery(body, SECRET), deps)).statusCode).toBe(202);
  return { jobs, requested };
}

describe('a push changing the registry and apps at once', () => {
  it('sends one refresh carrying the apps’ syncs, and requests them at once', async () => {
    const { jobs, requested } = await push(['driftless/team.yaml', 'apps/web-0/secret.yaml', 'apps/web-1/config.yaml'], 3);
    expect(jobs).toMatchObject([
      {
        kind: 'registry-refresh',
        revision: SHA,
        trigger: 'config',
        thenSync: [
          { app: 'web-0', cluster: 'dev' },
          { app: 'web-1', cluster: 'dev' },
        ],
      },
    ]);
    expect(jobs).toHaveLength(1);
    expect(requested.sort()).toEqual(['web-0@dev', 'web-1@dev']);
    // The refresh sends them as the push's syncs, but not one the refresh found changed (it sent that one itself).
    expect(carriedSyncs(jobs[0] as RegistryRefreshJob, ['web-1'])).toMatchObject([
      { kind: 'sync', app: 'web-0', cluster: 'dev', revision: SHA, ref: 'main', trigger: 'push', committedAt: '2026-12-01T09:00:00.000Z' },
    ]);
  });

  it('sends the syncs on their own when the registry is not touched, or when there are more than a message carries', async () => {
    const appsOnly = await push(['apps/web-0/secret.yaml'], 1);
    expect(appsOnly.jobs.map((job) => job.kind)).toEqual(['sync']);
    const many = await push(
      ['driftless/team.yaml', ...Array.from({ length: MAX_CARRIED_SYNCS + 1 }, (_, index) => `apps/web-${index}/a.yaml`)],
      MAX_CARRIED_SYNCS + 1,
    );
    expect(many.jobs.filter((job) => job.kind === 'sync')).toHaveLength(MAX_CARRIED_SYNCS + 1);
    expect(many.jobs.find((job) => job.kind === 'registry-refresh')).not.toHaveProperty('thenSync');
  });
});
