// A GitHub push payload for a commit of a local repository, so local mode drives the same
// webhook code path a real push does.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NO_COMMIT = '0000000000000000000000000000000000000000';

export interface LocalPush {
  branch: string;
  before: string;
  after: string;
  payload: Record<string, unknown>;
}

/** The push of HEAD (one commit, or `created` with every file when `initial`). */
export async function localPush(repo: string, options: { initial?: boolean } = {}): Promise<LocalPush> {
  const git = async (...args: string[]) => (await run('git', args, { cwd: repo })).stdout.trim();
  const after = await git('rev-parse', 'HEAD');
  const branch = await git('symbolic-ref', '--short', 'HEAD');
  const parent = options.initial ? undefined : await git('rev-parse', '--verify', '--quiet', 'HEAD~1').catch(() => undefined);
  const added: string[] = [];
  const modified: string[] = [];
  const removed: string[] = [];
  if (parent) {
    for (const line of (await git('diff', '--name-status', '--no-renames', parent, after)).split('\n').filter(Boolean)) {
      const [status, file] = line.split('\t');
      (status === 'A' ? added : status === 'D' ? removed : modified).push(file);
    }
  }
  const commit = {
    id: after,
    tree_id: after,
    distinct: true,
    message: await git('log', '-1', '--format=%s'),
    timestamp: new Date().toISOString(),
    added,
    removed,
    modified,
    author: { name: 'local', email: 'local@driftless.invalid' },
    committer: { name: 'local', email: 'local@driftless.invalid' },
  };
  return {
    branch,
    before: parent ?? NO_COMMIT,
    after,
    payload: {
      ref: `refs/heads/${branch}`,
      before: parent ?? NO_COMMIT,
      after,
      // Without a parent (first start, or a fresh sandbox) the change list is unknown: "created".
      created: !parent,
      deleted: false,
      forced: false,
      commits: parent ? [commit] : [],
      head_commit: commit,
      repository: { name: repo.split('/').pop(), full_name: `local/${repo.split('/').pop()}`, clone_url: repo, html_url: repo, default_branch: branch },
      pusher: { name: 'local' },
    },
  };
}
