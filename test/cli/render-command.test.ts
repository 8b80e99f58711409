// `driftless render PATH` prints the objects a sync would apply, each after its source.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../support/cli.ts';
import { writeApp } from '../support/cluster.ts';

describe('driftless render', () => {
  it('prints multi-document YAML with sources and the destination namespace filled in', async () => {
    const app = await writeApp({
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: one }\ndata: { k: v }\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
    });
    const result = await runCli(['render', app, '--namespace', 'shop']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# Source: a\.yaml:1$/m);
    const objects = parseAllDocuments(result.stdout).map((document) => document.toJS());
    expect(objects).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 'shop' }, data: { k: 'v' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    ]);
  });

  it('passes Helm values files and --set to the chart', async () => {
    const chart = await writeApp({
      'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'values.yaml': 'color: blue\nsize: small\n',
      'prod.yaml': 'size: large\n',
      'templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: {{ .Release.Name }}-cm }\ndata: { color: {{ .Values.color }}, size: {{ .Values.size }} }\n',
    });
    const result = await runCli(['render', chart, '--name', 'web', '--helm-values', `${chart}/prod.yaml`, '--set', 'color=red']);
    expect(result.code).toBe(0);
    const [object] = parseAllDocuments(result.stdout).map((document) => document.toJS());
    expect(object).toMatchObject({ metadata: { name: 'web-cm', namespace: 'default' }, data: { color: 'red', size: 'large' } });
  });

  it('exits 2 and names the file on broken input', async () => {
    const app = await writeApp({ 'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n    oops: 1\n' });
    const result = await runCli(['render', app]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml/);
  });
});
