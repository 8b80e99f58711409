// The local fetcher writes a commit with git checkout-index: the tree must be the one `git
// archive` holds (the reference: what GitHub's tarball of the commit holds too), the bounds and
// the refusal of links out of the folder must hold as they did through tar, and the repository's
// own index and work tree must stay untouched.
import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceTooLargeError, TooManyEntriesError, UnsafeArchiveError } from '../../shared/source/errors.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import { TreeCache } from '../../shared/source/tree-cache.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { readTree } from './tree.ts';

const run = promisify(execFile);
let work: string;
const caches: TreeCache[] = [];
const repos: TestRepo[] = [];

function fetcherWith(options: { maxBytes?: number; maxEntries?: number } = {}): { fetcher: LocalGitFetcher; cache: TreeCache } {
  const cache = new TreeCache();
  caches.push(cache);
  return { fetcher: new LocalGitFetcher({ cache, ...options }), cache };
}

async function repoWith(files: Record<string, string | Buffer>): Promise<TestRepo> {
  const repo = await createRepo();
  repos.push(repo);
  await repo.commit(files);
  return repo;
}

/** Every path under `root` with its kind, mode bits and link target: what a comparison of two trees needs. */
async function describeTree(root: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const path of await readdir(root, { recursive: true })) {
    const info = await lstat(join(root, path));
    if (info.isSymbolicLink()) found[path] = `link → ${await readlink(join(root, path))}`;
    else if (info.isDirectory()) found[path] = 'folder';
    else found[path] = `file ${(info.mode & 0o111) !== 0 ? 'executable' : 'plain'} ${info.size}`;
  }
  return found;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftless-checkout-'));
});

afterAll(async () => {
  await Promise.all(caches.map((cache) => cache.clear()));
  await Promise.all(repos.map((repo) => repo.remove()));
  await rm(work, { recursive: true, force: true });
});

