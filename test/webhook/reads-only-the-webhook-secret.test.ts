// Issue 12, item 13: the webhook faces the internet, so it holds the HMAC key GitHub signs
// with and nothing that can call GitHub. Its dependencies come from WEBHOOK_SECRET(_ARN) alone.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildDependencies } from '../../functions/webhook/handler.ts';

const HOOK = 'hook-secret-3b9d';
const BASE = { STATE_TABLE: 'table', SYNC_QUEUE_URL: 'http://127.0.0.1:9/queue' };

describe('the webhook function', () => {
  it('verifies deliveries with the webhook secret, with no GitHub credentials anywhere in its environment', async () => {
    const deps = await buildDependencies({ ...BASE, WEBHOOK_SECRET: JSON.stringify({ webhookSecret: HOOK }) });
    const body = '{"zen":"Keep it logically awesome."}';
    await expect(deps.verifier.verify(body, `sha256=${createHmac('sha256', HOOK).update(body).digest('hex')}`, undefined)).resolves.toBeUndefined();
    await expect(deps.verifier.verify(body, `sha256=${createHmac('sha256', 'other').update(body).digest('hex')}`, undefined)).rejects.toThrow(/does not match/);
  });

  it('never takes its key from the GitHub credentials secret', async () => {
    await expect(buildDependencies({ ...BASE, GITHUB_SECRET: JSON.stringify({ token: 'ghp_x' }) })).rejects.toThrow(/WEBHOOK_SECRET is not set/);
  });
});
