// Real git repositories in temporary folders, for tests that fetch sources and resolve
// branches. Each commit returns its sha; nothing is mocked.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Independent of whoever runs the tests: no global config, a fixed identity.
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Driftless Test',
  GIT_AUTHOR_EMAIL: 'test@driftless.invalid',
  GIT_COMMITTER_NAME: 'Driftless Test',
  GIT_COMMITTER_EMAIL: 'test@driftless.invalid',
};

export interface TestRepo {
  dir: string;
  /** Writes files (null deletes one), stages everything and commits; returns the new sha. */
  commit(files: Record<string, string | Buffer | null>, message?: string): Promise<string>;
  git(...args: string[]): Promise<string>;
  remove(): Promise<void>;
}

export async function createRepo(options: { branch?: string } = {}): Promise<TestRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'driftless-repo-'));
  const git = async (...args: string[]): Promise<string> => (await run('git', args, { cwd: dir, env: GIT_ENV })).stdout.trim();
  await git('init', '--quiet', `--initial-branch=${options.branch ?? 'main'}`);
  let count = 0;
  return {
    dir,
    git,
    async commit(files, message) {
      for (const [path, content] of Object.entries(files)) {
        const target = join(dir, path);
        if (content === null) {
          await rm(target, { force: true });
        } else {
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, content);
        }
      }
      await git('add', '--all');
      await git('commit', '--quiet', '--allow-empty', '-m', message ?? `commit ${++count}`);
      return git('rev-parse', 'HEAD');
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
