import { describe, expect, it } from 'vitest';
import { GitHubSecretError } from '../../shared/github/errors.ts';
import { gitHubAuth, parseGitHubSecret, parseWebhookSecret } from '../../shared/github/secret.ts';

const TOKEN = 'ghp_s3cr3tT0kenValue0123456789';
const HOOK = 'hook-secret-value-42';
const KEY = '-----BEGIN RSA PRIVATE KEY-----\\nMIIEvalue\\n-----END RSA PRIVATE KEY-----';

function failure(parse: (json: string) => unknown, json: string): GitHubSecretError {
  try {
    parse(json);
  } catch (error) {
    expect(error).toBeInstanceOf(GitHubSecretError);
    return error as GitHubSecretError;
  }
  throw new Error('expected the secret to be refused');
}

describe('parseGitHubSecret (the credentials)', () => {
  it('accepts a token', () => {
    const secret = parseGitHubSecret(JSON.stringify({ token: TOKEN }));
    expect(gitHubAuth(secret)).toEqual({ token: TOKEN });
  });

  it('accepts a GitHub App with numeric ids and an escaped PEM', () => {
    const secret = parseGitHubSecret(JSON.stringify({ appId: 1234, installationId: '99', privateKey: KEY }));
    expect(gitHubAuth(secret)).toEqual({ appId: '1234', installationId: '99', privateKey: KEY.replace(/\\n/g, '\n') });
  });

  it('accepts no credentials at all (local mode with local repositories only)', () => {
    expect(parseGitHubSecret('{}')).toEqual({});
  });

  it('names missing app fields', () => {
    expect(failure(parseGitHubSecret, JSON.stringify({ appId: '1' })).message).toMatch(/missing: privateKey, installationId/);
  });

  it('refuses a token and an app at once', () => {
    expect(failure(parseGitHubSecret, JSON.stringify({ token: TOKEN, appId: '1', privateKey: KEY, installationId: '2' })).message).toMatch(/both/);
  });

  it('refuses the webhook secret beside the credentials, saying where it goes now', () => {
    const error = failure(parseGitHubSecret, JSON.stringify({ webhookSecret: HOOK, token: TOKEN }));
    expect(error.message).toMatch(/belongs in the webhook secret \(driftless\/webhook\)/);
    expect(`${error.message} ${error.stack}`).not.toContain(HOOK);
  });

  it('never echoes a value, whatever is wrong', () => {
    const cases = [
      `{"token": "${TOKEN}"`,
      `{"token": "${TOKEN}", "tokne": "${TOKEN}"}`,
      JSON.stringify({ token: [TOKEN] }),
      JSON.stringify({ appId: TOKEN }),
      JSON.stringify([TOKEN, HOOK]),
    ];
    for (const json of cases) {
      const error = failure(parseGitHubSecret, json);
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error.cause)}`;
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(HOOK);
    }
  });
});

describe('parseWebhookSecret', () => {
  it('gives the HMAC key', () => {
    expect(parseWebhookSecret(JSON.stringify({ webhookSecret: HOOK }))).toBe(HOOK);
  });

  it('needs the webhook secret, and holds nothing else (no credentials beside it)', () => {
    expect(failure(parseWebhookSecret, JSON.stringify({})).message).toMatch(/webhookSecret/);
    expect(failure(parseWebhookSecret, JSON.stringify({ webhookSecret: HOOK, token: TOKEN })).message).toMatch(/unknown field\(s\) token/);
  });

  it('never echoes a value, whatever is wrong', () => {
    for (const json of [
      `{"webhookSecret": "${HOOK}"`,
      JSON.stringify({ webhookSecret: 42 }),
      JSON.stringify({ webhookSecret: HOOK, token: TOKEN }),
      JSON.stringify(HOOK),
    ]) {
      const error = failure(parseWebhookSecret, json);
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error.cause)}`;
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(HOOK);
    }
  });
});
