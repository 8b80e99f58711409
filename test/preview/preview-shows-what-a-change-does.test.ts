// A preview of a change that adds, changes and removes objects, against a sandbox cluster the
// real pipeline synced at the base: exactly those objects, the changed field in the diff, no
// Secret value anywhere, a broken app reported with its file and line while the others still
// preview, and nothing written to the cluster (only reads and dryRun=All applies).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from '../../shared/config/types.ts';
import { preview } from '../../shared/preview/preview.ts';
import type { PreviewDependencies, PreviewReport, TargetPreview } from '../../shared/preview/types.ts';
import { MemoryRenderCache } from '../../shared/restore/memory-render-cache.ts';
import { clusterConnector, gitHub, sourceFetcher } from '../../shared/runtime/environment.ts';
import { appDocument, GITHUB_TOKEN, liveConfigMap, REPO_URL, startPipeline, webDeployment, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const BASE_PASSWORD = 'base-password-4821';
const HEAD_PASSWORD = 'head-password-9377';

const registry = {
  'driftless/clusters.yaml': 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: sandbox }\nspec:\n  kubeconfig: { context: sandbox }\n',
  'driftless/web.yaml': appDocument({ name: 'web', namespace: 'shop' }),
  'driftless/broken.yaml': appDocument({ name: 'broken', namespace: 'broken' }),
  'driftless/quiet.yaml': appDocument({ name: 'quiet', namespace: 'quiet' }),
  // Its replicas are another controller's (an HPA's): a change to them is none to review.
  'driftless/scaled.yaml': `${appDocument({ name: 'scaled', namespace: 'scaled' })}  ignoreDifferences:\n  - { group: apps, kind: Deployment, jsonPointers: [/spec/replicas] }\n`,
};

