import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../shared/github/client.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startGitHubApi, type GitHubApiDouble } from '../support/github-api.ts';

// GitHub hands out app keys as PKCS#1 PEM ("BEGIN RSA PRIVATE KEY"): test with that form.
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const INSTALLATION_TOKEN = 'ghs_installationToken0123456789abcdef';

let github: GitHubApiDouble;
let repo: TestRepo;

beforeAll(async () => {
  repo = await createRepo({ branch: 'trunk' });
  await repo.commit({ 'README.md': 'hi\n' });
  github = await startGitHubApi({ token: 'ghp_plain', app: { appId: '4242', publicKey, installationId: '77', installationToken: INSTALLATION_TOKEN } });
  github.addRepo('acme', 'shop', repo.dir, { defaultBranch: 'trunk' });
});

afterAll(async () => {
  await github.close();
  await repo.remove();
});

describe('createGitHubClient', () => {
  it('sends a token as given', async () => {
    const octokit = createGitHubClient({ token: 'ghp_plain' }, { baseUrl: `${github.url}/` });
    const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'shop' });
    expect(data.default_branch).toBe('trunk');
    expect(github.requests.at(-1)?.headers.authorization).toBe('token ghp_plain');
  });

  it('authenticates as an app installation: a signed JWT for a token, then the token', async () => {
    const octokit = createGitHubClient({ appId: '4242', privateKey, installationId: '77' }, { baseUrl: github.url });
    const before = github.requests.length;
    await octokit.rest.repos.get({ owner: 'acme', repo: 'shop' });
    await octokit.rest.repos.get({ owner: 'acme', repo: 'shop' });
    const calls = github.requests.slice(before).map((request) => `${request.method} ${request.path}`);
    // The installation token is cached by octokit: one exchange for both calls.
    expect(calls).toEqual(['POST /app/installations/77/access_tokens', 'GET /repos/acme/shop', 'GET /repos/acme/shop']);
    expect(github.requests.at(-1)?.headers.authorization).toBe(`token ${INSTALLATION_TOKEN}`);
  });

  it('fails to authenticate with the wrong key, and says nothing of the key', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const octokit = createGitHubClient({ appId: '4242', privateKey: other.privateKey, installationId: '77' }, { baseUrl: github.url });
    const error = (await octokit.rest.repos.get({ owner: 'acme', repo: 'shop' }).catch((caught: unknown) => caught)) as Error & { status: number };
    expect(error.status).toBe(401);
    const keyBody = other.privateKey.split('\n')[1];
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(keyBody);
  });
});
