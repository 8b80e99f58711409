// A dry run asks the server what would happen and changes nothing: not when it succeeds, and
// not when it fails either, when a real sync would go on to run its SyncFail hooks.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';
import { hookJob } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());
afterEach(() => cluster.sandbox.faults.clear());

const files = {
  'config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { color: blue }\n',
  'on-failure.yaml': hookJob('on-failure', { 'argocd.argoproj.io/hook': 'SyncFail' }),
};

it('lists the SyncFail hooks of a failed dry run as skipped and runs none of them', async () => {
  cluster.sandbox.faults.inject({ verb: 'patch', resource: 'configmaps', name: 'settings', status: 500 });
  cluster.sandbox.requests.clear();
  const result = await syncApp(cluster, 'rehearsal', await writeApp(files), undefined, { dryRun: true });
  expect(result.dryRun).toBe(true);
  expect(result.status).toBe('Failed');
  expect(result.objects.find((change) => change.name === 'settings')?.action).toBe('failed');
  expect(result.objects.find((change) => change.name === 'on-failure')).toMatchObject({
    phase: 'SyncFail',
    hook: true,
    action: 'skipped',
    message: 'hooks do not run in a dry run',
  });
  expect(writesIn(cluster)).toEqual([]);
});
