// Issue 12, items 11 and 14: an archive of countless empty files unpacked without bound; a
// repoURL naming a folder of the worker read its disk; and git, run on a repository, ran
// the repository's own filter programs with the worker's environment. Each attack below is
// performed against the real fetchers and real git.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { Header } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDependencies as driftScanDependencies } from '../../functions/drift-scan/handler.ts';
import { buildDependencies } from '../../functions/sync-worker/handler.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { createGitHubClient } from '../../shared/github/client.ts';
import { sourceFetcher } from '../../shared/runtime/environment.ts';
import { LocalRepoNotAllowedError, TooManyEntriesError } from '../../shared/source/errors.ts';
import { extractTar } from '../../shared/source/extract.ts';
import { DEFAULT_MAX_ENTRIES } from '../../shared/source/fetcher.ts';
import { GitHubTarballFetcher } from '../../shared/source/github-tarball.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import { TreeCache } from '../../shared/source/tree-cache.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startGitHubApi, type GitHubApiDouble } from '../support/github-api.ts';

const run = promisify(execFile);
const TOKEN = 'ghp_entriesToken0123456789abcdefghij';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sources-attack-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

function emptyFiles(count: number): Buffer {
  const headers = Array.from({ length: count }, (_, index) => {
    const header = Buffer.alloc(512);
    new Header({ path: `top/f${index}`, mode: 0o644, size: 0, type: 'File', mtime: new Date(0) }).encode(header, 0);
    return header;
  });
  return Buffer.concat([...headers, Buffer.alloc(1024)]);
}

describe('an archive of many empty files (item 11)', () => {
  it('is refused once it passes the entry bound, though it weighs almost nothing', async () => {
    const dir = await mkdtemp(join(work, 'tree-'));
    const archive = emptyFiles(2_001);
    const unpacking = extractTar(Readable.from([archive]), dir, { strip: 1, maxBytes: 1 << 30, maxEntries: 2_000, what: 'acme/shop@abc' });
    await expect(unpacking).rejects.toThrow(TooManyEntriesError);
    await expect(unpacking).rejects.toThrow(
      'archive of acme/shop@abc holds more than 2000 entries (files, folders and links); keep the repository below that, or split it',
    );
    await expect(unpacking).rejects.toSatisfy(isBadInput);
    expect((await readdir(dir)).length).toBeLessThanOrEqual(2_001);
  });

  it('bounds entries by default, at 100,000, and takes an archive within it', async () => {
    expect(DEFAULT_MAX_ENTRIES).toBe(100_000);
    const dir = await mkdtemp(join(work, 'tree-'));
    await extractTar(Readable.from([emptyFiles(3_000)]), dir, { strip: 1, maxBytes: 1 << 30, what: 'acme/shop@abc' });
    expect((await readdir(dir)).length).toBe(3_000);
  });

  describe('through the fetchers, from a real repository', () => {
    let repo: TestRepo;
    let github: GitHubApiDouble;
    beforeAll(async () => {
      repo = await createRepo();
      await repo.commit(Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`empty/${index}`, ''])));
      github = await startGitHubApi({ token: TOKEN });
      github.addRepo('acme', 'shop', repo.dir);
    });
    afterAll(async () => {
      await github?.close();
      await repo?.remove();
    });

    it('GitHub tarball: refused, and no tree is kept', async () => {
      const cache = new TreeCache();
      const fetcher = new GitHubTarballFetcher(createGitHubClient({ token: TOKEN }, { baseUrl: github.url }), { cache, maxEntries: 200 });
      const error = await fetcher.fetch({ repoURL: 'https://github.com/acme/shop', revision: 'main' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TooManyEntriesError);
      expect(cache.keys()).toEqual([]);
    });

    it('local git archive: refused, and no tree is kept', async () => {
      const cache = new TreeCache();
      const fetcher = new LocalGitFetcher({ cache, maxEntries: 200 });
      await expect(fetcher.fetch({ repoURL: repo.dir, revision: 'main' })).rejects.toThrow(/holds more than 200 entries/);
      expect(cache.keys()).toEqual([]);
    });
  });
});

