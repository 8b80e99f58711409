// Where a preview goes on GitHub, against the REST double over a real git repository: the
// pull request's files come from its files API 100 per page following GitHub's Link header
// (a rename names both paths) and its state and head from the pull request API, GitHub's 3000-file cap makes the list unusable (undefined: the
// preview compares the trees instead), the check run "Driftless preview" goes in_progress →
// completed on the head, and with a token, which GitHub refuses check runs to (403), the preview
// is a commit status driftless/preview instead.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../shared/github/client.ts';
import { GitHubPreviewPublisher, previewPublisher, PREVIEW_CHECK_NAME } from '../../shared/github/preview-check.ts';
import { GitHubStatusPoster } from '../../shared/github/status.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startGitHubApi, type GitHubApiDouble } from '../support/github-api.ts';

const TOKEN = 'ghp_preview_token';
const INSTALLATION_TOKEN = 'ghs_previewInstallationToken0123456789';
const REPO_URL = 'https://github.com/acme/shop.git';
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

let github: GitHubApiDouble;
let repo: TestRepo;
let head: string;

beforeAll(async () => {
  github = await startGitHubApi({ token: TOKEN, app: { appId: '11', publicKey, installationId: '22', installationToken: INSTALLATION_TOKEN } });
  repo = await createRepo();
  const files = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`apps/app-${i}/config.yaml`, `n: ${i}\n`]));
  await repo.commit({ ...files, 'apps/old/name.yaml': 'moved: true\n' });
  await repo.git('checkout', '-q', '-b', 'many');
  // 250 files changed, one renamed: three pages of 100.
  const changed = Object.fromEntries(Array.from({ length: 249 }, (_, i) => [`apps/app-${i}/config.yaml`, `n: changed ${i}\n`]));
  // Moved with its content unchanged: git, like GitHub, sees a rename.
  head = await repo.commit({ ...changed, 'apps/old/name.yaml': null, 'apps/new/name.yaml': 'moved: true\n' });
  await repo.git('checkout', '-q', 'main');
  await repo.git('checkout', '-q', '-b', 'huge');
  await repo.commit(Object.fromEntries(Array.from({ length: 3001 }, (_, i) => [`bulk/file-${i}.txt`, `${i}\n`])));
  github.addRepo('acme', 'shop', repo.dir);
  github.addPullRequest('acme', 'shop', { number: 1, base: 'main', head: 'many' });
  github.addPullRequest('acme', 'shop', { number: 2, base: 'main', head: 'huge' });
});
afterAll(async () => {
  await github?.close();
  await repo?.remove();
});

const asApp = () => createGitHubClient({ appId: '11', privateKey, installationId: '22' }, { baseUrl: github.url });
const withToken = () => createGitHubClient({ token: TOKEN }, { baseUrl: github.url });

describe('the files of a pull request', () => {
  it('are read 100 per page, following the Link header, a rename naming both paths', async () => {
    const before = github.requests.length;
    const files = await previewPublisher(withToken()).changedFiles(REPO_URL, 1);
    const expected = [...Array.from({ length: 249 }, (_, i) => `apps/app-${i}/config.yaml`), 'apps/new/name.yaml', 'apps/old/name.yaml'];
    expect(files?.sort()).toEqual(expected.sort());
    const pages = github.requests.slice(before).filter((request) => request.path === '/repos/acme/shop/pulls/1/files');
    expect(pages).toHaveLength(3);
  });

  it('are not relied on at GitHub cap of 3000 files', async () => {
    expect(await previewPublisher(withToken()).changedFiles(REPO_URL, 2)).toBeUndefined();
  });

  it('of a pull request GitHub does not know fail, naming it', async () => {
    await expect(previewPublisher(withToken()).changedFiles(REPO_URL, 99)).rejects.toThrow(/^listing the files of pull request #99 of acme\/shop: HTTP 404/);
  });
});

describe('a pull request now', () => {
  it('is open at the head branch tip, closed once closed, and closed when GitHub does not know it', async () => {
    const publisher = previewPublisher(withToken());
    expect(await publisher.currentState(REPO_URL, 1)).toEqual({ open: true, head });
    github.addPullRequest('acme', 'shop', { number: 3, base: 'main', head: 'many', state: 'closed' });
    expect(await publisher.currentState(REPO_URL, 3)).toEqual({ open: false, head });
    expect(await publisher.currentState(REPO_URL, 99)).toEqual({ open: false, head: '' });
  });
});

describe('the preview check run', () => {
  it('goes in_progress, then completed with its output, on the head commit', async () => {
    const publisher = previewPublisher(asApp());
    const handle = await publisher.start({ repoURL: REPO_URL, pullRequest: 1, sha: head });
    let run = github.checkRuns.find((candidate) => candidate.id === handle.checkRunId)!;
    expect(run).toMatchObject({ name: PREVIEW_CHECK_NAME, head_sha: head, status: 'in_progress', conclusion: null, external_id: 'preview#1' });
    await publisher.complete(handle, 'neutral', { title: '1 of 1 would change', summary: 'the summary', text: '' });
    run = github.checkRuns.find((candidate) => candidate.id === handle.checkRunId)!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'neutral', output: { title: '1 of 1 would change', summary: 'the summary' } });
    // An empty text is left out, not sent as ''.
    expect(run.updates.at(-1)?.output).toEqual({ title: '1 of 1 would change', summary: 'the summary' });
  });

  it('becomes a commit status with a token, which GitHub refuses check runs to', async () => {
    const octokit = withToken();
    const publisher = new GitHubPreviewPublisher(octokit, { statuses: new GitHubStatusPoster(octokit) });
    const handle = await publisher.start({ repoURL: REPO_URL, pullRequest: 1, sha: head });
    expect(handle.checkRunId).toBeUndefined();
    await publisher.complete(handle, 'failure', { title: '1 failed to preview', summary: 'x', text: 'y' });
    expect(github.statuses.filter((status) => status.sha === head).map(({ context, state, description }) => ({ context, state, description }))).toEqual([
      { context: 'driftless/preview', state: 'pending', description: 'preview in progress' },
      { context: 'driftless/preview', state: 'failure', description: '1 failed to preview' },
    ]);
  });

  it('is refused for a repository on another GitHub than the client reads', async () => {
    await expect(previewPublisher(asApp()).start({ repoURL: 'https://github.example.com/acme/shop.git', pullRequest: 1, sha: head })).rejects.toThrow(
      /host github\.example\.com is not the GitHub host/,
    );
  });
});