const configMap = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: ${data}\n`;
const secret = (password: string) => `apiVersion: v1\nkind: Secret\nmetadata: { name: web-secret }\nstringData: { password: ${password} }\n`;

const base = {
  ...registry,
  'apps/web/config.yaml': configMap('web-config', '{ color: blue, size: large }'),
  'apps/web/deploy.yaml': webDeployment(2),
  'apps/web/old.yaml': configMap('web-old', '{ left: behind }'),
  'apps/web/secret.yaml': secret(BASE_PASSWORD),
  'apps/broken/config.yaml': configMap('broken-config', '{ fine: "yes" }'),
  'apps/quiet/config.yaml': configMap('quiet-config', '{ calm: "yes" }'),
  'apps/scaled/deploy.yaml': webDeployment(2),
};

const head = {
  'apps/web/config.yaml': configMap('web-config', '{ color: green, size: large }'),
  'apps/web/old.yaml': null,
  'apps/web/new.yaml': configMap('web-new', '{ fresh: "yes" }'),
  'apps/web/secret.yaml': secret(HEAD_PASSWORD),
  // Line 4 opens a flow mapping that never closes.
  'apps/broken/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: broken-config }\ndata: { fine: "yes"\n',
  'apps/scaled/deploy.yaml': webDeployment(5),
};
const changedFiles = [
  'apps/broken/config.yaml',
  'apps/scaled/deploy.yaml',
  'apps/web/config.yaml',
  'apps/web/new.yaml',
  'apps/web/old.yaml',
  'apps/web/secret.yaml',
];

let pipeline: Pipeline;
let baseSha: string;
let headSha: string;
let deps: PreviewDependencies;

beforeAll(async () => {
  pipeline = await startPipeline();
  baseSha = await pipeline.repo.commit(base);
  const response = await pipeline.push(EMPTY, baseSha, { added: Object.keys(base) });
  expect(response.statusCode).toBe(202);
  await pipeline.work(async () => {
    const targets = await Promise.all(['web', 'broken', 'quiet', 'scaled'].map((app) => pipeline.store.getTarget(app, 'sandbox')));
    return targets.every((target) => target?.revision === baseSha && target.syncStatus === 'Synced');
  });
  await pipeline.repo.git('checkout', '--quiet', '-b', 'feature');
  headSha = await pipeline.repo.commit(head);
  const record = await pipeline.store.getRegistry();
  deps = {
    registry: record?.registry as Registry,
    sources: sourceFetcher(gitHub(process.env, { token: GITHUB_TOKEN }), process.env),
    renders: new MemoryRenderCache(),
    connect: clusterConnector(process.env),
    store: pipeline.store,
  };
}, 120_000);
afterAll(() => pipeline?.stop());

function target(report: PreviewReport, app: string): TargetPreview {
  const found = report.targets.find((candidate) => candidate.app === app && candidate.cluster === 'sandbox');
  if (!found) throw new Error(`no preview of ${app}@sandbox in ${JSON.stringify(report.targets.map((t) => t.app))}`);
  return found;
}

const names = (refs: Array<{ kind: string; namespace?: string; name: string }>) => refs.map((ref) => `${ref.kind}/${ref.namespace}/${ref.name}`).sort();

describe('a preview of a change against the cluster holding the base', () => {
  let report: PreviewReport;

  beforeAll(async () => {
    pipeline.sandbox.requests.clear();
    report = await preview({ repoURL: REPO_URL, base: baseSha, head: headSha, changedFiles }, deps);
  }, 60_000);

  it('previews the apps the change touches, and no other', () => {
    expect(report).toMatchObject({ repoURL: REPO_URL, base: baseSha, head: headSha });
    expect(report.targets.map((t) => `${t.app}@${t.cluster}`).sort()).toEqual(['broken@sandbox', 'scaled@sandbox', 'web@sandbox']);
  });

  it("leaves the fields the app's ignoreDifferences names out of the diff", () => {
    expect(target(report, 'scaled')).toMatchObject({ diff: '', create: [], change: [], prune: [] });
  });

  it('lists exactly what would be created, changed and pruned', () => {
    const web = target(report, 'web');
    expect(web.error).toBeUndefined();
    expect(names(web.create)).toEqual(['ConfigMap/shop/web-new']);
    expect(names(web.change)).toEqual(['ConfigMap/shop/web-config', 'Secret/shop/web-secret']);
    expect(names(web.prune)).toEqual(['ConfigMap/shop/web-old']);
    expect(web.verdicts).toEqual([]);
  });

  it('shows the changed field in a unified diff, and the unchanged Deployment not at all', () => {
    const { diff } = target(report, 'web');
    expect(diff).toContain('--- live/ConfigMap/shop/web-config');
    expect(diff).toContain('+++ head/ConfigMap/shop/web-config');
    expect(diff).toMatch(/^-\s+color: blue$/m);
    expect(diff).toMatch(/^\+\s+color: green$/m);
    expect(diff).not.toMatch(/^[-+]\s+size: large$/m);
    expect(diff).toMatch(/^-\s+left: behind$/m);
    expect(diff).toMatch(/^\+\s+fresh: "?yes"?$/m);
    expect(diff).not.toContain('Deployment/shop/web');
  });

  it('never shows a Secret value, in clear or base64, yet shows that it changed', () => {
    const everything = JSON.stringify(report);
    for (const value of [BASE_PASSWORD, HEAD_PASSWORD]) {
      expect(everything).not.toContain(value);
      expect(everything).not.toContain(Buffer.from(value).toString('base64'));
    }
    expect(target(report, 'web').diff).toMatch(/^-\s+password: \+{8} \([0-9a-f]{8}\)$/m);
  });

  it('reports the render error with its file and line, and computes nothing else for that app', () => {
    const broken = target(report, 'broken');
    expect(broken.error).toMatchObject({ file: 'apps/broken/config.yaml' });
    expect(broken.error?.line).toBeGreaterThanOrEqual(4);
    expect(broken.error?.message).toContain('apps/broken/config.yaml');
    expect(broken).toMatchObject({ diff: '', create: [], change: [], prune: [] });
  });

  it('writes nothing: the API server saw only reads and dry-run applies', async () => {
    const entries = pipeline.sandbox.requests.entries();
    expect(entries.length).toBeGreaterThan(0);
    const writes = entries.filter((entry) => entry.method !== 'GET' && !(entry.method === 'PATCH' && entry.query.dryRun === 'All'));
    expect(writes).toEqual([]);
    expect(entries.filter((entry) => entry.method === 'PATCH').length).toBeGreaterThanOrEqual(4);
    // And the cluster still holds the base.
    expect(await liveConfigMap(pipeline, 'shop', 'web-config')).toMatchObject({ color: 'blue' });
    expect(await liveConfigMap(pipeline, 'shop', 'web-old')).toEqual({ left: 'behind' });
    expect(await liveConfigMap(pipeline, 'shop', 'web-new')).toBeUndefined();
  });
});

describe('a preview without a list of changed files', () => {
  it('compares the two trees and finds the same apps and objects', async () => {
    const report = await preview({ repoURL: REPO_URL, base: baseSha, head: headSha }, deps);
    expect(report.targets.map((t) => t.app).sort()).toEqual(['broken', 'scaled', 'web']);
    const web = target(report, 'web');
    expect([names(web.create), names(web.change), names(web.prune)]).toEqual([
      ['ConfigMap/shop/web-new'],
      ['ConfigMap/shop/web-config', 'Secret/shop/web-secret'],
      ['ConfigMap/shop/web-old'],
    ]);
  }, 60_000);

  it('without a recorded inventory, finds what would be pruned among the live objects the app tracks', async () => {
    const { store: _store, ...withoutState } = deps;
    const report = await preview({ repoURL: REPO_URL, base: baseSha, head: headSha, changedFiles, app: 'web' }, withoutState);
    expect(names(target(report, 'web').prune)).toEqual(['ConfigMap/shop/web-old']);
  }, 60_000);

  it('previews one app only when asked', async () => {
    const report = await preview({ repoURL: REPO_URL, base: baseSha, head: headSha, changedFiles, app: 'web' }, deps);
    expect(report.targets.map((t) => t.app)).toEqual(['web']);
  }, 60_000);
});
