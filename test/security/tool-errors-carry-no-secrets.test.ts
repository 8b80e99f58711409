// Issue 12, item 9: kustomize repeats a secretGenerator literal it cannot parse in its error,
// and a tool's error becomes the sync's status, event and log line. Secret material of the
// inputs (generator literals and env files, Secret data and stringData) is replaced in every
// tool message before it becomes an error; the rest of the message stays useful.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HelmTemplateError, KustomizeBuildError } from '../../shared/render/errors.ts';
import { SecretValues } from '../../shared/render/redact.ts';
import { render } from '../../shared/render/render.ts';
import { writeTree, type Tree } from '../render/tree.ts';
import { runCli } from '../support/cli.ts';
import { startCluster, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';

const MARKER = 'hunter2-db-password-0c9e';

let tree: Tree | undefined;
afterEach(async () => {
  await tree?.remove();
  tree = undefined;
});

async function failure(files: Record<string, string>, options: { kustomize?: Record<string, unknown> } = {}): Promise<Error> {
  tree = await writeTree(files);
  return render({ root: tree.root, path: 'app', destinationNamespace: 'shop', appName: 'web', ...options }).then(
    () => {
      throw new Error('rendered instead of failing');
    },
    (error: unknown) => error as Error,
  );
}

describe("a tool's error quoting secret input", () => {
  it('kustomize quoting a secretGenerator literal: redacted, the rest of the message kept', async () => {
    const error = await failure({ 'app/kustomization.yaml': `secretGenerator:\n  - name: db\n    literals:\n      - ${MARKER}\n` });
    expect(error).toBeInstanceOf(KustomizeBuildError);
    expect(error.message).not.toContain(MARKER);
    expect(error.message).toMatch(/^kustomize build failed for app\/kustomization\.yaml: .*invalid literal source \*\*\*, expected key=value/);
  });

  it('redacted also on the copy that Argo CD-style options are built on', async () => {
    const error = await failure(
      { 'app/kustomization.yaml': `secretGenerator:\n  - name: db\n    literals:\n      - ${MARKER}\n` },
      { kustomize: { namePrefix: 'p-' } },
    );
    expect(error.message).not.toContain(MARKER);
    expect(error.message).toContain('invalid literal source ***');
  });

  it('helm quoting a Secret of the chart: data (and its decoded text) and stringData redacted', async () => {
    const token = Buffer.from(`${MARKER}-token`).toString('base64');
    const error = await failure({
      'app/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 0.1.0\n',
      'app/templates/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: { name: db }\nstringData: { password: ${MARKER} }\ndata: { token: ${token} }\n`,
      // A template that refuses and quotes a file of the chart in its message, as helm lets it.
      'app/templates/check.yaml': `{{ fail (printf "bad secret: %s / %s" (.Files.Get "templates/secret.yaml") ("${MARKER}-token")) }}\n`,
    });
    expect(error).toBeInstanceOf(HelmTemplateError);
    expect(error.message).toContain('bad secret:');
    expect(error.message).not.toContain(MARKER);
    expect(error.message).not.toContain(token);
  });
});

describe('SecretValues', () => {
  it('replaces longer values first, skips values too short to mean anything, and JSON-escaped forms too', () => {
    const secrets = new SecretValues();
    secrets.add('abc-def');
    secrets.add('abc');
    secrets.add('no');
    secrets.add('line\nbreak');
    expect(secrets.redact('abc-def abc no "line\\nbreak"')).toBe('*** *** no "***"');
  });

  it('reads a Secret object and nothing else', () => {
    const secrets = new SecretValues();
    secrets.addFromObject({ kind: 'ConfigMap', data: { a: 'visible-value' } });
    secrets.addFromObject({ kind: 'Secret', data: { a: Buffer.from('decoded-value').toString('base64') }, stringData: { b: 'string-value' } });
    expect(secrets.redact('visible-value decoded-value string-value')).toBe('visible-value *** ***');
  });
});

describe('through `driftless sync`', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(() => cluster?.stop());

  it('the literal never reaches the output, and nothing is applied', async () => {
    const kubeconfig = join(tmpdir(), `redact-${process.pid}.kubeconfig`);
    await writeFile(kubeconfig, cluster.sandbox.kubeconfig());
    const app = await writeApp({
      'kustomization.yaml': `resources: [cm.yaml]\nsecretGenerator:\n  - name: db\n    literals:\n      - ${MARKER}\n`,
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: fine }\n',
    });
    cluster.sandbox.requests.clear();
    const result = await runCli(['sync', app, '--name', 'web', '--namespace', 'default', '--kubeconfig', kubeconfig]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid literal source ***');
    expect(result.stdout + result.stderr).not.toContain(MARKER);
    expect(writesIn(cluster)).toEqual([]);
  });
});
