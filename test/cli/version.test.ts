// `driftless --version` prints the package's version, as a user's shell shows it.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { runBin } from './run-bin.ts';

it.each([['--version'], ['-v'], ['version']])('driftless %s prints "driftless" and the version of package.json, exit 0', async (flag) => {
  const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const result = await runBin([flag]);
  expect(result).toEqual({ code: 0, stdout: `driftless ${version}\n`, stderr: '' });
});
