import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { render } from '../../shared/render/render.ts';
import { KustomizeBuildError, KustomizeReferenceError } from '../../shared/render/errors.ts';
import { ids, writeTree } from './tree.ts';
import type { Tree } from './tree.ts';

let tree: Tree | undefined;
afterEach(async () => {
  await tree?.remove();
  tree = undefined;
});

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.25
        - name: sidecar
          image: envoy:1.0
`;

interface DeploymentShape {
  metadata: { name: string; labels: Record<string, string> };
  spec: { selector: { matchLabels: Record<string, string> }; template: { spec: { containers: Array<{ image: string }> } } };
}

const base = {
  'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
  'base/deployment.yaml': deployment,
  'app/kustomization.yaml': '# the overlay\nresources:\n  - ../base\n  - namespace.yaml\nimages:\n  - name: envoy\n    newName: registry.local/envoy\n',
  'app/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
};

describe('kustomize sources', () => {
  it('builds a kustomization, naming it as the source of every object', async () => {
    tree = await writeTree(base);
    const result = await render({ root: tree.root, path: 'app', destinationNamespace: 'shop', appName: 'web' });
    expect(result.sourceType).toBe('kustomize');
    expect(ids(result)).toEqual(['Namespace/shop', 'Deployment/shop/web']);
    expect(result.objects.map(({ source }) => source)).toEqual([
      { file: 'app/kustomization.yaml', document: 1 },
      { file: 'app/kustomization.yaml', document: 2 },
    ]);
  });

  it('applies namePrefix, nameSuffix, images and commonLabels as kustomize edit would, leaving the tree untouched', async () => {
    tree = await writeTree(base);
    const result = await render({
      root: tree.root,
      path: 'app',
      destinationNamespace: 'shop',
      appName: 'web',
      kustomize: {
        namePrefix: 'blue-',
        nameSuffix: '-v2',
        images: ['nginx:1.27', 'envoy:2.0'],
        commonLabels: { team: 'payments' },
      },
    });
    const web = result.objects.find(({ object }) => object.kind === 'Deployment')?.object as unknown as DeploymentShape;
    expect(web.metadata).toMatchObject({ name: 'blue-web-v2', labels: { team: 'payments' } });
    expect(web.spec.selector.matchLabels).toEqual({ app: 'web', team: 'payments' });
    // The override meets the overlay's own envoy entry: new name kept, tag replaced.
    expect(web.spec.template.spec.containers.map((container) => container.image)).toEqual(['nginx:1.27', 'registry.local/envoy:2.0']);
    expect(await readFile(join(tree.root, 'app/kustomization.yaml'), 'utf8')).toBe(base['app/kustomization.yaml']);
  });

  it('refuses to override a label the kustomization sets unless forced', async () => {
    tree = await writeTree({ ...base, 'app/kustomization.yaml': 'resources: [namespace.yaml]\ncommonLabels:\n  team: core\n' });
    const request = { root: tree.root, path: 'app', destinationNamespace: 'shop', appName: 'web' };
    await expect(render({ ...request, kustomize: { commonLabels: { team: 'payments' } } })).rejects.toThrow(/already sets commonLabels "team"/);
    const forced = await render({ ...request, kustomize: { commonLabels: { team: 'payments' }, forceCommonLabels: true } });
    expect(forced.objects[0].object.metadata.labels).toEqual({ team: 'payments' });
  });

  it('detects Kustomization before Chart.yaml, as Argo CD does', async () => {
    tree = await writeTree({ ...base, 'app/Chart.yaml': 'apiVersion: v2\nname: x\nversion: 0.1.0\n' });
    const result = await render({ root: tree.root, path: 'app', destinationNamespace: 'shop', appName: 'web' });
    expect(result.sourceType).toBe('kustomize');
  });

  it("fails with kustomize's message and the kustomization's path when a resource is missing", async () => {
    tree = await writeTree({ 'app/kustomization.yml': 'resources:\n  - missing.yaml\n' });
    const error = await render({ root: tree.root, path: 'app', destinationNamespace: 'shop', appName: 'web', kustomize: { namePrefix: 'x-' } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(KustomizeBuildError);
    expect(error).toMatchObject({ file: 'app/kustomization.yml' });
    expect((error as Error).message).toMatch(/^kustomize build failed for app\/kustomization\.yml: .*app\/missing\.yaml/);
    expect((error as Error).message).not.toContain(tree.root);
    // The scratch copy is an implementation detail; the message names the user's tree.
    expect((error as Error).message).not.toContain('driftless-render-');
  });

  it('never fetches a remote base: rendering stays offline', async () => {
    tree = await writeTree({ 'app/kustomization.yaml': 'resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0\n' });
    const error = await render({ root: tree.root, path: 'app', destinationNamespace: 'shop', appName: 'web' }).catch((caught: unknown) => caught);
    // Refused before kustomize runs, naming the kustomization, the field and the URL.
    expect(error).toBeInstanceOf(KustomizeReferenceError);
    expect((error as Error).message).toMatch(
      /^app\/kustomization\.yaml: resources\[0\] "https:\/\/github\.com\/kubernetes-sigs\/kustomize\/\/examples\/helloWorld\?ref=v5\.0\.0" is a remote reference/,
    );
  });
});
