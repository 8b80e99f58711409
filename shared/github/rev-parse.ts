// What `git rev-parse` says about a repository on this machine: the commit a revision names,
// and the top of the work tree a folder is in.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The sha `revision` names in the repository at `dir`, or undefined when it names no commit.
 * When git cannot read the repository at all, execFile's error is thrown: gitFailure says why.
 */
export async function revParseCommit(dir: string, revision: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], { cwd: dir });
    return stdout.trim();
  } catch (error) {
    // --quiet makes an unknown revision exit 1 with nothing on stderr; anything else is the repo.
    const failure = error as { code?: unknown; stderr?: string };
    if (failure.code === 1 && !failure.stderr?.trim()) return undefined;
    throw error;
  }
}

/** What git said when it failed, or the error's message when it said nothing. */
export function gitFailure(error: unknown): string {
  return (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
}

/**
 * The top of the git work tree holding `dir` (real path, as git prints it), or undefined when
 * `dir` is in no work tree (or git is not installed): the caller then takes `dir` itself.
 */
export async function workTreeRoot(dir: string): Promise<string | undefined> {
  try {
    // core.fsmonitor off: a checked-out repository's config must not start a program here.
    const { stdout } = await run('git', ['-c', 'core.fsmonitor=false', 'rev-parse', '--show-toplevel'], { cwd: dir });
    return stdout.trim() || undefined;
  } catch {
    // Outside a work tree git exits 128 ("not a git repository"); inside .git it has no top.
    return undefined;
  }
}