describe('a local commit written by git checkout-index', () => {
  it('is the tree git archive holds: folders, empty files, executables, links inside, submodules, odd names', async () => {
    const repo = await repoWith({
      'apps/web/deploy.yaml': 'replicas: 1\n',
      'apps/web/empty.yaml': '',
      'apps/web/with space & ünïcode.yaml': 'a: 1\n',
      'bin/run.sh': '#!/bin/sh\necho hi\n',
      'deep/a/b/c/d/e/f.yaml': 'f: 1\n',
    });
    await repo.git('update-index', '--chmod=+x', 'bin/run.sh');
    await symlink('../web/deploy.yaml', join(repo.dir, 'apps/link.yaml'));
    await repo.git('add', 'apps/link.yaml');
    // A submodule: git archive holds it as an empty folder.
    await repo.git('update-index', '--add', '--cacheinfo', `160000,${await repo.git('rev-parse', 'HEAD')},vendor/sub`);
    // Committed as staged (repo.commit would stage the work tree again, where neither exists).
    await repo.git('commit', '--quiet', '-m', 'links, modes, a submodule');
    const sha = await repo.git('rev-parse', 'HEAD');

    const reference = join(work, 'reference');
    await mkdir(reference);
    await run('sh', ['-c', `git archive --format=tar ${sha} | tar -x -C '${reference}'`], { cwd: repo.dir });

    const { fetcher } = fetcherWith();
    const fetched = await fetcher.fetch({ repoURL: repo.dir, revision: 'main' });
    expect(fetched.sha).toBe(sha);
    expect(await describeTree(fetched.root)).toEqual(await describeTree(reference));
    expect(await describeTree(fetched.root)).toMatchObject({
      'apps/link.yaml': 'link → ../web/deploy.yaml',
      'bin/run.sh': 'file executable 18',
      'vendor/sub': 'folder',
    });
    expect(await readTree(join(fetched.root, 'apps/web'))).toEqual({ 'deploy.yaml': 'replicas: 1\n', 'empty.yaml': '', 'with space & ünïcode.yaml': 'a: 1\n' });
    await fetched.dispose();
  });

  it("leaves the repository's index and work tree as they were", async () => {
    const repo = await repoWith({ 'a.yaml': 'a: 1\n' });
    await repo.git('rm', '--quiet', '--cached', 'a.yaml');
    const before = await repo.git('status', '--porcelain');
    const { fetcher } = fetcherWith();
    const fetched = await fetcher.fetch({ repoURL: repo.dir, revision: 'main' });
    expect(await readTree(fetched.root)).toEqual({ 'a.yaml': 'a: 1\n' });
    expect(await repo.git('status', '--porcelain')).toBe(before);
    expect(before).toContain('D  a.yaml');
    await fetched.dispose();
  });

  it('reads a bare repository', async () => {
    const repo = await repoWith({ 'apps/web/deploy.yaml': 'replicas: 2\n' });
    const bare = join(work, 'bare.git');
    await run('git', ['clone', '--quiet', '--bare', repo.dir, bare], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
    const { fetcher } = fetcherWith();
    const fetched = await fetcher.fetch({ repoURL: bare, revision: 'main' });
    expect(await readTree(fetched.root)).toEqual({ 'apps/web/deploy.yaml': 'replicas: 2\n' });
    await fetched.dispose();
  });

  it('honours export-ignore and export-subst as git archive does', async () => {
    // git-archive(1): export-ignore paths are left out, $Format:%H$ in an export-subst file becomes the commit.
    const repo = await repoWith({
      '.gitattributes': 'private export-ignore\nversion.txt export-subst\n',
      'private/secret.yaml': 'secret: 1\n',
      'version.txt': 'commit $Format:%H$\n',
      'apps/web/deploy.yaml': 'replicas: 1\n',
    });
    const sha = await repo.git('rev-parse', 'HEAD');
    const { fetcher } = fetcherWith();
    const fetched = await fetcher.fetch({ repoURL: repo.dir, revision: 'main' });
    expect(await readTree(fetched.root)).toEqual({
      '.gitattributes': 'private export-ignore\nversion.txt export-subst\n',
      'version.txt': `commit ${sha}\n`,
      'apps/web/deploy.yaml': 'replicas: 1\n',
    });
    await fetched.dispose();
  });

  it('refuses a symbolic link that climbs out of the folder, and keeps no tree', async () => {
    const repo = await repoWith({ 'apps/web/deploy.yaml': 'replicas: 1\n' });
    await symlink('../../../etc/passwd', join(repo.dir, 'apps/web/passwd'));
    await repo.git('add', 'apps/web/passwd');
    await repo.commit({});
    const { fetcher, cache } = fetcherWith();
    const error = await fetcher.fetch({ repoURL: repo.dir, revision: 'main' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnsafeArchiveError);
    expect((error as Error).message).toMatch(/unsafe entry: linkpath escapes the folder: symbolic link apps\/web\/passwd → \.\.\/\.\.\/\.\.\/etc\/passwd/);
    expect(cache.keys()).toEqual([]);
  });

  it('refuses a symbolic link to an absolute path', async () => {
    const repo = await repoWith({ 'a.yaml': 'a: 1\n' });
    await symlink('/etc/passwd', join(repo.dir, 'passwd'));
    await repo.git('add', 'passwd');
    await repo.commit({});
    const { fetcher } = fetcherWith();
    await expect(fetcher.fetch({ repoURL: repo.dir, revision: 'main' })).rejects.toThrow(UnsafeArchiveError);
  });

  it('counts folders as entries, as the archive holds them, before writing anything', async () => {
    // 3 files in 3 nested folders: 6 entries of the archive.
    const repo = await repoWith({ 'a/1.yaml': '', 'a/b/2.yaml': '', 'a/b/c/3.yaml': '' });
    const atBound = fetcherWith({ maxEntries: 6 });
    const fetched = await atBound.fetcher.fetch({ repoURL: repo.dir, revision: 'main' });
    await fetched.dispose();
    const { fetcher, cache } = fetcherWith({ maxEntries: 5 });
    const error = await fetcher.fetch({ repoURL: repo.dir, revision: 'main' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TooManyEntriesError);
    expect((error as Error).message).toContain('holds more than 5 entries');
    expect(cache.keys()).toEqual([]);
  });

  it('bounds the content by the sum of its files', async () => {
    const repo = await repoWith({ 'a.bin': Buffer.alloc(40 * 1024, 1), 'b.bin': Buffer.alloc(40 * 1024, 2) });
    const { fetcher } = fetcherWith({ maxBytes: 64 * 1024 });
    await expect(fetcher.fetch({ repoURL: repo.dir, revision: 'main' })).rejects.toThrow(
      new SourceTooLargeError(`unpacked content of ${repo.dir}@${await repo.git('rev-parse', 'HEAD')}`, 64 * 1024),
    );
  });
});
