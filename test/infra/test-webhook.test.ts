// The deploy pipeline's test webhook: a push signed as GitHub signs it, which the real intake
// accepts and queues, and a wait that ends only on commit statuses newer than the push.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { githubSlug, sendTestPush, signature256, stackOutputs, testPushBody, waitForStatuses } from '../../infra/bin/test-webhook.ts';
import type { Registry } from '../../shared/config/types.ts';
import type { Job } from '../../shared/queue/job.ts';
import { handleDelivery, type WebhookDependencies } from '../../shared/webhook/intake.ts';
import { SignatureVerifier } from '../../shared/webhook/verify.ts';
import { closeServer, listenLocally, readBody } from '../support/http.ts';

const SECRET = 'staging-webhook-secret';
const SHA = 'c0ffee0000000000000000000000000000000001';
const PUSH = { repoURL: 'https://github.com/acme/smoke-app', branch: 'main', sha: SHA };

const registry: Registry = {
  apps: [
    {
      name: 'smoke',
      project: 'default',
      source: { repoURL: 'https://github.com/acme/smoke-app.git', targetRevision: 'main', path: 'deploy' },
      destinations: [{ cluster: 'staging', namespace: 'smoke' }],
      syncPolicy: { syncOptions: [], createNamespace: false },
      ignoreDifferences: [],
      definedIn: { file: 'driftless/smoke.yaml', line: 1 },
    },
  ],
  clusters: [],
  projects: [],
};

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  return `http://127.0.0.1:${await listenLocally(server)}`;
}

/** A JSON API double: `handler` answers each request from its method, path and headers. */
function serve(handler: (method: string, url: string, headers: Record<string, string | undefined>) => { status: number; body: unknown }): Promise<string> {
  return listen((req, res) => {
    const answer = handler(req.method ?? '', req.url ?? '', req.headers as Record<string, string | undefined>);
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
}

describe('the test webhook', () => {
  it('signs as GitHub does: HMAC-SHA256 of the raw body, hex, and the real verifier accepts it and no other secret', async () => {
    // GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!".
    expect(signature256("It's a Secret to Everybody", 'Hello, World!')).toBe('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
    const body = testPushBody(PUSH);
    await expect(new SignatureVerifier(SECRET).verify(body, signature256(SECRET, body), undefined)).resolves.toBeUndefined();
    await expect(new SignatureVerifier('another').verify(body, signature256(SECRET, body), undefined)).rejects.toThrow(/does not match/);
  });

  it('is a push the real intake queues for every app tracking the branch, over HTTP', async () => {
    const enqueued: Job[] = [];
    const seen = new Set<string>();
    const deps: WebhookDependencies = {
      verifier: new SignatureVerifier(SECRET),
      registry: async () => registry,
      rememberDelivery: async (id) => !seen.has(id) && Boolean(seen.add(id)),
      forgetDelivery: async (id) => void seen.delete(id),
      requestSync: async () => 1,
      enqueue: async (jobs) => void enqueued.push(...jobs),
    };
    // The intake behind a real HTTP endpoint, as the Function URL puts it.
    const url = await listen(async (req, res) => {
      const answer = await handleDelivery({ headers: req.headers as Record<string, string>, body: await readBody(req) }, deps);
      res.writeHead(answer.statusCode, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });

    const answer = await sendTestPush(url, SECRET, PUSH);
    expect(answer).toEqual({ status: 202, targets: ['smoke@staging'], message: '1 sync job(s) queued' });
    expect(enqueued).toMatchObject([{ kind: 'sync', app: 'smoke', cluster: 'staging', revision: SHA }]);

    // A wrong secret is refused by the same intake.
    expect((await sendTestPush(url, 'wrong', PUSH)).status).toBe(401);
  });

  it('waits for a final status newer than the push on every target, ignoring older ones and pending', async () => {
    const since = new Date('2026-01-01T10:00:00Z');
    let polls = 0;
    const api = await serve((method, url, headers) => {
      expect(method).toBe('GET');
      expect(url).toBe(`/repos/acme/smoke-app/commits/${SHA}/statuses?per_page=100`);
      expect(headers.authorization).toBe('Bearer gh-token');
      polls++;
      const older = { context: 'driftless/smoke@staging', state: 'success', created_at: '2026-01-01T09:00:00Z' };
      const pending = { context: 'driftless/smoke@staging', state: 'pending', created_at: '2026-01-01T10:00:05Z' };
      const done = {
        context: 'driftless/smoke@staging',
        state: 'failure',
        created_at: '2026-01-01T10:01:00Z',
        description: 'Deployment/smoke/web: not healthy',
      };
      const other = { context: 'driftless/smoke@other', state: 'success', created_at: '2026-01-01T10:01:00Z' };
      // Newest first, as GitHub lists them.
      const statuses = polls === 1 ? [older] : polls === 2 ? [pending, older] : [done, other, pending, older];
      return { status: 200, body: statuses };
    });
    const result = await waitForStatuses({
      apiUrl: api,
      token: 'gh-token',
      repoURL: PUSH.repoURL,
      sha: SHA,
      targets: ['smoke@staging'],
      since,
      timeoutMs: 10_000,
      pollMs: 5,
    });
    expect(result).toEqual({ 'smoke@staging': 'failure' });
    expect(polls).toBe(3);
  });

  it('gives up after the timeout naming the targets without a final status', async () => {
    const api = await serve(() => ({ status: 200, body: [{ context: 'driftless/smoke@staging', state: 'pending', created_at: new Date().toISOString() }] }));
    await expect(
      waitForStatuses({ apiUrl: api, token: 't', repoURL: PUSH.repoURL, sha: SHA, targets: ['smoke@staging'], since: new Date(0), timeoutMs: 30, pollMs: 5 }),
    ).rejects.toThrow(/no final commit status within 0 s for smoke@staging on acme\/smoke-app@c0ffee0/);
  });

  it("finds the webhook URL and the secret's ARN in cdk deploy's outputs file", () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftless-outputs-'));
    const file = join(dir, 'cdk-outputs.json');
    writeFileSync(
      file,
      JSON.stringify({
        DriftlessStaging: {
          DriftlessWebhookUrl0123ABCD: 'https://abc.lambda-url.eu-west-1.on.aws/',
          WebhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:driftless/webhook-AbCdEf',
        },
      }),
    );
    expect(stackOutputs(file, 'DriftlessStaging')).toEqual({
      webhookUrl: 'https://abc.lambda-url.eu-west-1.on.aws/',
      webhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:driftless/webhook-AbCdEf',
    });
    expect(() => stackOutputs(file, 'Driftless')).toThrow(/no outputs for stack "Driftless" \(it has: DriftlessStaging\)/);
  });

  it('takes github.com repository URLs only', () => {
    expect(githubSlug('https://github.com/acme/smoke-app.git')).toBe('acme/smoke-app');
    expect(() => githubSlug('git@github.com:acme/smoke-app')).toThrow(/not a github.com repository URL/);
  });
});
