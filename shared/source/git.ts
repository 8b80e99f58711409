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
import type { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { gitEnv } from '../tools/child-env.ts';

const run = promisify(execFile);

// One empty HOME for every git of the process: git never writes there with this config.
let home: Promise<string> | undefined;
function gitHome(): Promise<string> {
  home ??= mkdtemp(join(tmpdir(), 'driftless-git-home-'));
  return home;
}

/** Settings and variables a caller adds to the hermetic environment (a temporary index, a work tree). */
export interface GitExtras {
  settings?: ReadonlyArray<readonly [string, string]>;
  env?: Record<string, string>;
}

/** The environment for git on `repoDir`: hermetic, with the repository's filter drivers emptied. */
export async function repositoryGitEnv(repoDir: string, extras: GitExtras = {}): Promise<Record<string, string>> {
  const base = gitEnv(await gitHome());
  const drivers = await filterDrivers(repoDir, base);
  // An empty smudge/clean/process is no filter at all; `required=false` lets git go on without it.
  const overrides = drivers.flatMap((name) =>
    (['smudge', 'clean', 'process', 'required'] as const).map((key) => [`filter.${name}.${key}`, key === 'required' ? 'false' : ''] as const),
  );
  return { ...gitEnv(await gitHome(), [...overrides, ...(extras.settings ?? [])]), ...extras.env };
}

/** Runs git in `repoDir` and returns its stdout; execFile's error (with `code`, `stderr`) on failure. */
export async function git(repoDir: string, args: string[], extras?: GitExtras): Promise<string> {
  const { stdout } = await run('git', args, { cwd: repoDir, env: await repositoryGitEnv(repoDir, extras), maxBuffer: 1024 * 1024 });
  return stdout;
}

/** Starts git in `repoDir` with its stdout as a stream (for `git archive`). */
export async function spawnGit(repoDir: string, args: string[], extras?: GitExtras): Promise<ChildProcessByStdio<null, Readable, Readable>> {
  return spawn('git', args, { cwd: repoDir, env: await repositoryGitEnv(repoDir, extras), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Starts git in `repoDir` with `input` on its stdin and its stdout as a stream (`--stdin`, `--batch`). */
export async function spawnGitWithInput(
  repoDir: string,
  args: string[],
  input: string,
  extras?: GitExtras,
): Promise<ChildProcessByStdio<Writable, Readable, Readable>> {
  const child = spawn('git', args, { cwd: repoDir, env: await repositoryGitEnv(repoDir, extras), stdio: ['pipe', 'pipe', 'pipe'] });
  // git may exit before reading everything (a bad argument): its exit code tells, not EPIPE.
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  return child;
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
