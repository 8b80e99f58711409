// `driftless apps --dora` against the state table (dynalite, local mode's DynamoDB): history
// recorded through the real store, then the four keys per app × cluster, per app and per app ×
// `env` label as the command prints them. Every expected figure is worked out by hand below
// from DORA's definitions (see shared/dora/events.ts for what counts as what).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { stateStore } from '../../shared/runtime/environment.ts';
import type { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import type { SyncRecord } from '../../shared/state/types.ts';
import { runCli } from '../support/cli.ts';

const NOW = Date.now();
const DAY = 86_400_000;
/** `days` before now, at `hh:mm` past that instant. */
const at = (days: number, time = '00:00') => {
  const [hours, minutes] = time.split(':').map(Number);
  return new Date(NOW - days * DAY + (hours * 60 + minutes) * 60_000).toISOString();
};
/** `seconds` before the instant `iso`. */
const before = (iso: string, seconds: number) => new Date(Date.parse(iso) - seconds * 1000).toISOString();
const REPO = 'https://github.com/acme/gitops.git';

const CONFIG = {
  'driftless/clusters.yaml': ['prod-eu', 'prod-us', 'dev']
    .map(
      (name) =>
        `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: ${name}, labels: { env: ${name.split('-')[0]} } }\nspec:\n  kubeconfig: { context: ${name} }\n`,
    )
    .join('---\n'),
  'driftless/web.yaml': `apiVersion: driftless.io/v1alpha1\nkind: Application\nmetadata: { name: web }\nspec:\n  source: { repoURL: ${REPO}, path: apps/web }\n  destinations: [{ name: prod-eu, namespace: web }, { name: prod-us, namespace: web }]\n`,
  'driftless/api.yaml': `apiVersion: driftless.io/v1alpha1\nkind: Application\nmetadata: { name: api }\nspec:\n  source: { repoURL: ${REPO}, path: apps/api }\n  destination: { name: dev, namespace: api }\n`,
};

type Outcome = 'ok' | 'failed';
let seq = 0;
function synced(app: string, cluster: string, revision: string, finishedAt: string, outcome: Outcome, reason: string, committedAt?: string): SyncRecord {
  return {
    app,
    cluster,
    revision: revision.repeat(40).slice(0, 40),
    status: outcome === 'ok' ? 'Synced' : 'Failed',
    health: outcome === 'ok' ? 'Healthy' : 'Degraded',
    message: outcome === 'ok' ? '1 configured' : 'Deployment/web/web: progress deadline exceeded',
    startedAt: new Date(Date.parse(finishedAt) - 30_000).toISOString(),
    finishedAt,
    durationMs: 30_000,
    reason,
    seq: ++seq,
    ...(committedAt ? { committedAt } : {}),
  };
}

const HISTORY: SyncRecord[] = [
  // web@prod-eu: A (lead 09:00 → 10:00 = 3600 s); B fails at 10:00 and its retry is Healthy
  // at 10:20 (lead 09:50 → 10:20 = 1800 s, restored after 1200 s).
  synced('web', 'prod-eu', 'a', at(20, '10:00'), 'ok', 'push', at(20, '09:00')),
  synced('web', 'prod-eu', 'b', at(10, '10:00'), 'failed', 'push', at(10, '09:50')),
  synced('web', 'prod-eu', 'b', at(10, '10:20'), 'ok', 'push', at(10, '09:50')),
  // web@prod-us: A (lead 7200 s), B (lead 09:50 → 11:00 = 4200 s) rolled back to A at 11:30:
  // B failed, and was bad from 11:00 to 11:30 (1800 s).
  synced('web', 'prod-us', 'a', at(20, '11:00'), 'ok', 'push', at(20, '09:00')),
  synced('web', 'prod-us', 'b', at(10, '11:00'), 'ok', 'push', at(10, '09:50')),
  synced('web', 'prod-us', 'a', at(10, '11:30'), 'ok', 'rollback'),
  // api@dev: X (lead 600 s); Y fails two days ago and is still failing.
  synced('api', 'dev', 'c', at(5), 'ok', 'push', before(at(5), 600)),
  synced('api', 'dev', 'd', at(2), 'failed', 'push', before(at(2), 3600)),
];

let services: LocalServices;
let store: DynamoStateStore;

beforeAll(async () => {
  services = await startLocalServices();
  for (const [name, value] of Object.entries(services.env)) vi.stubEnv(name, value);
  store = stateStore(process.env);
  await store.putRegistry(parseRegistryFiles(Object.entries(CONFIG).map(([file, text]) => ({ file, text }))), 'f'.repeat(40));
  for (const record of HISTORY) await store.recordSyncResult(record);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await services?.stop();
});

const figures = (
  deployments: number,
  successful: number,
  failed: number,
  lead: [number | null, number | null, number],
  restore: [number | null, number],
  unrestored: number,
  days = 30,
) => ({
  deployments,
  successfulDeployments: successful,
  failedDeployments: failed,
  deploymentsPerDay: successful / days,
  leadTimeSeconds: { median: lead[0], p90: lead[1], samples: lead[2] },
  changeFailureRate: deployments > 0 ? failed / deployments : null,
  timeToRestoreSeconds: { median: restore[0], samples: restore[1] },
  unrestored,
});

describe('driftless apps --dora', () => {
  it('gives the four keys per app × cluster, per app and per app × env over the last 30 days', async () => {
    const result = await runCli(['apps', '--dora', '--output', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report.window).toMatchObject({ days: 30 });
    expect(report.targets).toEqual([
      // 2 deployments (A, B), both reached Healthy, B failed once; leads 1800, 3600 → median 2700, p90 (2nd of 2) 3600.
      { app: 'api', cluster: 'dev', env: 'dev', ...figures(2, 1, 1, [600, 600, 1], [null, 0], 1) },
      { app: 'web', cluster: 'prod-eu', env: 'prod', ...figures(2, 2, 1, [2700, 3600, 2], [1200, 1], 0) },
      // leads 7200, 4200 → median 5700, p90 7200; the rollback made B a failure.
      { app: 'web', cluster: 'prod-us', env: 'prod', ...figures(2, 2, 1, [5700, 7200, 2], [1800, 1], 0) },
    ]);
    // web over both clusters: leads 1800, 3600, 4200, 7200 → median 3900, p90 (4th of 4) 7200; restores 1200, 1800 → 1500.
    const web = figures(4, 4, 2, [3900, 7200, 4], [1500, 2], 0);
    const api = figures(2, 1, 1, [600, 600, 1], [null, 0], 1);
    expect(report.apps).toEqual([
      { app: 'api', clusters: 1, ...api },
      { app: 'web', clusters: 2, ...web },
    ]);
    expect(report.environments).toEqual([
      { app: 'api', env: 'dev', clusters: 1, ...api },
      { app: 'web', env: 'prod', clusters: 2, ...web },
    ]);
  });

  it('counts only what falls in a shorter window, and filters by app and cluster', async () => {
    const result = await runCli(['apps', '--dora', '--since', '7d', '--output', 'json']);
    const report = JSON.parse(result.stdout) as { targets: unknown[] };
    // Nothing of web's is in the last 7 days; api's X and Y are.
    expect(report.targets).toEqual([
      { app: 'api', cluster: 'dev', env: 'dev', ...figures(2, 1, 1, [600, 600, 1], [null, 0], 1, 7) },
      { app: 'web', cluster: 'prod-eu', env: 'prod', ...figures(0, 0, 0, [null, null, 0], [null, 0], 0, 7) },
      { app: 'web', cluster: 'prod-us', env: 'prod', ...figures(0, 0, 0, [null, null, 0], [null, 0], 0, 7) },
    ]);
    const filtered = JSON.parse((await runCli(['apps', '--dora', '--app', 'web', '--cluster', 'prod-us', '--output', 'json'])).stdout) as {
      targets: Array<{ cluster: string }>;
    };
    expect(filtered.targets.map((row) => row.cluster)).toEqual(['prod-us']);
  });

  it('prints a table per app × cluster, then per app and per environment', async () => {
    const result = await runCli(['apps', '--dora']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^DORA metrics over 30 days since /);
    expect(lines[2]).toMatch(/^APP\s+CLUSTER\s+DEPLOYS\/DAY\s+DEPLOYS\s+LEAD TIME p50\/p90\s+CHANGE FAILURE\s+TIME TO RESTORE$/);
    // web@prod-eu: 2/30 a day, 2 of 2 deployed, 45m / 60m, 50% (1 of 2), restored in 20m.
    expect(lines.find((line) => line.startsWith('web') && line.includes('prod-eu'))).toMatch(
      /^web\s+prod-eu\s+0\.07\s+2\/2\s+45m \/ 60m\s+50% \(1\/2\)\s+20m$/,
    );
    expect(lines.find((line) => line.startsWith('api') && line.includes(' dev '))).toMatch(/1 failing$/);
    expect(result.stdout).toMatch(/^APP\s+CLUSTERS\s+DEPLOYS\/DAY/m);
    expect(result.stdout).toMatch(/^APP\s+ENV\s+CLUSTERS\s+DEPLOYS\/DAY/m);
  });

  it('refuses --since without --dora, --dora with --watch, and a since that is no duration', async () => {
    expect((await runCli(['apps', '--since', '7d'])).code).toBe(2);
    expect((await runCli(['apps', '--dora', '--watch'])).code).toBe(2);
    const bad = await runCli(['apps', '--dora', '--since', 'a week']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since/);
  });
});
