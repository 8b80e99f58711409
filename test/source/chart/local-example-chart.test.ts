// Local mode's example chart repository (npm start packages the chart and serves it on
// loopback): the example app's `0.1.*` resolves there, through the fetcher local mode's worker
// builds from its environment, and the example repository's Application names it.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ensureExampleRepo, startExampleChartRepo, type ExampleChartRepo } from '../../../local/example.ts';
import { chartFetcherFromEnv } from '../../../shared/source/chart/environment.ts';

let dir: string;
let repo: ExampleChartRepo;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftless-example-chart-'));
  repo = await startExampleChartRepo({ dir: join(dir, 'chart-repo'), port: 0 });
});

afterAll(async () => {
  await repo.close();
  await rm(dir, { recursive: true, force: true });
});

it("serves the example chart: the app's 0.1.* is the highest 0.1 version, over http on loopback", async () => {
  expect(repo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  const charts = chartFetcherFromEnv({ CHART_LOOPBACK: 'allow', CHART_CACHE_DIR: join(dir, 'charts') });
  const fetched = await charts.fetch({ repoURL: repo.url, chart: 'hello', targetRevision: '0.1.*' });
  expect(fetched.version).toBe('0.1.1');
  expect(await readFile(join(fetched.dir, 'templates', 'deployment.yaml'), 'utf8')).toContain('kind: Deployment');
});

it('is refused where loopback is not allowed (the worker in AWS)', async () => {
  const charts = chartFetcherFromEnv({ CHART_CACHE_DIR: join(dir, 'charts-aws') });
  await expect(charts.fetch({ repoURL: repo.url, chart: 'hello', targetRevision: '0.1.*' })).rejects.toThrow(/uses http:\/\//);
});

it("puts the chart app in the example repository, naming local mode's repository", async () => {
  const example = join(dir, 'example');
  expect(await ensureExampleRepo(example, join(dir, 'state'), 'sandbox', repo.url)).toBe(true);
  const app = parseYaml(await readFile(join(example, 'driftless', 'hello.yaml'), 'utf8')) as { spec: { source: Record<string, unknown> } };
  expect(app.spec.source).toMatchObject({ repoURL: repo.url, chart: 'hello', targetRevision: '0.1.*' });
  expect(app.spec.source.path).toBeUndefined();
});
