// Validate=false ("Sync Options" page: objects applied "using the --validate=false flag", for
// the app or one object). kubectl maps --validate=true to the API's server-side field
// validation `fieldValidation=Strict` (unknown or duplicate fields are refused) and
// --validate=false to `fieldValidation=Ignore` (they are dropped); Argo CD validates unless
// told not to. ServerSideApply=false is ignored: Driftless always applies server-side, and
// the change set says the option was ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRunOptions } from '../../shared/sync/app-sync-options.ts';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';
import { hookJob, optionsConfigMap as configMap } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

/** The fieldValidation each write asked for, by the name in its path (or body, for a POST). */
function validations(): Record<string, string | undefined> {
  return Object.fromEntries(
    cluster.sandbox.requests
      .entries()
      .filter((entry) => entry.method !== 'GET' && entry.method !== 'DELETE')
      .map((entry) => [entry.name ?? (entry.body as { metadata: { name: string } }).metadata.name, entry.query.fieldValidation]),
  );
}

describe('Validate', () => {
  it('is Strict by default, for resources and hooks alike', async () => {
    cluster.sandbox.requests.clear();
    await syncApp(
      cluster,
      'validated',
      await writeApp({ 'a.yaml': configMap('strict-a'), 'h.yaml': hookJob('strict-hook', { 'argocd.argoproj.io/hook': 'PreSync' }) }),
    );
    expect(validations()).toEqual({ 'strict-a': 'Strict', 'strict-hook': 'Strict' });
  });

  it('Validate=false on the app makes every write Ignore unknown fields, replaced ones too', async () => {
    cluster.sandbox.requests.clear();
    const app = await writeApp({
      'a.yaml': configMap('loose-a'),
      'b.yaml': configMap('loose-b', 'Replace=true'),
      'h.yaml': hookJob('loose-hook', { 'argocd.argoproj.io/hook': 'PreSync' }),
    });
    await syncApp(cluster, 'unvalidated', app, undefined, { syncOptions: { validate: false } });
    expect(validations()).toEqual({ 'loose-a': 'Ignore', 'loose-b': 'Ignore', 'loose-hook': 'Ignore' });
  });

  it("an object's own Validate=false is for that object only; its Validate=true does not undo the app's", async () => {
    cluster.sandbox.requests.clear();
    await syncApp(cluster, 'some-validated', await writeApp({ 'a.yaml': configMap('own-loose', 'Validate=false'), 'b.yaml': configMap('own-strict') }));
    await syncApp(cluster, 'app-loose', await writeApp({ 'c.yaml': configMap('asks-strict', 'Validate=true') }), undefined, {
      syncOptions: { validate: false },
    });
    expect(validations()).toEqual({ 'own-loose': 'Ignore', 'own-strict': 'Strict', 'asks-strict': 'Ignore' });
  });
});

describe('ServerSideApply=false', () => {
  it('still applies server-side, and the change set says the option was ignored', async () => {
    const options = appRunOptions({ syncPolicy: { syncOptions: ['ServerSideApply=false'], createNamespace: false }, ignoreDifferences: [] }, 'default');
    cluster.sandbox.requests.clear();
    const result = await syncApp(cluster, 'ssa-off', await writeApp({ 'a.yaml': configMap('ssa-off') }), undefined, options);
    expect(result.status).toBe('Succeeded');
    expect(writesIn(cluster).map((entry) => entry.method)).toEqual(['PATCH']);
    expect(cluster.sandbox.requests.entries().find((entry) => entry.method === 'PATCH')?.contentType).toBe('application/apply-patch+yaml');
    expect(result.warnings).toEqual([expect.stringMatching(/^syncOptions "ServerSideApply=false" is ignored: Driftless always applies server-side/)]);
    expect(result.message).toMatch(/^1 created, .*\(warning: syncOptions "ServerSideApply=false" is ignored/);
  });
});
