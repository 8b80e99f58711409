import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../shared/github/client.ts';
import { GitHubApiError, InvalidRepoURLError } from '../../shared/github/errors.ts';
import { ConsoleStatusPoster, GitHubStatusPoster, sameStatus, statusContext, truncateDescription, type CommitStatus } from '../../shared/github/status.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startGitHubApi, type GitHubApiDouble } from '../support/github-api.ts';

const TOKEN = 'ghs_statusTokenValue0123456789abcdef';
let github: GitHubApiDouble;
let repo: TestRepo;
let sha: string;

beforeAll(async () => {
  repo = await createRepo();
  sha = await repo.commit({ 'app/deploy.yaml': 'kind: ConfigMap\n' });
  github = await startGitHubApi({ token: TOKEN });
  github.addRepo('acme', 'shop', repo.dir);
});

afterAll(async () => {
  await github.close();
  await repo.remove();
});

function status(overrides: Partial<CommitStatus> = {}): CommitStatus {
  return {
    repoURL: 'git@github.com:acme/shop.git',
    sha,
    state: 'success',
    context: statusContext('web', 'prod-eu'),
    description: 'Synced 12 objects',
    ...overrides,
  };
}

describe('GitHubStatusPoster', () => {
  const poster = () => new GitHubStatusPoster(createGitHubClient({ token: TOKEN }, { baseUrl: github.url }));

  it('posts the status on the commit of the repository named by any URL form', async () => {
    await poster().post(status({ repoURL: 'https://github.com/acme/shop.git', targetUrl: 'https://driftless.example/apps/web' }));
    expect(github.statuses.at(-1)).toEqual({
      owner: 'acme',
      repo: 'shop',
      sha,
      state: 'success',
      context: 'driftless/web@prod-eu',
      description: 'Synced 12 objects',
      target_url: 'https://driftless.example/apps/web',
    });
    expect(github.requests.at(-1)?.headers.authorization).toBe(`token ${TOKEN}`);
  });

  it('cuts a long description to GitHub’s 140 characters with an ellipsis', async () => {
    await poster().post(status({ state: 'failure', description: 'x'.repeat(300) }));
    const posted = github.statuses.at(-1)!.description!;
    expect(posted).toHaveLength(140);
    expect(posted.endsWith('…')).toBe(true);
  });

  it('reports a failed call without the token', async () => {
    github.failNext('/repos/acme/shop/statuses', 500, 'Internal Server Error');
    const error = await poster()
      .post(status())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(500);
    expect((error as Error).message).toMatch(/driftless\/web@prod-eu.*acme\/shop/);
    const everything = `${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)} ${String((error as Error).cause)}`;
    expect(everything).not.toContain(TOKEN);
  });

  it('reports a refused token without the token', async () => {
    const wrong = 'ghs_wrongTokenValue0123456789abcdef';
    const client = createGitHubClient({ token: wrong }, { baseUrl: github.url });
    const error = (await new GitHubStatusPoster(client).post(status()).catch((caught: unknown) => caught)) as GitHubApiError;
    expect(error.status).toBe(401);
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(wrong);
  });

  it('refuses a local repository', async () => {
    await expect(poster().post(status({ repoURL: repo.dir }))).rejects.toThrow(InvalidRepoURLError);
  });
});

describe('ConsoleStatusPoster', () => {
  it('writes one line per status', async () => {
    const lines: string[] = [];
    const poster = new ConsoleStatusPoster({ write: (line: string) => lines.push(line) });
    await poster.post(status({ repoURL: 'https://github.com/acme/shop' }));
    await poster.post(status({ state: 'pending', description: 'Syncing', targetUrl: 'http://localhost:3000/apps/web' }));
    expect(lines).toEqual([
      `status success driftless/web@prod-eu acme/shop@${sha.slice(0, 12)}: Synced 12 objects\n`,
      `status pending driftless/web@prod-eu acme/shop@${sha.slice(0, 12)}: Syncing http://localhost:3000/apps/web\n`,
    ]);
  });
});

describe('sameStatus', () => {
  it('treats two spellings of one repository and the same content as the same status', () => {
    expect(sameStatus(status(), status({ repoURL: 'https://github.com/acme/shop' }))).toBe(true);
    expect(sameStatus(status({ description: 'y'.repeat(200) }), status({ description: `${'y'.repeat(139)}z` }))).toBe(false);
    expect(sameStatus(status({ description: 'y'.repeat(200) }), status({ description: 'y'.repeat(300) }))).toBe(true);
  });

  it.each<Partial<CommitStatus>>([
    { state: 'failure' },
    { context: statusContext('web', 'prod-us') },
    { description: 'Synced 13 objects' },
    { targetUrl: 'https://driftless.example' },
    { sha: 'f'.repeat(40) },
    { repoURL: 'https://github.com/acme/other' },
  ])('sees a change in %o', (change) => {
    expect(sameStatus(status(), status(change))).toBe(false);
  });
});

describe('truncateDescription', () => {
  it('keeps short text and never splits a character', () => {
    expect(truncateDescription('ok')).toBe('ok');
    const cut = truncateDescription('🚀'.repeat(200));
    expect(Array.from(cut)).toHaveLength(140);
    expect(cut).toBe(`${'🚀'.repeat(139)}…`);
  });
});
