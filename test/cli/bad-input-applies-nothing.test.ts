// Every kind of bad input stops `driftless sync` before the first write, with exit code 2
// and an error that names the file or object at fault.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { startCluster, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;
let kubeconfig: string;
beforeAll(async () => {
  cluster = await startCluster();
  kubeconfig = join(tmpdir(), `bad-input-${process.pid}.kubeconfig`);
  await writeFile(kubeconfig, cluster.sandbox.kubeconfig());
});
afterAll(() => cluster?.stop());

const good = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: fine }\ndata: { k: v }\n';
const chart = (template: string, extra = '') => ({
  'Chart.yaml': `apiVersion: v2\nname: demo\nversion: 0.1.0\n${extra}`,
  'values.yaml': 'replicas: 1\n',
  'templates/cm.yaml': template,
});

const cases: Array<{ name: string; files: Record<string, string>; expect: RegExp }> = [
  {
    name: 'broken YAML',
    files: { 'ok.yaml': good, 'broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n    bad: indent\n' },
    expect: /broken\.yaml.*line \d|broken\.yaml:\d/,
  },
  { name: 'broken JSON', files: { 'ok.yaml': good, 'broken.json': '{"apiVersion": "v1", "kind": ' }, expect: /broken\.json/ },
  { name: 'missing kind', files: { 'ok.yaml': good, 'nokind.yaml': 'apiVersion: v1\nmetadata: { name: x }\n' }, expect: /nokind\.yaml.*kind/ },
  {
    name: 'missing apiVersion',
    files: { 'ok.yaml': good, 'noversion.yaml': 'kind: ConfigMap\nmetadata: { name: x }\n' },
    expect: /noversion\.yaml.*apiVersion/,
  },
  {
    name: 'missing name',
    files: { 'ok.yaml': good, 'noname.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { labels: { a: b } }\n' },
    expect: /noname\.yaml.*metadata\.name/,
  },
  {
    name: 'a document that is not an object beside a manifest',
    files: { 'ok.yaml': good, 'list.yaml': `${good.replace('fine', 'other')}---\n- just\n- a list\n` },
    expect: /list\.yaml/,
  },
  { name: 'duplicate object', files: { 'a.yaml': good, 'b.yaml': good }, expect: /ConfigMap\/default\/fine.*a\.yaml.*b\.yaml|a\.yaml.*b\.yaml/s },
  {
    name: 'unknown kind',
    files: { 'ok.yaml': good, 'gadget.yaml': 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: { name: g }\n' },
    expect: /Gadget\/default\/g: no matches for kind "Gadget".*gadget\.yaml/,
  },
  {
    name: 'invalid name',
    files: { 'ok.yaml': good, 'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: Web_App }\n' },
    expect: /ConfigMap\/default\/Web_App: invalid name.*bad\.yaml/,
  },
  {
    name: 'namespace that does not exist',
    files: { 'ok.yaml': good, 'elsewhere.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x, namespace: nowhere }\n' },
    expect: /ConfigMap\/nowhere\/x: namespace "nowhere" does not exist/,
  },
  {
    name: 'hook with an unknown phase',
    files: { 'ok.yaml': good, 'hook.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: h\n  annotations: { argocd.argoproj.io/hook: Sometime }\n' },
    expect: /ConfigMap\/default\/h.*argocd\.argoproj\.io\/hook.*Sometime/,
  },
  {
    name: 'sync wave that is not a number',
    files: { 'ok.yaml': good, 'wave.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: w\n  annotations: { argocd.argoproj.io/sync-wave: soon }\n' },
    expect: /ConfigMap\/default\/w.*sync-wave.*soon/,
  },
  {
    name: 'generateName on an object that is not a hook',
    files: { 'ok.yaml': good, 'gen.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { generateName: gen- }\n' },
    expect: /gen\.yaml.*generateName/,
  },
  { name: 'helm template error', files: chart('{{ fail "the chart refuses" }}\n'), expect: /the chart refuses/ },
  {
    name: 'helm chart dependency missing',
    files: chart(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n',
      'dependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.com\n',
    ),
    expect: /redis/,
  },
  {
    name: 'kustomize resource missing',
    files: { 'kustomization.yaml': 'resources:\n  - ok.yaml\n  - missing.yaml\n', 'ok.yaml': good },
    expect: /missing\.yaml/,
  },
  { name: 'kustomization syntax error', files: { 'kustomization.yaml': 'resources: [ok.yaml\n', 'ok.yaml': good }, expect: /kustomization/ },
];

describe('driftless sync with bad input', () => {
  it.each(cases)('$name: exit 2, names the culprit, writes nothing', async ({ files, expect: message }) => {
    const app = await writeApp(files);
    cluster.sandbox.requests.clear();
    const result = await runCli(['sync', '-f', app, '--name', 'bad', '--namespace', 'default', '--kubeconfig', kubeconfig, '--timeout', '20s']);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Nothing was applied/);
    expect(result.code).toBe(2);
    expect(writesIn(cluster)).toEqual([]);
  });

  it('has a corpus of at least fifteen cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });
});
