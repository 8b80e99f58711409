import { afterEach, describe, expect, it } from 'vitest';
import { render } from '../../shared/render/render.ts';
import { configMap, ids, writeTree } from './tree.ts';
import type { Tree } from './tree.ts';

let tree: Tree | undefined;
afterEach(async () => {
  await tree?.remove();
  tree = undefined;
});

async function renderApp(files: Record<string, string>, extra: Partial<Parameters<typeof render>[0]> = {}) {
  tree = await writeTree(files);
  return render({ root: tree.root, path: 'app', destinationNamespace: 'shop', appName: 'web', ...extra });
}

describe('directory sources', () => {
  it('renders every document of every file in name order, each with its file, document and line', async () => {
    const result = await renderApp({
      'app/b.yaml': `${configMap('second')}---\n${configMap('third', '  namespace: other\n')}`,
      'app/a.yaml': configMap('first'),
    });
    expect(result.sourceType).toBe('directory');
    expect(ids(result)).toEqual(['ConfigMap/shop/first', 'ConfigMap/shop/second', 'ConfigMap/other/third']);
    expect(result.objects.map(({ source }) => source)).toEqual([
      { file: 'app/a.yaml', document: 1, line: 1 },
      { file: 'app/b.yaml', document: 1, line: 1 },
      { file: 'app/b.yaml', document: 2, line: 6 },
    ]);
  });

  it('gives namespaced objects the destination namespace and leaves cluster-scoped objects without one', async () => {
    const result = await renderApp({
      'app/all.yaml': [
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  namespace: stray\n',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
        'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: unknown-kind\n',
      ].join('---\n'),
    });
    expect(ids(result)).toEqual(['Namespace/shop', 'ClusterRole/reader', 'Deployment/shop/web', 'Widget/shop/unknown-kind']);
  });

  it('takes scope from discovery first and from CRDs rendered alongside', async () => {
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:\n  name: gadgets.example.com',
      'spec:\n  group: example.com\n  scope: Cluster\n  names:\n    kind: Gadget\n    plural: gadgets',
    ].join('\n');
    const result = await renderApp(
      {
        'app/crd.yaml': crd,
        'app/objects.yaml': [
          'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n',
          'apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: z\n',
        ].join('---\n'),
      },
      { cluster: { isNamespaced: (group, kind) => (group === 'example.com' && kind === 'Gizmo' ? false : undefined) } },
    );
    expect(ids(result)).toEqual(['CustomResourceDefinition/gadgets.example.com', 'Gadget/g', 'Gizmo/z']);
  });

  it('reads subfolders only with recurse', async () => {
    const files = { 'app/top.yaml': configMap('top'), 'app/sub/deep.yaml': configMap('deep') };
    expect(ids(await renderApp(files))).toEqual(['ConfigMap/shop/top']);
    await tree?.remove();
    expect(ids(await renderApp(files, { directory: { recurse: true } }))).toEqual(['ConfigMap/shop/deep', 'ConfigMap/shop/top']);
  });

  it('applies include and exclude globs to app-relative paths, with * crossing folders as in Argo CD', async () => {
    const files = {
      'app/a.yaml': configMap('a'),
      'app/b.yaml': configMap('b'),
      'app/c.yml': configMap('c'),
      'app/sub/d.yaml': configMap('d'),
    };
    expect(ids(await renderApp(files, { directory: { recurse: true, include: '*.yaml' } }))).toEqual([
      'ConfigMap/shop/a',
      'ConfigMap/shop/b',
      'ConfigMap/shop/d',
    ]);
    await tree?.remove();
    expect(ids(await renderApp(files, { directory: { include: '{a.yaml,c.yml}' } }))).toEqual(['ConfigMap/shop/a', 'ConfigMap/shop/c']);
    await tree?.remove();
    expect(ids(await renderApp(files, { directory: { recurse: true, exclude: 'sub/*' } }))).toEqual([
      'ConfigMap/shop/a',
      'ConfigMap/shop/b',
      'ConfigMap/shop/c',
    ]);
  });

  it('ignores files that are not manifests and YAML that holds no Kubernetes objects, naming the latter', async () => {
    const result = await renderApp({
      'app/deploy.yaml': configMap('real'),
      'app/README.md': '# not yaml: [',
      'app/values.yaml': 'replicas: 3\nimage:\n  tag: v1\n',
      'app/script.sh': 'echo hi',
    });
    expect(ids(result)).toEqual(['ConfigMap/shop/real']);
    expect(result.skippedFiles).toEqual([{ file: 'app/values.yaml', reason: 'YAML without Kubernetes objects (no kind)' }]);
  });

  it('reads a JSON manifest as one object', async () => {
    const result = await renderApp({
      'app/svc.json': '\n{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}',
    });
    expect(ids(result)).toEqual(['Service/shop/web']);
    expect(result.objects[0].source).toEqual({ file: 'app/svc.json', document: 1, line: 2 });
  });

  it('flattens List documents, each item keeping its own line', async () => {
    const result = await renderApp({
      'app/list.yaml': [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - apiVersion: v1',
        '    kind: ConfigMap',
        '    metadata: {name: one}',
        '  - apiVersion: v1',
        '    kind: Secret',
        '    metadata: {name: two}',
      ].join('\n'),
    });
    expect(ids(result)).toEqual(['ConfigMap/shop/one', 'Secret/shop/two']);
    expect(result.objects.map(({ source }) => source.line)).toEqual([4, 7]);
  });

  it('reads YAML as Kubernetes tools do: 0644 is octal, dates stay strings', async () => {
    const result = await renderApp({ 'app/cm.yaml': configMap('modes', 'data:\n  date: 2024-01-01\nspec:\n  mode: 0644\n') });
    expect(result.objects[0].object).toMatchObject({ data: { date: '2024-01-01' }, spec: { mode: 420 } });
  });

  it('accepts generateName on hooks', async () => {
    const hook = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n';
    const result = await renderApp({ 'app/hook.yaml': hook });
    expect(result.objects[0].object.metadata).toMatchObject({ generateName: 'migrate-', namespace: 'shop' });
  });

  it('renders the tree root when the app path is "."', async () => {
    tree = await writeTree({ 'cm.yaml': configMap('at-root') });
    const result = await render({ root: tree.root, path: '.', destinationNamespace: 'shop', appName: 'web' });
    expect(result.objects[0].source.file).toBe('cm.yaml');
  });
});

describe('YAML aliases', () => {
  it('refuses a document that expands aliases without bound', async () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((key, position) => `${key}: &${key} [${Array(10).fill(`*${'abcdefgh'[position]}`).join(', ')}]`),
    ];
    tree = await writeTree({
      'app/bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n${bomb.map((line) => `  ${line}`).join('\n')}\n`,
    });
    await expect(render({ root: tree.root, path: 'app', destinationNamespace: 'shop', appName: 'web' })).rejects.toThrow(
      /app\/bomb\.yaml:1: cannot parse: .*alias/i,
    );
  });
});
