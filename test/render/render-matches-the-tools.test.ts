// What `render` produces for Kustomize and Helm is exactly what the tools themselves print
// for the same inputs: Driftless adds sources, namespaces and checks, never different objects.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { render } from '../../shared/render/render.ts';
import { helmPath, kubectlPath } from '../../shared/tools/binaries.ts';

const run = promisify(execFile);

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'render-vs-tools-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), text);
  }
  return root;
}

function objectsOf(stream: string): unknown[] {
  return parseAllDocuments(stream, { version: '1.1' })
    .map((document) => document.toJS())
    .filter((value) => value && typeof value === 'object');
}

const byIdentity = (a: unknown, b: unknown) => identity(a).localeCompare(identity(b));
function identity(value: unknown): string {
  const object = value as { kind: string; metadata: { namespace?: string; name: string } };
  return `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/** The tools leave the namespace off objects that do not set one; render fills in the destination. */
function inNamespace(objects: unknown[], namespace: string): unknown[] {
  return objects.map((value) => {
    const object = value as { metadata: { namespace?: string } };
    return { ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? namespace } };
  });
}

let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  const home = await mkdtemp(join(tmpdir(), 'tools-home-'));
  env = { PATH: process.env.PATH, HOME: home, HELM_CACHE_HOME: join(home, 'c'), HELM_CONFIG_HOME: join(home, 'g'), HELM_DATA_HOME: join(home, 'd') };
});

describe('render gives the same objects as the tools', () => {
  it('Kustomize: kubectl kustomize on the same folder', async () => {
    const root = await tree({
      'base/kustomization.yaml': 'resources: [deploy.yaml, svc.yaml]\ncommonLabels: { team: shop }\nnamespace: shop\n',
      'base/deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec: { containers: [{ name: web, image: "nginx:1.27" }] }\n',
      'base/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { selector: { app: web }, ports: [{ port: 80 }] }\n',
      'overlay/kustomization.yaml':
        'resources: [../base]\nnamePrefix: prod-\nconfigMapGenerator: [{ name: settings, literals: [color=blue] }]\nimages: [{ name: nginx, newTag: "1.28" }]\n',
    });
    const direct = await run(await kubectlPath(), ['kustomize', join(root, 'overlay')], { env });
    const ours = await render({ root, path: 'overlay', appName: 'shop', destinationNamespace: 'shop' });
    expect(ours.sourceType).toBe('kustomize');
    expect(ours.objects.map((entry) => entry.object).sort(byIdentity)).toEqual(inNamespace(objectsOf(direct.stdout), 'shop').sort(byIdentity));
  });

  it('Helm: helm template with the same release, namespace and values', async () => {
    const root = await tree({
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.2.3\n',
      'chart/values.yaml': 'replicas: 1\nimage: nginx:1.27\n',
      'chart/prod.yaml': 'replicas: 3\n',
      'chart/templates/deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\n  namespace: {{ .Release.Namespace }}\n  labels: { chart: {{ .Chart.Name }}-{{ .Chart.Version }} }\nspec:\n  replicas: {{ .Values.replicas }}\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec: { containers: [{ name: web, image: {{ .Values.image | quote }} }] }\n',
      'chart/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata:\n  tier: {{ .Values.tier | default "web" | quote }}\n',
    });
    const direct = await run(
      await helmPath(),
      ['template', 'shop', join(root, 'chart'), '--namespace', 'shop', '--values', join(root, 'chart/prod.yaml'), '--set', 'tier=edge'],
      { env },
    );
    const ours = await render({
      root,
      path: 'chart',
      appName: 'shop',
      destinationNamespace: 'shop',
      helm: { valueFiles: ['prod.yaml'], parameters: [{ name: 'tier', value: 'edge' }] },
    });
    expect(ours.sourceType).toBe('helm');
    expect(ours.objects.map((entry) => entry.object).sort(byIdentity)).toEqual(inNamespace(objectsOf(direct.stdout), 'shop').sort(byIdentity));
    expect(ours.objects.find((entry) => entry.object.kind === 'Deployment')?.object.spec).toMatchObject({ replicas: 3 });
  });
});
