// git as the local fetcher runs it on a repository of this machine: the environment of
// shared/tools/child-env.ts (no inherited credentials, no system or user config, no hooks,
// no transports) plus every filter driver the repository's own config defines emptied out.
// `git archive` runs smudge filters (`filter.<name>.smudge` or `.process` in .git/config,
// picked by the committed .gitattributes), so a repository could otherwise make the worker
// run a program of its choosing just by being archived.
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gitEnv } from '../tools/child-env.ts';

const run = promisify(execFile);

// One empty HOME for every git of the process: git never writes there with this config.
let home: Promise<string> | undefined;
function gitHome(): Promise<string> {
  home ??= mkdtemp(join(tmpdir(), 'driftless-git-home-'));
  return home;
}

/** The environment for git on `repoDir`: hermetic, with the repository's filter drivers emptied. */
export async function repositoryGitEnv(repoDir: string): Promise<Record<string, string>> {
  const base = gitEnv(await gitHome());
  const drivers = await filterDrivers(repoDir, base);
  // An empty smudge/clean/process is no filter at all; `required=false` lets git go on without it.
  const overrides = drivers.flatMap((name) =>
    (['smudge', 'clean', 'process', 'required'] as const).map((key) => [`filter.${name}.${key}`, key === 'required' ? 'false' : ''] as const),
  );
  return gitEnv(await gitHome(), overrides);
}

/** Runs git in `repoDir` and returns its stdout; execFile's error (with `code`, `stderr`) on failure. */
export async function git(repoDir: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd: repoDir, env: await repositoryGitEnv(repoDir), maxBuffer: 1024 * 1024 });
  return stdout;
}

/** Starts git in `repoDir` with its stdout as a stream (for `git archive`). */
export async function spawnGit(repoDir: string, args: string[]): Promise<ChildProcessByStdio<null, Readable, Readable>> {
  return spawn('git', args, { cwd: repoDir, env: await repositoryGitEnv(repoDir), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Names of the filter drivers the repository's config (and what it includes) defines. */
async function filterDrivers(repoDir: string, env: Record<string, string>): Promise<string[]> {
  try {
    const { stdout } = await run('git', ['config', '--null', '--name-only', '--get-regexp', '^filter\\.'], { cwd: repoDir, env });
    const names = stdout
      .split('\0')
      .filter(Boolean)
      .map((key) => key.slice('filter.'.length, key.lastIndexOf('.')));
    return [...new Set(names)];
  } catch (error) {
    // Exit 1: no such key. Anything else (an unreadable config) fails closed.
    if ((error as { code?: unknown }).code === 1) return [];
    throw error;
  }
}
