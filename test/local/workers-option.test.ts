// `npm start -- --workers N`: a whole number of workers from 1 to 64; anything else is refused
// before anything starts, with a message naming the option and what it got.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { DEFAULT_WORKERS, describeLayout, parseWorkerCount, workerLayout } from '../../local/worker-pool.ts';

const run = promisify(execFile);
const start = new URL('../../local/start.ts', import.meta.url).pathname;

it.each(['0', '-2', 'abc', '1.5', '65', ''])('refuses --workers "%s" with a message, starting nothing', async (workers) => {
  const dir = await mkdtemp(join(tmpdir(), 'driftless-workers-'));
  const failed = await run(
    process.execPath,
    [start, '--port', '0', '--state-dir', join(dir, 'state'), '--example-dir', join(dir, 'example'), `--workers=${workers}`],
    {
      timeout: 30_000,
    },
  ).then(
    () => undefined,
    (error: { code?: number; stderr?: string }) => error,
  );
  expect(failed?.code).toBe(2);
  expect(failed?.stderr).toContain(`--workers must be a whole number from 1 to 64 (concurrent sync workers), got "${workers}"`);
  // Refused before the state folder, the sandbox or the services were set up.
  expect(await readdir(dir)).toEqual([]);
});

it('takes whole numbers from 1 to 64, and 20 when not given', () => {
  expect(parseWorkerCount('1')).toBe(1);
  expect(parseWorkerCount('8')).toBe(8);
  expect(parseWorkerCount('64')).toBe(64);
  expect(parseWorkerCount(undefined)).toBe(DEFAULT_WORKERS);
  expect(DEFAULT_WORKERS).toBe(20);
});

it('lays N jobs at once out as one process per core but the parent’s, the jobs spread evenly', () => {
  expect(workerLayout(10, { cores: 2 })).toEqual([10]);
  expect(workerLayout(10, { cores: 3 })).toEqual([5, 5]);
  expect(workerLayout(5, { cores: 3 })).toEqual([3, 2]);
  expect(workerLayout(1, { cores: 8 })).toEqual([1]);
  expect(workerLayout(10, { cores: 1 })).toEqual([10]);
  // Never more processes than jobs, nor than four however many cores.
  expect(workerLayout(3, { cores: 8 })).toEqual([1, 1, 1]);
  expect(workerLayout(64, { cores: 16 })).toEqual([16, 16, 16, 16]);
  expect(workerLayout(10, { cores: 2, processes: 2 })).toEqual([5, 5]);
});

it('describes a layout as the start line prints it', () => {
  expect(describeLayout([5, 5])).toBe('2 processes × 5 jobs');
  expect(describeLayout([1])).toBe('1 process × 1 job');
  expect(describeLayout([2, 1])).toBe('2 + 1 jobs in 2 processes');
});
