// Argo CD-shaped repository secrets (repository and repo-creds: url, username, password,
// type: helm, enableOCI), matched to chart repositories by URL prefix.
import { describe, expect, it } from 'vitest';
import { CachedChartCredentials, ChartCredentialsError, StaticChartCredentials } from '../../../shared/source/chart/credentials.ts';

const SECRET = 'pa55-word-never-shown';

describe('StaticChartCredentials', () => {
  const credentials = StaticChartCredentials.parse(
    JSON.stringify([
      { url: 'https://charts.example.com', type: 'helm', username: 'org', password: 'org-pw' },
      { url: 'https://charts.example.com/team-a/', type: 'helm', username: 'team-a', password: 'team-a-pw' },
      { url: 'ghcr.io/acme', type: 'helm', enableOCI: 'true', username: 'acme', password: 'acme-pw' },
      { url: 'https://github.com/acme/apps.git', type: 'git', username: 'git', password: 'git-pw' },
      {
        kind: 'Secret',
        data: {
          url: Buffer.from('oci://registry.example.com').toString('base64'),
          username: Buffer.from('b64').toString('base64'),
          password: Buffer.from('b64-pw').toString('base64'),
        },
      },
    ]),
  );

  it('gives the longest matching prefix, at a path boundary', async () => {
    expect(await credentials.lookup('https://charts.example.com')).toEqual({ username: 'org', password: 'org-pw' });
    expect(await credentials.lookup('https://charts.example.com/stable')).toEqual({ username: 'org', password: 'org-pw' });
    expect(await credentials.lookup('https://charts.example.com/team-a/stable')).toEqual({ username: 'team-a', password: 'team-a-pw' });
    expect(await credentials.lookup('https://charts.example.com.attacker.test')).toBeUndefined();
    expect(await credentials.lookup('https://charts.example.com/team-ab')).toEqual({ username: 'org', password: 'org-pw' });
  });

  it('matches OCI registries written with or without oci://, and base64 data of whole Secrets', async () => {
    expect(await credentials.lookup('oci://ghcr.io/acme/charts')).toEqual({ username: 'acme', password: 'acme-pw' });
    expect(await credentials.lookup('oci://registry.example.com/x')).toEqual({ username: 'b64', password: 'b64-pw' });
    expect(await credentials.lookup('oci://ghcr.io/other')).toBeUndefined();
  });

  it('ignores git repository secrets', async () => {
    expect(await credentials.lookup('https://github.com/acme/apps.git')).toBeUndefined();
  });

  it('refuses a malformed secret without echoing any value', () => {
    for (const json of [
      `[{"url": "https://x", "password": "${SECRET}"}]`,
      `{"url": "${SECRET}"}`,
      `[{"url": "https://x", "username": "u", "password": ${JSON.stringify([SECRET])}}]`,
      `[${SECRET}`,
    ]) {
      let error: unknown;
      try {
        StaticChartCredentials.parse(json);
      } catch (caught) {
        error = caught;
      }
      expect(error, json).toBeInstanceOf(ChartCredentialsError);
      expect(`${(error as Error).message} ${(error as Error).stack}`).not.toContain(SECRET);
    }
  });
});

describe('CachedChartCredentials', () => {
  it('reads the secret once per period, and again after a failure', async () => {
    let now = 0;
    let reads = 0;
    let fail = true;
    const source = new CachedChartCredentials(
      () => {
        reads++;
        if (fail) return Promise.reject(new Error('throttled'));
        return Promise.resolve(JSON.stringify([{ url: 'https://charts.example.com', username: 'u', password: 'p' }]));
      },
      { ttlMs: 1000, now: () => now },
    );
    await expect(source.lookup('https://charts.example.com')).rejects.toThrow('throttled');
    fail = false;
    expect(await source.lookup('https://charts.example.com')).toEqual({ username: 'u', password: 'p' });
    await source.lookup('https://charts.example.com');
    expect(reads).toBe(2);
    now = 1001;
    await source.lookup('https://charts.example.com');
    expect(reads).toBe(3);
  });
});
