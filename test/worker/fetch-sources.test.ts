// Which commit each source of an app is fetched at, with real git repositories read by the
// local fetcher: the job's commit goes to the sources of the repository that has it (among
// those tracking the job's branch), the others follow their own targetRevision, and a target's
// recorded sources are fetched exactly again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import type { AppSpec } from '../../shared/config/types.ts';
import { ToolUnavailableError } from '../../shared/render/errors.ts';
import type { ChartFetcher, ChartRequest } from '../../shared/source/chart/chart-fetcher.ts';
import { RevisionNotFoundError } from '../../shared/source/errors.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import { fetchAppSources } from '../../shared/worker/fetch-sources.ts';
import { createRepo, type TestRepo } from '../support/git.ts';

let app: TestRepo;
let values: TestRepo;
const shas: Record<string, string> = {};
const git = new LocalGitFetcher();

beforeAll(async () => {
  app = await createRepo();
  values = await createRepo();
  shas.app1 = await app.commit({ 'deploy/cm.yaml': 'x: 1\n' });
  await app.git('checkout', '--quiet', '-b', 'release');
  shas.release = await app.commit({ 'release/cm.yaml': 'x: 1\n' });
  await app.git('checkout', '--quiet', 'main');
  shas.app2 = await app.commit({ 'deploy/cm.yaml': 'x: 2\n' });
  shas.values1 = await values.commit({ 'envs/dev.yaml': 'a: 1\n' });
  shas.values2 = await values.commit({ 'envs/dev.yaml': 'a: 2\n' });
});
afterAll(async () => {
  await app?.remove();
  await values?.remove();
});

function appWith(sources: string): AppSpec {
  const text = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: shop}\nspec:\n  sources:\n${sources}  destination: {name: dev}\n`;
  const cluster = 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: {name: dev}\nspec:\n  kubeconfig: {context: dev}\n';
  return parseRegistryFiles([
    { file: 'driftless/c.yaml', text: cluster },
    { file: 'driftless/a.yaml', text },
  ]).apps[0];
}

const chartRequests: ChartRequest[] = [];
const charts: ChartFetcher = {
  // A stand-in at the interface: resolving versions is the chart fetcher's own tests' business.
  async fetch(request) {
    chartRequests.push(request);
    return {
      dir: '/nonexistent',
      chart: request.chart,
      version: request.targetRevision === '2.*' ? '2.1.0' : request.targetRevision,
      digest: 'abc',
      dispose: async () => undefined,
    };
  },
};

describe('fetchAppSources', () => {
  it('gives a push to the values repository to the ref source, and fetches the other Git source at its branch head', async () => {
    const shop = appWith(
      `  - {repoURL: '${app.dir}', targetRevision: main, path: deploy}\n  - {repoURL: '${values.dir}', targetRevision: main, ref: values}\n`,
    );
    const fetched = await fetchAppSources(shop, { revision: shas.values1, ref: 'main' }, { sources: git, charts });
    try {
      expect(fetched.revisions).toEqual([
        { repoURL: app.dir, sha: shas.app2 },
        { repoURL: values.dir, sha: shas.values1 },
      ]);
    } finally {
      await fetched.dispose();
    }
  });

  it('keeps a commit of the app repository on the sources tracking the pushed branch only', async () => {
    const shop = appWith(
      `  - {repoURL: '${app.dir}', targetRevision: main, path: deploy}\n  - {repoURL: '${app.dir}', targetRevision: release, path: release}\n  - {repoURL: '${values.dir}', targetRevision: HEAD, ref: values}\n`,
    );
    const fetched = await fetchAppSources(shop, { revision: shas.app1, ref: 'main' }, { sources: git, charts });
    try {
      expect(fetched.revisions.map((revision) => revision.sha)).toEqual([shas.app1, shas.release, shas.values2]);
    } finally {
      await fetched.dispose();
    }
  });

  it('fetches the recorded sources exactly, and resolves a chart at its recorded version', async () => {
    chartRequests.length = 0;
    const shop = appWith(
      `  - {repoURL: 'https://charts.example.com', chart: shop, targetRevision: '2.*', helm: {valueFiles: [$values/envs/dev.yaml]}}\n  - {repoURL: '${values.dir}', targetRevision: main, ref: values}\n`,
    );
    const fresh = await fetchAppSources(shop, { revision: shas.values2 }, { sources: git, charts });
    await fresh.dispose();
    expect(fresh.revisions).toEqual([
      { repoURL: 'https://charts.example.com', chart: 'shop', version: '2.1.0', digest: 'abc' },
      { repoURL: values.dir, sha: shas.values2 },
    ]);
    const recorded = [
      { repoURL: 'https://charts.example.com', chart: 'shop', version: '2.0.3' },
      { repoURL: values.dir, sha: shas.values1 },
    ];
    const again = await fetchAppSources(shop, { revision: shas.values1, recorded }, { sources: git, charts });
    await again.dispose();
    expect(again.revisions.map((revision) => revision.sha ?? revision.version)).toEqual(['2.0.3', shas.values1]);
    expect(chartRequests.map((request) => request.targetRevision)).toEqual(['2.*', '2.0.3']);
  });

  it('says the commit is in none of the repositories, and that charts cannot be fetched without a chart fetcher', async () => {
    const shop = appWith(`  - {repoURL: '${app.dir}', path: deploy}\n  - {repoURL: '${values.dir}', ref: values}\n`);
    await expect(fetchAppSources(shop, { revision: 'f'.repeat(40) }, { sources: git, charts })).rejects.toBeInstanceOf(RevisionNotFoundError);
    const chart = appWith("  - {repoURL: 'https://charts.example.com', chart: shop, targetRevision: 1.0.0}\n");
    await expect(fetchAppSources(chart, { revision: shas.app1 }, { sources: git })).rejects.toThrow(
      new ToolUnavailableError('chart fetching is not configured in this worker: shop has chart shop from https://charts.example.com'),
    );
  });
});