describe('a local-path repoURL (item 14)', () => {
  let repo: TestRepo;
  beforeAll(async () => {
    repo = await createRepo();
    await repo.commit({ 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web }\n' });
  });
  afterAll(() => repo?.remove());

  it('is bad input for the worker as AWS builds it, in every spelling', async () => {
    const deps = await buildDependencies({
      GITHUB_SECRET: JSON.stringify({}),
      STATE_TABLE: 't',
      SYNC_QUEUE_URL: 'http://127.0.0.1:9/q',
      RENDER_BUCKET: 'b',
      EVENTS_FILE: join(work, 'events'),
    });
    for (const repoURL of [repo.dir, `file://${repo.dir}`, '/var/task', '~/secrets', './relative']) {
      const fetching = deps.sources.fetch({ repoURL, revision: 'main' });
      await expect(fetching).rejects.toThrow(LocalRepoNotAllowedError);
      await expect(fetching).rejects.toThrow(/is a path on the worker's disk; only local mode reads local repositories/);
      await expect(fetching).rejects.toSatisfy(isBadInput);
    }
  });

  it('is not even rev-parsed by the drift scan as AWS builds it, and is where local mode allows it', async () => {
    const env = { GITHUB_SECRET: JSON.stringify({}), STATE_TABLE: 't', SYNC_QUEUE_URL: 'http://127.0.0.1:9/q' };
    const inAws = await driftScanDependencies(env);
    await expect(inAws.heads.head(repo.dir, 'main')).rejects.toThrow(LocalRepoNotAllowedError);
    const local = await driftScanDependencies({ ...env, LOCAL_REPOSITORIES: 'allow' });
    expect(await local.heads.head(repo.dir, 'main')).toBe(await repo.git('rev-parse', 'main'));
  });

  it('is read where local mode allows it', async () => {
    const fetcher = sourceFetcher(undefined, { LOCAL_REPOSITORIES: 'allow' });
    const source = await fetcher.fetch({ repoURL: repo.dir, revision: 'main' });
    expect(await readFile(join(source.root, 'apps/web/cm.yaml'), 'utf8')).toContain('name: web');
    await source.dispose();
  });

  it('is refused when local mode is not named exactly', async () => {
    await expect(sourceFetcher(undefined, { LOCAL_REPOSITORIES: 'true' }).fetch({ repoURL: repo.dir, revision: 'main' })).rejects.toThrow(
      LocalRepoNotAllowedError,
    );
  });
});

describe('git on a local repository (item 14)', () => {
  let repo: TestRepo;
  const ran = () => join(work, 'filter-ran');
  beforeAll(async () => {
    repo = await createRepo();
    // The committed attributes pick a filter; the repository's own config defines it as a program.
    await repo.commit({ '.gitattributes': '*.yaml filter=evil\n', 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web }\n' });
    const program = join(work, 'evil-filter.sh');
    await writeFile(program, `#!/bin/sh\nenv > ${ran()}\ncat > /dev/null\necho "kind: Stolen"\n`, { mode: 0o755 });
    await repo.git('config', 'filter.evil.smudge', program);
    await repo.git('config', 'filter.evil.required', 'true');
    await repo.git('config', 'core.fsmonitor', program);
  });
  afterAll(() => repo?.remove());

  it("runs none of the repository's filter programs and unpacks the committed bytes", async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'worker-role-secret-1b2c';
    try {
      const source = await new LocalGitFetcher({ cache: new TreeCache({ maxIdle: 0 }) }).fetch({ repoURL: repo.dir, revision: 'main' });
      expect(await readFile(join(source.root, 'cm.yaml'), 'utf8')).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web }\n');
      await source.dispose();
      await expect(stat(ran())).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });

  it('(the same repository does run the filter under a plain git, so the test can fail)', async () => {
    await run('git', ['archive', '--format=tar', '-o', join(work, 'plain.tar'), 'HEAD'], {
      cwd: repo.dir,
      env: { ...process.env, AWS_SECRET_ACCESS_KEY: 'worker-role-secret-1b2c' },
    });
    expect(await readFile(ran(), 'utf8')).toContain('worker-role-secret-1b2c');
    await rm(ran());
  });

  it('reads no revision as an option', async () => {
    const fetcher = new LocalGitFetcher({ cache: new TreeCache({ maxIdle: 0 }) });
    await expect(fetcher.fetch({ repoURL: repo.dir, revision: `--output=${join(work, 'written')}` })).rejects.toThrow(/a revision cannot start with "-"/);
    await expect(stat(join(work, 'written'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
