import { afterEach, describe, expect, it } from 'vitest';
import { render } from '../../shared/render/render.ts';
import { HelmTemplateError, MissingChartDependencyError, RenderOptionsError } from '../../shared/render/errors.ts';
import type { RenderRequest } from '../../shared/render/types.ts';
import { ids, writeTree } from './tree.ts';
import type { Tree } from './tree.ts';

let tree: Tree | undefined;
afterEach(async () => {
  await tree?.remove();
  tree = undefined;
});

// The chart's name differs from its folder, so source paths must come from the folder.
const chart = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: webchart\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'replicas: 1\ngreeting: hello\nflag: off\n',
  'charts/web/crds/widget.yaml': [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:\n  name: widgets.example.com',
    'spec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Widget, plural: widgets}',
  ].join('\n'),
  'charts/web/templates/config.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: {{ .Release.Name }}-config',
    '  namespace: {{ .Release.Namespace }}',
    'data:',
    '  replicas: {{ .Values.replicas | quote }}',
    '  greeting: {{ .Values.greeting | quote }}',
    '  flag: {{ kindOf .Values.flag | quote }}',
    '  list: {{ .Values.list | default "" | toJson | quote }}',
    '  kube: {{ .Capabilities.KubeVersion.Version | quote }}',
    '  hasWidgets: {{ .Capabilities.APIVersions.Has "example.com/v1" | quote }}',
  ].join('\n'),
  'charts/web/templates/roles.yaml': [
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: {{ .Release.Name }}-reader\n',
    'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Release.Name }}\n',
  ].join('---\n'),
  'charts/web/templates/tests/test.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n  annotations:\n    helm.sh/hook: test\n',
  'env/prod.yaml': 'replicas: 3\n',
};

function request(root: string, extra: Partial<RenderRequest> = {}): RenderRequest {
  return { root, path: 'charts/web', destinationNamespace: 'shop', appName: 'web', ...extra };
}

function config(result: Awaited<ReturnType<typeof render>>): Record<string, string> {
  return result.objects.find(({ object }) => object.kind === 'ConfigMap')?.object.data as Record<string, string>;
}

