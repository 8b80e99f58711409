// Pull requests of the GitHub REST double: a pull request is a base branch and a head branch
// of a real git repository, and its files are what GitHub lists for it: the diff from the
// merge base to the head (GitHub's three-dot comparison), renames detected, at most 3000
// files ("Responses include a maximum of 3000 files"), each with GitHub's fields.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** GitHub's cap on GET /repos/{owner}/{repo}/pulls/{pull_number}/files. */
export const MAX_LISTED_FILES = 3000;

export interface PullRequestDouble {
  number: number;
  /** Branch names in the repository. */
  base: string;
  head: string;
  /** Set to 'closed' to close it; open by default. */
  state?: 'open' | 'closed';
}

/** GET /repos/{owner}/{repo}/pulls/{pull_number}: the fields Driftless reads, the heads where the branches are now. */
export async function pullRequestJson(dir: string, owner: string, repo: string, pull: PullRequestDouble): Promise<Record<string, unknown> | undefined> {
  const sha = async (branch: string) => (await run('git', ['rev-parse', '--verify', `refs/heads/${branch}^{commit}`], { cwd: dir })).stdout.trim();
  const [base, head] = await Promise.all([sha(pull.base), sha(pull.head)]).catch(() => [undefined, undefined]);
  if (!base || !head) return undefined;
  const repository = { name: repo, full_name: `${owner}/${repo}`, clone_url: `https://github.com/${owner}/${repo}.git` };
  return {
    number: pull.number,
    state: pull.state ?? 'open',
    head: { ref: pull.head, sha: head, repo: repository },
    base: { ref: pull.base, sha: base, repo: repository },
    html_url: `https://github.com/${owner}/${repo}/pull/${pull.number}`,
  };
}

export interface PullRequestFile {
  sha: string;
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions: number;
  deletions: number;
  changes: number;
  blob_url: string;
  raw_url: string;
  contents_url: string;
  previous_filename?: string;
}

// git's name-status letters → GitHub's file statuses.
const STATUS: Record<string, PullRequestFile['status']> = { A: 'added', D: 'removed', M: 'modified', R: 'renamed', C: 'copied', T: 'changed' };

const listed = new Map<string, PullRequestFile[]>();

/** The files of `pull` in the repository at `dir`, as GitHub lists them (before pagination). */
export async function listPullRequestFiles(dir: string, owner: string, repo: string, pull: PullRequestDouble): Promise<PullRequestFile[] | undefined> {
  const git = async (...args: string[]) => (await run('git', args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 })).stdout;
  const [base, head] = await Promise.all([
    git('rev-parse', '--verify', `refs/heads/${pull.base}^{commit}`),
    git('rev-parse', '--verify', `refs/heads/${pull.head}^{commit}`),
  ]).catch(() => [undefined, undefined]);
  if (!base || !head) return undefined;
  const mergeBase = (await git('merge-base', base.trim(), head.trim())).trim();
  const headSha = head.trim();
  // Asked once per page: the list of one pair of commits never changes.
  const key = `${dir}\0${mergeBase}\0${headSha}`;
  const known = listed.get(key);
  if (known) return known;
  // --raw: ":<mode> <mode> <old blob> <new blob> <status>\0<path>\0[<new path>\0]", full shas.
  const raw = (await git('diff', '-z', '-M', '--raw', '--no-abbrev', mergeBase, headSha)).split('\0');
  const counts = (await git('diff', '-z', '-M', '--numstat', mergeBase, headSha)).split('\0');
  const files: PullRequestFile[] = [];
  for (let i = 0, c = 0; i < raw.length - 1;) {
    const [, , , blob, code] = raw[i++].split(' ');
    const renamed = code.startsWith('R') || code.startsWith('C');
    const previous = renamed ? raw[i++] : undefined;
    const filename = raw[i++];
    // numstat -z: "added\tdeleted\tpath\0" or, for a rename, "added\tdeleted\t\0old\0new\0".
    const [added, deleted, path] = counts[c++].split('\t');
    if (path === '') c += 2;
    const additions = Number(added) || 0;
    const deletions = Number(deleted) || 0;
    const status = STATUS[code[0]] ?? 'modified';
    files.push({
      sha: blob,
      filename,
      status,
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `https://github.com/${owner}/${repo}/blob/${headSha}/${filename}`,
      raw_url: `https://github.com/${owner}/${repo}/raw/${headSha}/${filename}`,
      contents_url: `https://api.github.com/repos/${owner}/${repo}/contents/${filename}?ref=${headSha}`,
      ...(previous !== undefined ? { previous_filename: previous } : {}),
    });
    if (files.length === MAX_LISTED_FILES) break;
  }
  listed.set(key, files);
  return files;
}
