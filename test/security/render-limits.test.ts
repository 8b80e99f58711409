// Issue 12, item 10: a 5000-deep JSON crashed the sync with a bare RangeError (retried five
// times), a 50 MB file cost gigabytes. Input past the render's bounds — 16 MiB of manifests,
// nesting deeper than 200, more than 10,000 objects — is bad input naming the file, refused
// before the expensive step wherever the size is known in advance.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { RenderLimitError } from '../../shared/render/errors.ts';
import { MAX_MANIFEST_BYTES, MAX_NESTING_DEPTH, MAX_OBJECTS } from '../../shared/render/limits.ts';
import { render } from '../../shared/render/render.ts';
import { writeTree, type Tree } from '../render/tree.ts';
import { runCli } from '../support/cli.ts';
import { startCluster, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';

let tree: Tree | undefined;
afterEach(async () => {
  await tree?.remove();
  tree = undefined;
});

async function renderFiles(files: Record<string, string>) {
  tree = await writeTree(files);
  return render({ root: tree.root, path: 'app', destinationNamespace: 'shop', appName: 'web' });
}

async function limitError(files: Record<string, string>): Promise<RenderLimitError> {
  const error = await renderFiles(files).then(
    () => {
      throw new Error('rendered instead of refusing');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RenderLimitError);
  expect(isBadInput(error)).toBe(true);
  return error as RenderLimitError;
}

/** A custom object whose spec nests `levels` lists, so the whole document nests levels + 1. */
function deepJson(levels: number): string {
  return `{"apiVersion":"example.com/v1","kind":"Deep","metadata":{"name":"d"},"spec":${'['.repeat(levels)}${']'.repeat(levels)}}`;
}

describe('nesting', () => {
  it('a 5000-deep JSON document is bad input naming the file, not a RangeError', async () => {
    const error = await limitError({ 'app/deep.json': deepJson(5000) });
    expect(error.message).toBe(`app/deep.json: nests mappings and lists deeper than ${MAX_NESTING_DEPTH} levels; no Kubernetes object needs that`);
  });

  it('a 5000-deep YAML document, flow or block, is refused at its line', async () => {
    const flow = `apiVersion: example.com/v1\nkind: Deep\nmetadata: { name: d }\nspec: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    expect((await limitError({ 'app/flow.yaml': flow })).message).toMatch(/^app\/flow\.yaml:4: nests mappings and lists deeper than 200 levels/);
    await tree?.remove();
    const block =
      'apiVersion: example.com/v1\nkind: Deep\nmetadata: { name: d }\nspec:\n' +
      Array.from({ length: 5000 }, (_, level) => `${' '.repeat(level + 1)}k:\n`).join('');
    expect((await limitError({ 'app/block.yaml': block })).message).toMatch(/^app\/block\.yaml:\d+: nests mappings/);
  });

  it('aliases that stack shallow anchors into a deep value are refused too', async () => {
    // Each anchor wraps the previous one 40 levels down: 10 of them nest 400 deep from 40-deep text.
    const anchors = Array.from(
      { length: 10 },
      (_, index) => `  a${index}: &a${index} ${'['.repeat(40)}${index === 0 ? '' : `*a${index - 1}`}${']'.repeat(40)}\n`,
    ).join('');
    const error = await limitError({ 'app/alias.yaml': `apiVersion: example.com/v1\nkind: Deep\nmetadata: { name: d }\nspec:\n${anchors}` });
    expect(error.message).toMatch(/^app\/alias\.yaml:\d+: nests mappings and lists deeper than 200/);
  });

  it(`takes a document exactly ${MAX_NESTING_DEPTH} levels deep`, async () => {
    const result = await renderFiles({ 'app/edge.json': deepJson(MAX_NESTING_DEPTH - 1) });
    expect(result.objects).toHaveLength(1);
    await tree?.remove();
    await limitError({ 'app/edge.json': deepJson(MAX_NESTING_DEPTH) });
  });
});

describe('size', () => {
  it('a file over 16 MiB is refused by its size, before it is read', async () => {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: big }\ndata:\n  blob: "${'x'.repeat(MAX_MANIFEST_BYTES)}"\n`;
    const error = await limitError({ 'app/big.yaml': big });
    expect(error.message).toBe("app/big.yaml: is larger than 16 MiB, the limit for one render's manifests; split the app");
  });

  it('files that add up to more than 16 MiB are refused at the one that passes the limit', async () => {
    const part = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata:\n  blob: "${'x'.repeat(6 * 1024 * 1024)}"\n`;
    const error = await limitError({ 'app/a.yaml': part('a'), 'app/b.yaml': part('b'), 'app/c.yaml': part('c') });
    expect(error.message).toMatch(/^app\/c\.yaml: brings the app's manifests to \d+ bytes, which is larger than 16 MiB/);
  });

  it('a chart whose output passes 16 MiB is refused naming the chart', async () => {
    const error = await limitError({
      'app/Chart.yaml': 'apiVersion: v2\nname: big\nversion: 0.1.0\n',
      'app/templates/many.yaml': `{{- range until 1100 }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: "cm-{{ . }}" }\ndata: { blob: "{{ repeat 16384 "x" }}" }\n{{- end }}\n`,
    });
    expect(error.message).toMatch(/^app\/Chart\.yaml: renders manifests larger than 16 MiB/);
  });
});

describe('object count', () => {
  it(`more than ${MAX_OBJECTS} objects are refused naming the app`, async () => {
    const items = Array.from({ length: MAX_OBJECTS + 1 }, (_, index) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${index}` } }));
    const error = await limitError({ 'app/list.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
    expect(error.message).toBe(`app: renders ${MAX_OBJECTS + 1} objects, more than the limit of ${MAX_OBJECTS} for one app; split the app`);
  });

  it(`takes exactly ${MAX_OBJECTS}`, async () => {
    const items = Array.from({ length: MAX_OBJECTS }, (_, index) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${index}` } }));
    const result = await renderFiles({ 'app/list.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
    expect(result.objects).toHaveLength(MAX_OBJECTS);
  });
});

describe('through `driftless sync`', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(() => cluster?.stop());

  it('a 5000-deep JSON beside a good manifest: exit 2, the file named, nothing applied', async () => {
    const kubeconfig = join(tmpdir(), `limits-${process.pid}.kubeconfig`);
    await writeFile(kubeconfig, cluster.sandbox.kubeconfig());
    const app = await writeApp({ 'ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: fine }\n', 'deep.json': deepJson(5000) });
    cluster.sandbox.requests.clear();
    const result = await runCli(['sync', app, '--name', 'web', '--namespace', 'default', '--kubeconfig', kubeconfig]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('deep.json: nests mappings and lists deeper than 200 levels');
    expect(result.stderr).not.toMatch(/RangeError|Maximum call stack/);
    expect(writesIn(cluster)).toEqual([]);
  });
});
