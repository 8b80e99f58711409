import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidRepoURLError } from '../../shared/github/errors.ts';
import { parseGitHubRepoURL, parseRepoURL } from '../../shared/github/repo-url.ts';

describe('parseRepoURL', () => {
  it.each([
    ['https://github.com/acme/shop', 'github.com'],
    ['https://github.com/acme/shop.git', 'github.com'],
    ['https://github.com/acme/shop/', 'github.com'],
    ['https://user:pw@GitHub.com/acme/shop.git', 'github.com'],
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

  it.each(['', 'https://github.com/acme', 'https://github.com/acme/shop/tree/main', 'ftp://github.com/acme/shop', 'git@github.com:shop'])(
    'refuses %j',
    (url) => {
      expect(() => parseRepoURL(url)).toThrow(InvalidRepoURLError);
    },
  );

  it('says a local path is no GitHub repository when one is needed', () => {
    expect(() => parseGitHubRepoURL('/srv/git/shop')).toThrow(/not a GitHub repository/);
  });
});
