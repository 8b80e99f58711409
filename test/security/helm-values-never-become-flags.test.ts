// Issue 12, item 1: a value from Git reaching `helm template` as a flag. The release name
// `--set-file=env=/proc/self/environ` used to make helm read a file of the worker into the
// rendered ConfigMap. Each attack below goes in for real and the secret file's content must
// come out nowhere: not in the objects, not in the error, not in the cluster.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { OptionLikeArgumentError, RenderOptionsError } from '../../shared/render/errors.ts';
import { helmTemplateArgs } from '../../shared/render/helm-args.ts';
import { render } from '../../shared/render/render.ts';
import { problemsOf } from '../config/registry-files.ts';
import { writeTree, type Tree } from '../render/tree.ts';
import { runCli } from '../support/cli.ts';
import { startCluster, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';

const MARKER = 'worker-secret-7f3a9c';

// A chart that prints every value it was given into a ConfigMap: whatever helm read ends up there.
const chart = {
  'Chart.yaml': 'apiVersion: v2\nname: leak\nversion: 0.1.0\n',
  'values.yaml': 'x: 1\n',
  'templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-values\ndata:\n  values: {{ toJson .Values | quote }}\n  namespace: {{ .Release.Namespace | quote }}\n',
};

let secretDir: string;
let secretFile: string;
let cluster: TestCluster;
let kubeconfig: string;
beforeAll(async () => {
  secretDir = await mkdtemp(join(tmpdir(), 'worker-secret-'));
  secretFile = join(secretDir, 'environ');
  await writeFile(secretFile, `AWS_SECRET_ACCESS_KEY=${MARKER}\n`);
  cluster = await startCluster();
  kubeconfig = join(secretDir, 'kubeconfig');
  await writeFile(kubeconfig, cluster.sandbox.kubeconfig());
});
afterAll(async () => {
  await cluster?.stop();
  await rm(secretDir, { recursive: true, force: true });
});

async function renderError(tree: Tree, helm: Record<string, unknown>): Promise<Error> {
  return render({ root: tree.root, path: '.', destinationNamespace: 'shop', appName: 'web', helm }).then(
    (result) => {
      throw new Error(`rendered instead of refusing: ${JSON.stringify(result.objects)}`);
    },
    (error: unknown) => error as Error,
  );
}

describe('a Helm release name that is a flag', () => {
  it('is refused by the registry schema, at the file, line and field', () => {
    const app = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  source:
    repoURL: https://github.com/acme/web
    path: chart
    helm:
      releaseName: --set-file=env=/proc/self/environ
  destination:
    server: https://kubernetes.default.svc
    namespace: web
`;
    expect(problemsOf({ 'driftless/web.yaml': app })).toEqual([
      expect.stringMatching(
        /^driftless\/web\.yaml:10: Application\/web: spec\.source\.helm\.releaseName: must be at most 53 characters .*Helm's release name rule/,
      ),
    ]);
  });

  it('is refused by render itself, before helm runs, whoever skipped the schema', async () => {
    const tree = await writeTree(chart);
    try {
      const error = await renderError(tree, { releaseName: `--set-file=env=${secretFile}` });
      expect(error).toBeInstanceOf(RenderOptionsError);
      expect(error.message).toMatch(/^spec\.source\.helm\.releaseName "--set-file=env=.*" is not a valid Helm release name/);
      expect(error.message).not.toContain(MARKER);
      expect(isBadInput(error)).toBe(true);
    } finally {
      await tree.remove();
    }
  });

  it.each(['Web', 'a'.repeat(54), 'web_app', 'web.', '-web'])('refuses %j as Helm does, and takes a 53-character name', async (name) => {
    const tree = await writeTree(chart);
    try {
      await expect(renderError(tree, { releaseName: name })).resolves.toBeInstanceOf(RenderOptionsError);
      const result = await render({ root: tree.root, path: '.', destinationNamespace: 'shop', appName: 'web', helm: { releaseName: `a.${'b'.repeat(51)}` } });
      expect(result.objects[0].object.metadata.name).toBe(`a.${'b'.repeat(51)}-values`);
    } finally {
      await tree.remove();
    }
  });

  it('refuses an application name that cannot be a release name when it is the default one', async () => {
    const tree = await writeTree(chart);
    try {
      const error = await render({ root: tree.root, path: '.', destinationNamespace: 'shop', appName: 'a'.repeat(60) }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RenderOptionsError);
      expect((error as Error).message).toMatch(/application name .*set spec\.source\.helm\.releaseName/);
    } finally {
      await tree.remove();
    }
  });

  it('through `driftless sync --release-name`: exit 2, nothing applied, the file never read', async () => {
    const app = await writeApp(chart);
    cluster.sandbox.requests.clear();
    const result = await runCli([
      'sync',
      app,
      '--name',
      'web',
      '--namespace',
      'default',
      '--kubeconfig',
      kubeconfig,
      `--release-name=--set-file=env=${secretFile}`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/releaseName "--set-file=env=.*" is not a valid Helm release name/);
    expect(result.stdout + result.stderr).not.toContain(MARKER);
    expect(writesIn(cluster)).toEqual([]);
  });

  it('through `driftless render --release-name`: exit 2 and no output of the file', async () => {
    const app = await writeApp(chart);
    const result = await runCli(['render', app, '--name', 'web', '--namespace', 'default', `--release-name=--set-file=env=${secretFile}`]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).not.toContain(MARKER);
  });
});

describe('every other Helm option from Git', () => {
  it('rides as --flag=value, with the positionals after --, so no value starts an element', () => {
    const hostile = `--set-file=env=${secretFile}`;
    const args = helmTemplateArgs({
      releaseName: 'web',
      chartDir: '/chart',
      namespace: hostile,
      valueFiles: ['/repo/values.yaml'],
      skipCrds: false,
      skipTests: false,
      kubeVersion: hostile,
      apiVersions: [hostile],
      parameters: [
        { name: hostile, value: hostile },
        { name: 'x', value: hostile, forceString: true },
      ],
    });
    const end = args.indexOf('--');
    expect(args.slice(end + 1)).toEqual(['web', '/chart']);
    // Before `--`, every element is one of our flags; what came from Git only ever follows its `=`.
    const ours = /^--(namespace|kube-version|api-versions|values|set|set-string)=|^--include-crds$|^template$/;
    expect(args.slice(0, end).filter((arg) => !ours.test(arg))).toEqual([]);
  });

  it('with a positional that would still read as a flag, the guard refuses it', () => {
    const build = () =>
      helmTemplateArgs({
        releaseName: '--post-renderer=/bin/sh',
        chartDir: '/chart',
        namespace: 'n',
        valueFiles: [],
        skipCrds: true,
        skipTests: false,
        apiVersions: [],
        parameters: [],
      });
    expect(build).toThrow(OptionLikeArgumentError);
    expect(build).toThrow(/helm release name "--post-renderer=\/bin\/sh" starts with "-"/);
  });

  it('with real helm: hostile namespace, API versions and parameters render as data, never read the file', async () => {
    const tree = await writeTree(chart);
    try {
      const hostile = `--set-file=leak=${secretFile}`;
      const result = await render({
        root: tree.root,
        path: '.',
        destinationNamespace: 'shop',
        appName: 'web',
        helm: { namespace: hostile, apiVersions: [hostile], parameters: [{ name: 'p', value: hostile }] },
      });
      const rendered = JSON.stringify(result.objects);
      expect(rendered).not.toContain(MARKER);
      const data = (result.objects[0].object as unknown as { data: { values: string; namespace: string } }).data;
      expect(JSON.parse(data.values)).toEqual({ x: 1, p: hostile });
      expect(data.namespace).toBe(hostile);
    } finally {
      await tree.remove();
    }
  });
});
