// The dashboard's rollout controls in Debian's headless Chromium (playwright-core), over local
// mode's dashboard server and the state table and queue (dynalite, fauxqs) holding a RollingSync
// set's rollout (test/support/rollout-fleet.ts): fleet rows tag "step k of n", the app view shows
// the rollout's step and gate, Promote and Abort go through their confirm dialog and reach the
// rollout item; a read-only role sees the progress but no buttons. No cluster is needed: the
// app view's tree, diff and events say they cannot reach it, which is not what is tested here.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dashboardAssets } from '../../local/dashboard-assets.ts';
import { startDashboardServer, type DashboardServer } from '../../local/dashboard-server.ts';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { ApiDeps } from '../../shared/api/deps.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { stateStore } from '../../shared/runtime/environment.ts';
import type { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { seedRolloutFleet } from '../support/rollout-fleet.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UI_WAIT = { timeout: 20_000 };

let services: LocalServices;
let store: DynamoStateStore;
let operator: DashboardServer;
let viewer: DashboardServer;
let browser: Browser;

beforeAll(async () => {
  // A missing browser is a failure that says what to install, never a silent skip.
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), or set CHROMIUM_PATH`);
  services = await startLocalServices();
  for (const [name, value] of Object.entries(services.env)) vi.stubEnv(name, value);
  store = stateStore(process.env);
  await seedRolloutFleet(store);
  const deps: ApiDeps = {
    store,
    queue: new SqsJobQueue({ client: services.sqs, queueUrl: services.queueUrl }),
    connect: () => Promise.reject(new Error('no cluster in this test')),
    revisions: { head: () => Promise.reject(new Error('no git here')), resolve: () => Promise.reject(new Error('no git here')) },
  };
  // Local mode's user may do anything; the viewer has no role, so the default policy (role:readonly) applies.
  operator = await startDashboardServer({ port: 0, deps, assets: dashboardAssets });
  viewer = await startDashboardServer({
    port: 0,
    deps,
    assets: dashboardAssets,
    identity: { user: 'viewer@example.com', claims: { sub: 'viewer@example.com' } },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([operator?.close(), viewer?.close()]);
  vi.unstubAllEnvs();
  await services?.stop();
});

const row = (page: Page, app: string, cluster: string) => page.locator(`[data-testid=fleet-row][data-app="${app}"][data-cluster="${cluster}"]`);

describe('rollouts in the dashboard', () => {
  it('fleet rows of a rollout say step k of n, with the gate in the title; other rows say nothing', async () => {
    const page = await browser.newPage();
    await page.goto(operator.url);
    await row(page, 'guestbook-prod', 'prod').waitFor(UI_WAIT);
    const tag = (app: string, cluster: string) => row(page, app, cluster).locator('[data-testid=rollout]');
    expect(await tag('guestbook-dev', 'dev').textContent()).toBe('step 1 of 3');
    expect(await tag('guestbook-dev', 'dev').getAttribute('title')).toBe('guestbook: soak: 2m left');
    expect(await tag('guestbook-prod', 'prod').textContent()).toBe('step 3 of 3');
    expect(await tag('guestbook-prod', 'prod').getAttribute('title')).toBe('guestbook: waits for step 1');
    expect(await tag('web', 'dev').count()).toBe(0);
    await page.close();
  });

  it('promotes from the app view after a confirmation, then aborts', async () => {
    const page = await browser.newPage();
    await page.goto(`${operator.url}#/apps/guestbook-dev/dev`);
    await page.locator('[data-testid=rollout]').waitFor(UI_WAIT);
    expect(await page.locator('[data-testid=rollout]').textContent()).toContain('Rollout guestbook: step 1 of 3 (gate: soak: 2m left)');

    await page.getByRole('button', { name: 'Promote' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor(UI_WAIT);
    expect(await dialog.getByRole('heading').textContent()).toBe('Promote the rollout of guestbook?');
    await dialog.getByRole('button', { name: 'Promote' }).click();
    await page.locator('[data-testid=rollout-result]').waitFor(UI_WAIT);
    expect(await page.locator('[data-testid=rollout-result]').textContent()).toBe(
      'promoted guestbook: the gate of step 1 of 3 is skipped (rollout of 1a2b3c4)',
    );
    expect(await store.getRollout('guestbook')).toMatchObject({ promoted: 0, by: 'local' });

    await page.getByRole('button', { name: 'Abort' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Abort' }).click();
    await page.locator('[data-testid=rollout-result]', { hasText: 'aborted guestbook' }).waitFor(UI_WAIT);
    expect(await store.getRollout('guestbook')).toMatchObject({ status: 'aborted' });
    await page.close();
  });

  it('shows a read-only role the progress and no Promote or Abort', async () => {
    const page = await browser.newPage();
    await page.goto(`${viewer.url}#/apps/guestbook-staging/staging`);
    await page.locator('[data-testid=rollout]').waitFor(UI_WAIT);
    expect(await page.locator('[data-testid=rollout]').textContent()).toContain('Rollout guestbook: step 2 of 3');
    expect(await page.locator('[data-testid=rollout-promote]').count()).toBe(0);
    expect(await page.locator('[data-testid=rollout-abort]').count()).toBe(0);
    await page.close();
  });
});
