// A push that touches many apps: their requests are written a few at once (never all at once,
// never one after another — a push matching 1,000 apps kept GitHub waiting for seconds of its
// 10-second delivery timeout), and every one of them before any job is sent.
import { describe, expect, it } from 'vitest';
import type { AppSpec, Registry } from '../../shared/config/types.ts';
import { handleDelivery, type WebhookDependencies } from '../../shared/webhook/intake.ts';
import { SignatureVerifier } from '../../shared/webhook/verify.ts';
import { signedDelivery } from '../support/signed-delivery.ts';

const SECRET = 'requests-secret';
const REPO = 'https://github.com/acme/gitops.git';
const APPS = 40;

const app = (index: number): AppSpec => ({
  name: `web-${index}`,
  project: 'default',
  source: { repoURL: REPO, targetRevision: 'main', path: 'apps/shared' },
  destinations: [{ cluster: 'dev', namespace: `web-${index}` }],
  syncPolicy: { syncOptions: [], createNamespace: false },
  ignoreDifferences: [],
  definedIn: { file: `driftless/web-${index}.yaml`, line: 1 },
});
const registry: Registry = { apps: Array.from({ length: APPS }, (_, index) => app(index)), clusters: [], projects: [] };

describe('a push matching many apps', () => {
  it('requests them at most 8 at once, more than one at a time, all before the jobs are sent', async () => {
    let inFlight = 0;
    let peak = 0;
    const requested: string[] = [];
    const log: string[] = [];
    const deps: WebhookDependencies = {
      verifier: new SignatureVerifier(SECRET),
      registry: async () => registry,
      rememberDelivery: async () => true,
      forgetDelivery: async () => {},
      requestSync: async (target) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        requested.push(target.app);
        log.push('request');
        return 1;
      },
      enqueue: async (jobs) => void log.push(`enqueue ${jobs.length}`),
    };
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      after: 'b'.repeat(40),
      commits: [{ added: [], removed: [], modified: ['apps/shared/deployment.yaml'] }],
      head_commit: {},
      repository: { clone_url: REPO, default_branch: 'main' },
    });
    const answer = await handleDelivery(signedDelivery(body, SECRET), deps);
    expect(answer.statusCode).toBe(202);
    expect(requested.sort()).toEqual(registry.apps.map((spec) => spec.name).sort());
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(8);
    expect(log.at(-1)).toBe(`enqueue ${APPS}`);
    expect(log.filter((line) => line.startsWith('enqueue'))).toHaveLength(1);
  });
});
