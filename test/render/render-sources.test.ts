// Several sources rendered as one app, with the real helm: each by its own type, in source
// order, `$<ref>/…` value files read from the ref source's tree relative to its root (Argo CD's
// rule), and an object produced by two sources refused naming both.
import { afterEach, describe, expect, it } from 'vitest';
import { DuplicateObjectError, RenderOptionsError, SourcePathError } from '../../shared/render/errors.ts';
import { renderSources, type SourceTree } from '../../shared/render/render-sources.ts';
import { configMap, ids, writeTree, type Tree } from './tree.ts';

const trees: Tree[] = [];
afterEach(async () => {
  await Promise.all(trees.splice(0).map((tree) => tree.remove()));
});

async function tree(files: Record<string, string>, links: Record<string, string> = {}): Promise<string> {
  const made = await writeTree(files, links);
  trees.push(made);
  return made.root;
}

// A chart as a chart repository serves it once unpacked: Chart.yaml at the top.
const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 2.0.0\n',
  'values.yaml': 'replicas: 1\ncolor: grey\n',
  'templates/config.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-shop\ndata:\n  replicas: {{ .Values.replicas | quote }}\n  color: {{ .Values.color | quote }}\n',
};

function chartSource(root: string, helm: SourceTree['helm'] = {}): SourceTree {
  return { root, path: '.', chart: true, renders: true, helm, origin: 'spec.sources[0] (chart shop 2.0.0 from https://charts.example.com)' };
}

function valuesSource(root: string, path = '.', renders = false): SourceTree {
  return { root, path, chart: false, renders, ref: 'values', origin: 'spec.sources[1] (https://github.com/acme/values.git)' };
}

const request = (sources: SourceTree[]) => ({ sources, destinationNamespace: 'shop', appName: 'shop' });

describe('renderSources', () => {
  it("renders the chart with a value file from the ref source, relative to that repository's root, and the ref source renders nothing", async () => {
    const chart = await tree(CHART);
    const values = await tree({ 'envs/dev/shop.yaml': 'color: green\n', 'envs/dev/ignored.yaml': configMap('never-rendered') });
    const result = await renderSources(
      request([chartSource(chart, { valueFiles: ['$values/envs/dev/shop.yaml'], parameters: [{ name: 'replicas', value: '3' }] }), valuesSource(values)]),
    );
    expect(ids(result)).toEqual(['ConfigMap/shop/shop-shop']);
    expect(result.objects[0].object).toMatchObject({ data: { replicas: '3', color: 'green' } });
    expect(result.objects[0].source).toEqual({
      file: 'templates/config.yaml',
      document: 1,
      origin: 'spec.sources[0] (chart shop 2.0.0 from https://charts.example.com)',
    });
    expect(result.sourceTypes).toEqual(['helm', undefined]);
  });

  it('puts the objects of two Git sources together in source order, each keeping its file, line and source', async () => {
    const billing = await tree({ 'manifests/a.yaml': configMap('billing'), 'manifests/b.yaml': `# comment\n${configMap('billing-extra')}` });
    const common = await tree({ 'configmaps-billing/settings.yaml': configMap('common-settings') });
    const result = await renderSources(
      request([
        { root: billing, path: 'manifests', chart: false, renders: true, origin: 'spec.sources[0] (https://github.com/mycompany/billing-app.git)' },
        { root: common, path: 'configmaps-billing', chart: false, renders: true, origin: 'spec.sources[1] (https://github.com/mycompany/common-settings.git)' },
      ]),
    );
    expect(ids(result)).toEqual(['ConfigMap/shop/billing', 'ConfigMap/shop/billing-extra', 'ConfigMap/shop/common-settings']);
    expect(result.objects.map(({ source }) => source)).toEqual([
      { file: 'manifests/a.yaml', document: 1, line: 1, origin: 'spec.sources[0] (https://github.com/mycompany/billing-app.git)' },
      { file: 'manifests/b.yaml', document: 1, line: 2, origin: 'spec.sources[0] (https://github.com/mycompany/billing-app.git)' },
      { file: 'configmaps-billing/settings.yaml', document: 1, line: 1, origin: 'spec.sources[1] (https://github.com/mycompany/common-settings.git)' },
    ]);
  });

  it('renders a ref source that has a path, and lets a CRD of one source scope a custom resource of another', async () => {
    const crd =
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Cluster\n  names: {kind: Widget, plural: widgets}\n';
    const chart = await tree({ ...CHART, 'crds/widget.yaml': crd });
    const values = await tree({ 'extra/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: blue\n  namespace: should-go\n' });
    const result = await renderSources(request([chartSource(chart), valuesSource(values, 'extra', true)]));
    expect(ids(result)).toEqual(['CustomResourceDefinition/widgets.example.com', 'ConfigMap/shop/shop-shop', 'Widget/blue']);
  });

  it('refuses an object produced by two sources, naming both (Argo CD would apply the last one)', async () => {
    const chart = await tree(CHART);
    const values = await tree({ 'extra/override.yaml': configMap('shop-shop') });
    const error = await renderSources(request([chartSource(chart), valuesSource(values, 'extra', true)])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DuplicateObjectError);
    expect((error as Error).message).toBe(
      'ConfigMap/shop/shop-shop is defined twice (two sources of the app produce it): in templates/config.yaml (document 1) of spec.sources[0] (chart shop 2.0.0 from https://charts.example.com) ' +
        'and in extra/override.yaml (document 1, line 1) of spec.sources[1] (https://github.com/acme/values.git); keep one of them',
    );
  });

  it("keeps $ref value files inside the ref source's repository, symlinks included", async () => {
    const chart = await tree(CHART);
    const outside = await tree({ 'secret.yaml': 'color: stolen\n' });
    const values = await tree({ 'ok.yaml': 'color: blue\n' });
    const climbing = renderSources(request([chartSource(chart, { valueFiles: ['$values/../outside.yaml'] }), valuesSource(values)]));
    await expect(climbing).rejects.toThrow(
      new RenderOptionsError('value file "$values/../outside.yaml" resolves to outside the repository of ref source "values"; use a file inside it'),
    );
    const linked = await tree({ 'ok.yaml': 'color: blue\n' }, { 'link.yaml': `${outside}/secret.yaml` });
    const viaLink = renderSources(request([chartSource(chart, { valueFiles: ['$values/link.yaml'] }), valuesSource(linked)]));
    await expect(viaLink).rejects.toBeInstanceOf(SourcePathError);
    await expect(viaLink).rejects.toThrow(/symlink pointing outside it: link\.yaml/);
  });

  it('says which value file of which ref source is missing, unless missing ones are to be ignored', async () => {
    const chart = await tree(CHART);
    const values = await tree({ 'ok.yaml': 'color: blue\n' });
    const missing = renderSources(request([chartSource(chart, { valueFiles: ['$values/envs/prod.yaml'] }), valuesSource(values)]));
    await expect(missing).rejects.toThrow(
      'value file "$values/envs/prod.yaml" (envs/prod.yaml in the repository of ref source "values") does not exist; fix the path or set ignoreMissingValueFiles',
    );
    const ignored = await renderSources(
      request([chartSource(chart, { valueFiles: ['$values/envs/prod.yaml', '$values/ok.yaml'], ignoreMissingValueFiles: true }), valuesSource(values)]),
    );
    expect(ignored.objects[0].object).toMatchObject({ data: { color: 'blue' } });
  });
});