describe('helm sources', () => {
  it('renders a chart with CRDs, naming each template as the source and defaulting by scope', async () => {
    tree = await writeTree(chart);
    const result = await render(request(tree.root));
    expect(result.sourceType).toBe('helm');
    expect(ids(result)).toEqual([
      'CustomResourceDefinition/widgets.example.com',
      'ServiceAccount/shop/web',
      'ConfigMap/shop/web-config',
      'ClusterRole/web-reader',
      'Pod/shop/web-test',
    ]);
    // helm sorts its output by kind, so documents count in that order, not the template's.
    expect(result.objects.find(({ object }) => object.kind === 'ClusterRole')?.source).toEqual({
      file: 'charts/web/templates/roles.yaml',
      document: 2,
    });
    expect(result.objects[0].source.file).toBe('charts/web/crds/widget.yaml');
  });

  it('applies release name, namespace, value files, inline values and parameters in that order of precedence', async () => {
    tree = await writeTree(chart);
    const result = await render(
      request(tree.root, {
        helm: {
          releaseName: 'shopfront',
          namespace: 'store',
          valueFiles: ['../../env/prod.yaml', '/env/prod.yaml'],
          values: 'greeting: from-values\nreplicas: 5\n',
          parameters: [
            { name: 'replicas', value: '7' },
            { name: 'flag', value: 'true', forceString: true },
            { name: 'greeting', value: 'a,b' },
            { name: 'list', value: '{x,y}' },
          ],
        },
      }),
    );
    expect(ids(result)).toContain('ConfigMap/store/shopfront-config');
    expect(config(result)).toMatchObject({ replicas: '7', greeting: 'a,b', flag: 'string', list: '["x","y"]' });
  });

  it('accepts values as an object', async () => {
    tree = await writeTree(chart);
    const result = await render(request(tree.root, { helm: { values: { greeting: 'object', replicas: 2 } } }));
    expect(config(result)).toMatchObject({ greeting: 'object', replicas: '2' });
  });

  it("passes the cluster's version and API versions to the chart", async () => {
    tree = await writeTree(chart);
    const result = await render(request(tree.root, { cluster: { kubeVersion: 'v1.31.2', apiVersions: ['example.com/v1'] } }));
    expect(config(result)).toMatchObject({ kube: 'v1.31.2', hasWidgets: 'true' });
  });

  it('leaves out CRDs with skipCrds and tests with skipTests', async () => {
    tree = await writeTree(chart);
    const result = await render(request(tree.root, { helm: { skipCrds: true, skipTests: true } }));
    expect(ids(result)).toEqual(['ServiceAccount/shop/web', 'ConfigMap/shop/web-config', 'ClusterRole/web-reader']);
  });

  it("surfaces helm's own message when a template fails", async () => {
    tree = await writeTree({ ...chart, 'charts/web/templates/bad.yaml': 'x: {{ .Values.missing.field }}\n' });
    const error = await render(request(tree.root)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HelmTemplateError);
    expect(error).toMatchObject({ file: 'charts/web/Chart.yaml' });
    expect((error as Error).message).toMatch(/^helm template failed for charts\/web\/Chart\.yaml: webchart\/templates\/bad\.yaml:1:\d+/);
    expect((error as Error).message).toContain('nil pointer evaluating');
  });

  it('names the template when a chart renders invalid YAML', async () => {
    tree = await writeTree({ ...chart, 'charts/web/templates/bad.yaml': 'a: b\n  c: [\n' });
    const error = await render(request(tree.root)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HelmTemplateError);
    expect((error as Error).message).toContain('YAML parse error on webchart/templates/bad.yaml');
  });

  it('names the template when helm lets through YAML that Kubernetes tools reject (duplicate keys)', async () => {
    const duplicate = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n';
    tree = await writeTree({ ...chart, 'charts/web/templates/dup.yaml': duplicate });
    const error = await render(request(tree.root)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HelmTemplateError);
    expect((error as Error).message).toMatch(/rendered invalid YAML in charts\/web\/templates\/dup\.yaml: .*unique/);
  });

  it('fails on a dependency missing from charts/ instead of downloading it', async () => {
    tree = await writeTree({
      ...chart,
      'charts/web/Chart.yaml':
        'apiVersion: v2\nname: webchart\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.com\n',
    });
    const error = await render(request(tree.root)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MissingChartDependencyError);
    expect((error as Error).message).toContain('missing in charts/ directory: redis');
    expect((error as Error).message).toContain('helm dependency build');
  });

  it('renders a vendored subchart', async () => {
    tree = await writeTree({
      ...chart,
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: webchart\nversion: 0.1.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n',
      'charts/web/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
      'charts/web/charts/sub/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: sub\n',
    });
    const result = await render(request(tree.root, { helm: { skipCrds: true, skipTests: true } }));
    expect(result.objects.find(({ object }) => object.kind === 'Service')?.source.file).toBe('charts/web/charts/sub/templates/svc.yaml');
  });

  it('refuses value files outside the repository, missing ones, and URLs', async () => {
    tree = await writeTree(chart);
    const attempt = (valueFiles: string[], ignoreMissingValueFiles = false) =>
      render(request((tree as Tree).root, { helm: { valueFiles, ignoreMissingValueFiles } })).catch((caught: unknown) => caught);
    expect(await attempt(['../../../outside.yaml'])).toBeInstanceOf(RenderOptionsError);
    expect(((await attempt(['nope.yaml'])) as Error).message).toContain('value file "nope.yaml" (charts/web/nope.yaml) does not exist');
    expect(((await attempt(['https://example.com/v.yaml'])) as Error).message).toContain('is a URL');
    expect(ids((await attempt(['nope.yaml'], true)) as Awaited<ReturnType<typeof render>>)).toContain('ConfigMap/shop/web-config');
  });
});
