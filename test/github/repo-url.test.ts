import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidRepoURLError } from '../../shared/github/errors.ts';
import { parseGitHubRepoURL, parseRepoURL, repoKey, sameRepo } from '../../shared/github/repo-url.ts';

describe('parseRepoURL', () => {
  it.each([
    ['https://github.com/acme/shop', 'github.com'],
    ['https://github.com/acme/shop.git', 'github.com'],
    ['https://github.com/acme/shop/', 'github.com'],
    ['https://GitHub.com/acme/shop.git', 'github.com'],
    ['git@github.com:acme/shop.git', 'github.com'],
    ['git@github.com:acme/shop', 'github.com'],
    ['ssh://git@github.com/acme/shop', 'github.com'],
    ['ssh://git@github.com:22/acme/shop.git', 'github.com'],
    ['https://ghe.example.com/acme/shop.git', 'ghe.example.com'],
  ])('reads %s as a remote repository', (url, host) => {
    expect(parseRepoURL(url)).toEqual({ host, owner: 'acme', repo: 'shop' });
  });

  it.each([
    ['file:///srv/git/shop', '/srv/git/shop'],
    ['/srv/git/shop', '/srv/git/shop'],
    ['./shop', resolve('shop')],
    ['../git/shop', resolve('../git/shop')],
    ['~/git/shop', resolve(homedir(), 'git/shop')],
  ])('reads %s as a local repository', (url, local) => {
    expect(parseRepoURL(url)).toEqual({ local });
  });

  it.each([
    '',
    'https://github.com/acme',
    'https://github.com/acme/shop/tree/main',
    'ftp://github.com/acme/shop',
    'git@github.com:shop',
    'https://user:pw@GitHub.com/acme/shop.git',
  ])('refuses %j', (url) => {
    expect(() => parseRepoURL(url)).toThrow(InvalidRepoURLError);
  });

  it('says a local path is no GitHub repository when one is needed', () => {
    expect(() => parseGitHubRepoURL('/srv/git/shop')).toThrow(/not a GitHub repository/);
  });

  it('keeps the host: a repository elsewhere is not the same-named one on GitHub', () => {
    expect(parseGitHubRepoURL('https://github.com/acme/shop')).toEqual({ host: 'github.com', owner: 'acme', repo: 'shop' });
    expect(() => parseGitHubRepoURL('https://gitlab.com/acme/shop')).toThrow(/host gitlab\.com is not the GitHub host this installation reads \(github\.com\)/);
    expect(() => parseGitHubRepoURL('git@bitbucket.org:acme/shop.git')).toThrow(InvalidRepoURLError);
    expect(parseGitHubRepoURL('https://ghe.example.com/acme/shop', 'ghe.example.com')).toEqual({ host: 'ghe.example.com', owner: 'acme', repo: 'shop' });
    expect(() => parseGitHubRepoURL('https://github.com/acme/shop', 'ghe.example.com')).toThrow(/host github\.com is not the GitHub host/);
  });
});

describe('canonical spellings only', () => {
  // Each names team-b's repository (or nothing GitHub would serve) once a URL parser resolves it.
  it.each([
    ['https://github.com/team-a/../team-b/x', /"\." or "\.\." path segment/],
    ['https://github.com/team-a/x/../../team-b/y', /"\." or "\.\." path segment/],
    ['https://github.com/./team-b/x', /"\." or "\.\." path segment/],
    ['git@github.com:team-a/../team-b/x.git', /"\." or "\.\." path segment/],
    ['ssh://git@github.com/team-a/../team-b/x', /"\." or "\.\." path segment/],
    ['https://github.com/team-a/%2e%2e/team-b/x', /percent-encoded/],
    ['https://github.com/team-a/.%2E/team-b/x', /percent-encoded/],
    ['https://github.com/team-a%2F..%2Fteam-b/x', /percent-encoded/],
    ['https://github.com/team-a%2fx', /percent-encoded/],
    ['https://github.com/team-a/x%5C..%5C..%5Cteam-b', /percent-encoded/],
    ['https://github.com/team-a\\..\\team-b/x', /backslash/],
    ['https://github.com/team-a/.\t./team-b/x', /backslash, whitespace or a control character/],
    ['https://github.com/team-a/.\n./team-b/x', /backslash, whitespace or a control character/],
    ['https://github.com/team-a/x?/../../team-b/y', /query or fragment/],
    ['https://github.com/team-a/x#/../../team-b/y', /query or fragment/],
    ['https://token@github.com/team-b/x', /credentials/],
    ['https://x-access-token:ghp_abc@github.com/team-b/x', /credentials/],
    ['ssh://git:pw@github.com/team-b/x', /credentials/],
    ['git:pw@github.com:team-b/x.git', /password/],
    ['https://github.com//team-b/x', /expected <host>\/<owner>\/<repo>/],
    ['file:///srv/git/team-a/../team-b', /"\." or "\.\." path segment/],
    ['file:///srv/git/team-a/%2e%2e/team-b', /"\." or "\.\." path segment/],
    ['file:///srv/git/team-a%2F..%2Fteam-b', /encoded path separator/],
  ])('refuses %j', (url, reason) => {
    expect(() => parseRepoURL(url)).toThrow(InvalidRepoURLError);
    expect(() => parseRepoURL(url)).toThrow(reason);
  });

  it('keeps the login user of ssh URLs and the scp-like form', () => {
    expect(parseRepoURL('ssh://git@github.com/acme/shop.git')).toEqual({ host: 'github.com', owner: 'acme', repo: 'shop' });
    expect(parseRepoURL('git@github.com:acme/shop.git')).toEqual({ host: 'github.com', owner: 'acme', repo: 'shop' });
  });

  it('masks the credentials it refuses: the message reaches logs and the registry status', () => {
    for (const url of [
      'https://x-access-token:ghp_abc123@github.com/acme/shop',
      'https://ghp_abc123@github.com/acme/shop',
      'deploy:ghp_abc123@github.com:acme/shop.git',
    ]) {
      const error = (() => {
        try {
          parseRepoURL(url);
        } catch (caught) {
          return caught as InvalidRepoURLError;
        }
        throw new Error(`${url} was accepted`);
      })();
      expect(error.message).not.toContain('ghp_abc123');
      expect(error.repoURL).not.toContain('ghp_abc123');
      expect(error.message).toMatch(/\*\*\*@github\.com/);
    }
  });
});

describe('repoKey', () => {
  it('is one key per repository however its URL is written', () => {
    const key = repoKey('https://github.com/acme/shop');
    for (const url of ['https://github.com/Acme/Shop.git', 'git@github.com:acme/shop.git', 'ssh://git@github.com/acme/shop', 'https://github.com/acme/shop/']) {
      expect(repoKey(url)).toBe(key);
    }
    expect(sameRepo('https://github.com/acme/shop', 'https://ghe.example.com/acme/shop')).toBe(false);
  });

  it('gives a URL that is not canonical a key of its own, equal to no repository', () => {
    expect(sameRepo('https://github.com/team-a/../team-b/x', 'https://github.com/team-b/x')).toBe(false);
    expect(sameRepo('https://github.com/team-a/%2e%2e/team-b/x', 'https://github.com/team-b/x')).toBe(false);
  });
});
