// The commit a revision names in a repository on this machine: one `git rev-parse`.

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
