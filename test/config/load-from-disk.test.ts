import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryReadError } from '../../shared/config/errors.ts';
import { loadRegistry } from '../../shared/config/load.ts';
import { CLUSTERS } from './registry-files.ts';

const app = (name: string) => `apiVersion: driftless.io/v1alpha1
kind: Application
metadata: {name: ${name}}
spec:
  source: {repoURL: 'https://github.com/acme/deploy', path: ${name}}
  destination: {name: dev, namespace: ${name}}
`;

describe('loadRegistry', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'driftless-config-'));
    await mkdir(join(root, 'driftless/apps/team'), { recursive: true });
    await writeFile(join(root, 'driftless/clusters.yml'), CLUSTERS);
    await writeFile(join(root, 'driftless/apps/team/b.yaml'), app('b'));
    await writeFile(join(root, 'driftless/apps/a.YAML'), `${app('a')}---\n# only a comment\n`);
    await writeFile(join(root, 'driftless/apps/README.md'), 'not read');
    await writeFile(join(root, 'driftless/apps/notes.txt'), 'kind: nonsense');
    await writeFile(join(root, 'outside.yaml'), app('outside'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads YAML and JSON files under the folder, recursively and in path order', async () => {
    const registry = await loadRegistry(root);
    expect(registry.apps.map((spec) => [spec.name, spec.definedIn.file])).toEqual([
      ['a', 'driftless/apps/a.YAML'],
      ['b', 'driftless/apps/team/b.yaml'],
    ]);
    expect(registry.clusters).toHaveLength(3);
  });

  it('says which folder is missing', async () => {
    await expect(loadRegistry(root, 'nope')).rejects.toThrow(RegistryReadError);
  });
});
