import { describe, expect, it } from 'vitest';
import { GitHubSecretError } from '../../shared/github/errors.ts';
import { gitHubAuth, parseGitHubSecret } from '../../shared/github/secret.ts';

const TOKEN = 'ghp_s3cr3tT0kenValue0123456789';
const HOOK = 'hook-secret-value-42';
const KEY = '-----BEGIN RSA PRIVATE KEY-----\\nMIIEvalue\\n-----END RSA PRIVATE KEY-----';

function failure(json: string): GitHubSecretError {
  try {
    parseGitHubSecret(json);
  } catch (error) {
    expect(error).toBeInstanceOf(GitHubSecretError);
    return error as GitHubSecretError;
  }
  throw new Error('expected the secret to be refused');
}

describe('parseGitHubSecret', () => {
  it('accepts a token', () => {
    const secret = parseGitHubSecret(JSON.stringify({ webhookSecret: HOOK, token: TOKEN }));
    expect(gitHubAuth(secret)).toEqual({ token: TOKEN });
  });

  it('accepts a GitHub App with numeric ids and an escaped PEM', () => {
    const secret = parseGitHubSecret(JSON.stringify({ webhookSecret: HOOK, appId: 1234, installationId: '99', privateKey: KEY }));
    expect(gitHubAuth(secret)).toEqual({ appId: '1234', installationId: '99', privateKey: KEY.replace(/\\n/g, '\n') });
  });

  it('names missing app fields', () => {
    expect(failure(JSON.stringify({ webhookSecret: HOOK, appId: '1' })).message).toMatch(/missing: privateKey, installationId/);
  });

  it('refuses a token and an app at once', () => {
    expect(failure(JSON.stringify({ webhookSecret: HOOK, token: TOKEN, appId: '1', privateKey: KEY, installationId: '2' })).message).toMatch(/both/);
  });

  it('needs the webhook secret', () => {
    expect(failure(JSON.stringify({ token: TOKEN })).message).toMatch(/webhookSecret/);
  });

  it('never echoes a value, whatever is wrong', () => {
    const cases = [
      `{"webhookSecret": "${HOOK}", "token": "${TOKEN}"`,
      `{"webhookSecret": "${HOOK}", "token": "${TOKEN}", "tokne": "${TOKEN}"}`,
      JSON.stringify({ webhookSecret: 42, token: TOKEN }),
      JSON.stringify({ webhookSecret: HOOK, token: [TOKEN] }),
      JSON.stringify({ webhookSecret: HOOK, appId: TOKEN }),
      JSON.stringify([TOKEN, HOOK]),
    ];
    for (const json of cases) {
      const error = failure(json);
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error.cause)}`;
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(HOOK);
    }
  });
});
