// `npm start -- --clusters a,b,c`: 1 to 10 DNS labels, each once, in the order given; a bad list,
// or one given with --kubeconfig or --context, is refused (exit 2, the reason on stderr) before
// anything starts. An existing example repository made for other clusters is refused the same way.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ClustersOptionError, parseClusterNames } from '../../local/clusters.ts';
import { ensureExampleRepo } from '../../local/example.ts';

const run = promisify(execFile);
const start = new URL('../../local/start.ts', import.meta.url).pathname;

async function npmStart(dir: string, args: string[]): Promise<{ code?: number; stderr?: string } | undefined> {
  return run(process.execPath, [start, '--port', '0', '--state-dir', join(dir, 'state'), '--example-dir', join(dir, 'example'), ...args], {
    timeout: 30_000,
  }).then(
    () => undefined,
    (error: { code?: number; stderr?: string }) => error,
  );
}

it('reads the names in the order given (spaces around a name are not part of it), and nothing when the option is absent', () => {
  expect(parseClusterNames('dev,staging,prod')).toEqual(['dev', 'staging', 'prod']);
  expect(parseClusterNames('prod, dev')).toEqual(['prod', 'dev']);
  expect(parseClusterNames('eu-west-1')).toEqual(['eu-west-1']);
  expect(parseClusterNames('a,b,c,d,e,f,g,h,i,j')).toHaveLength(10);
  expect(parseClusterNames(undefined)).toBeUndefined();
});

it.each([
  ['', '--clusters needs 1 to 10 cluster names separated by commas (e.g. dev,staging,prod), got ""'],
  ['dev,,prod', '--clusters "dev,,prod": name 2 is empty'],
  ['Dev', '--clusters "Dev": "Dev" is not a DNS label'],
  ['dev_1', '"dev_1" is not a DNS label'],
  ['-dev', '"-dev" is not a DNS label'],
  ['dev.eu', '"dev.eu" is not a DNS label'],
  [`${'a'.repeat(64)}`, `"${'a'.repeat(64)}" is not a DNS label`],
  ['dev,prod,dev', '--clusters "dev,prod,dev": "dev" appears twice; each name is one cluster'],
  ['a,b,c,d,e,f,g,h,i,j,k', '--clusters takes at most 10 names (each one is a sandbox API server in this process), got 11'],
])('refuses --clusters "%s"', (text, message) => {
  expect(() => parseClusterNames(text)).toThrow(ClustersOptionError);
  expect(() => parseClusterNames(text)).toThrow(message);
});

it('exits 2 on a bad list, naming it, with nothing set up', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'driftless-clusters-'));
  const failed = await npmStart(dir, ['--clusters', 'dev,Staging']);
  expect(failed?.code).toBe(2);
  expect(failed?.stderr).toContain('npm start: --clusters "dev,Staging": "Staging" is not a DNS label');
  expect(await readdir(dir)).toEqual([]);
});

it('exits 2 when --clusters comes with --kubeconfig or --context, saying why', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'driftless-clusters-'));
  const withKubeconfig = await npmStart(dir, ['--clusters', 'dev,prod', '--kubeconfig', join(dir, 'kubeconfig')]);
  expect(withKubeconfig?.code).toBe(2);
  expect(withKubeconfig?.stderr).toContain(
    '--clusters starts sandbox clusters and writes their kubeconfig, --kubeconfig points at clusters that already run: give one or the other',
  );
  const withContext = await npmStart(dir, ['--clusters', 'dev,prod', '--context', 'dev']);
  expect(withContext?.code).toBe(2);
  expect(withContext?.stderr).toContain('--clusters names the kubeconfig contexts itself');
  expect(await readdir(dir)).toEqual([]);
});

it('refuses an existing example made without --clusters when started with them, and the other way round, rewriting neither', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'driftless-clusters-'));
  // What an earlier `npm start` made (it registers cluster `local` on context `sandbox`).
  await ensureExampleRepo(join(dir, 'example'), join(dir, 'earlier-state'), 'sandbox');
  const failed = await npmStart(dir, ['--clusters', 'dev,staging,prod']);
  expect(failed?.code).toBe(2);
  expect(failed?.stderr).toContain(
    `the example repository ${join(dir, 'example')} registers clusters on kubeconfig contexts sandbox, which this run does not start (it starts dev, staging, prod)`,
  );
  expect(failed?.stderr).toContain('start without --clusters as when it was created, or pass --example-dir with a new folder');

  const other = await mkdtemp(join(tmpdir(), 'driftless-clusters-'));
  await ensureExampleRepo(join(other, 'example'), join(other, 'earlier-state'), 'dev', undefined, { clusters: ['dev', 'prod'] });
  const plain = await npmStart(other, []);
  expect(plain?.code).toBe(2);
  expect(plain?.stderr).toContain('registers clusters on kubeconfig contexts dev, prod, which this run does not start (it starts sandbox)');
  expect(plain?.stderr).toContain('start with --clusters dev,prod as when it was created');
  const fewer = await npmStart(other, ['--clusters', 'dev']);
  expect(fewer?.code).toBe(2);
  expect(fewer?.stderr).toContain('registers clusters on kubeconfig contexts prod, which this run does not start (it starts dev)');
  // No run created its state folder (refused before anything started) or touched the example.
  expect(await readdir(dir)).toEqual(['example']);
  expect(await readdir(other)).toEqual(['example']);
  expect((await readdir(join(dir, 'example/driftless'))).sort()).toEqual(['cluster.yaml', 'guestbook.yaml', 'podinfo.yaml', 'redis.yaml']);
  expect((await run('git', ['rev-list', '--count', 'HEAD'], { cwd: join(dir, 'example') })).stdout.trim()).toBe('1');
});
