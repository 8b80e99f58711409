// The dashboard end to end, in Debian's headless Chromium driven by playwright-core: the real
// webhook, queue and worker (test/support/pipeline.ts) with the sandbox cluster, and local
// mode's dashboard server (the API core over the same table and queue, and the built UI).
// The fleet view lists the apps with their health; a commit turns a row to the new revision
// without a reload; a Sync from the app view is enqueued and completes; a read-only identity
// sees no Sync button, and when it asks anyway (its role changed after the page loaded) the
// API's 403 is what the page shows; the app view lists the cluster's events for the app's
// objects; a rollback picked from the history pins the app there until
// Resume. Screenshots go to test-results/dashboard/.
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardAssets } from '../../local/dashboard-assets.ts';
import { startDashboardServer, type DashboardServer } from '../../local/dashboard-server.ts';
import { apiDependencies } from '../../shared/api/environment.ts';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import { appDocument, startPipeline, webApp, webRegistry, type BackgroundWorker, type Pipeline } from '../support/pipeline.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-results', 'dashboard');
// The README's picture of the fleet view, rewritten only when asked (DASHBOARD_SCREENSHOT=1).
const README_SHOT = join(process.cwd(), 'functions', 'api', 'web', 'screenshot-fleet.png');
const EMPTY = '0000000000000000000000000000000000000000';
const UI_WAIT = { timeout: 20_000 };

let pipeline: Pipeline;
let worker: BackgroundWorker | undefined;
let admin: DashboardServer;
let viewer: DashboardServer;
let browser: Browser;
// The first commit, and the newest one the apps run.
let initial: string;
let head: string;

const apiFiles = (color: string): Record<string, string> => ({
  'driftless/api.yaml': appDocument({ name: 'api', cluster: 'sandbox', namespace: 'backend' }),
  'apps/api/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: api-config }\ndata: { color: ${color} }\n`,
});

beforeAll(async () => {
  // A missing browser is a failure that says what to install, never a silent skip.
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does), or set CHROMIUM_PATH`);
  await mkdir(SHOTS, { recursive: true });
  pipeline = await startPipeline();
  const files = { ...webRegistry(), ...webApp('blue'), ...apiFiles('blue') };
  initial = head = await pipeline.repo.commit(files);
  await pipeline.push(EMPTY, initial, { added: Object.keys(files) });
  await pipeline.work(async () => {
    const [web, api] = await Promise.all([pipeline.store.getTarget('web', 'sandbox'), pipeline.store.getTarget('api', 'sandbox')]);
    return web?.revision === initial && web.health === 'Healthy' && api?.revision === initial && api.health === 'Healthy';
  });
  // From here on the worker runs in the background, as local mode runs it.
  worker = pipeline.startWorker();
  // The API over the pipeline's table, queue and sandbox, as local mode builds it from the environment.
  const deps = apiDependencies(process.env);
  admin = await startDashboardServer({ port: 0, deps, assets: dashboardAssets });
  // Not local mode's user: a signed-in identity with no role, so the policy's default applies (role:readonly).
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
  await Promise.all([admin?.close(), viewer?.close()]);
  await worker?.stop();
  await pipeline?.stop();
});

const row = (page: Page, app: string) => page.locator(`[data-testid=fleet-row][data-app="${app}"][data-cluster=sandbox]`);

describe('the dashboard in Chromium', () => {
  let page: Page;

  it('lists every app on its cluster with its health, sync status and revision, the health counts, and searches and groups them', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(admin.url);
    await row(page, 'api').waitFor(UI_WAIT);
    for (const app of ['web', 'api']) {
      expect(await row(page, app).locator('[data-testid=health]').textContent()).toBe('Healthy');
      expect(await row(page, app).locator('[data-testid=sync-status]').textContent()).toBe('Synced');
      expect(await row(page, app).locator('[data-testid=revision]').textContent()).toBe(initial.slice(0, 7));
    }
    expect(await page.locator('[data-testid=fleet-row]').count()).toBe(2);
    expect(await page.locator('[data-testid=count-Healthy]').textContent()).toBe('2');
    await page.screenshot({ path: join(SHOTS, 'fleet.png') });
    if (process.env.DASHBOARD_SCREENSHOT === '1') await copyFile(join(SHOTS, 'fleet.png'), README_SHOT);

    // The search box and grouping work on the rows the one call brought.
    await page.getByLabel('Search').fill('we');
    await page.locator('[data-testid=fleet-row][data-app=api]').waitFor({ state: 'detached', ...UI_WAIT });
    expect(await page.locator('[data-testid=fleet-row]').count()).toBe(1);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Group by').selectOption('project');
    expect(await page.getByRole('rowheader', { name: 'default (2)' }).count()).toBe(1);
    await page.getByLabel('Group by').selectOption('none');
  });

  it('polls the fleet with If-None-Match and gets 304 while nothing changed', async () => {
    const unchanged = await page.waitForResponse((response) => new URL(response.url()).pathname === '/api/fleet' && response.status() === 304, UI_WAIT);
    expect(await unchanged.request().headerValue('if-none-match')).toBeTruthy();
  });

  it('turns a row to a new commit without a reload', async () => {
    // A value only this page load holds: gone if the page were reloaded.
    await page.evaluate('window.loadedOnce = "yes"');
    const second = await pipeline.repo.commit(webApp('green'));
    await pipeline.push(initial, second, { modified: ['apps/web/config.yaml'] });
    await row(page, 'web')
      .locator('[data-testid=revision]', { hasText: second.slice(0, 7) })
      .waitFor(UI_WAIT);
    expect(await page.evaluate('window.loadedOnce')).toBe('yes');
    // The other app's row is untouched by a commit that does not concern it.
    expect(await row(page, 'api').locator('[data-testid=revision]').textContent()).toBe(initial.slice(0, 7));
    head = second;
  });

  it('syncs from the app view after a confirmation, and shows the sync in the history once it ran', async () => {
    await row(page, 'web').getByRole('link', { name: 'web' }).click();
    await page.getByRole('heading', { name: 'web', level: 1 }).waitFor(UI_WAIT);
    await page.locator('[data-testid=resource-tree] [data-kind=Deployment]').waitFor(UI_WAIT);
    const before = await pipeline.store.getTarget('web', 'sandbox');

    await page.getByRole('button', { name: 'Sync' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor(UI_WAIT);
    await dialog.getByRole('button', { name: 'Sync' }).click();
    await page.locator('[data-testid=action-result]').waitFor(UI_WAIT);

    // Enqueued: the request's number went up; completed: the worker recorded that request.
    const requested = (await pipeline.store.getTarget('web', 'sandbox'))?.requestSeq ?? 0;
    expect(requested).toBeGreaterThan(before?.requestSeq ?? 0);
    await page.locator('[data-testid=history-row]', { hasText: 'manual' }).first().waitFor(UI_WAIT);
    const after = await pipeline.store.getTarget('web', 'sandbox');
    expect(after?.appliedSeq).toBeGreaterThanOrEqual(requested);
    expect(after).toMatchObject({ syncStatus: 'Synced', revision: head });
    await page.screenshot({ path: join(SHOTS, 'app.png'), fullPage: true });
  });

  it('shows the diff of a hand edit on the cluster, live lines removed and Git lines added', async () => {
    const client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
    try {
      await client.request({
        method: 'PATCH',
        path: '/api/v1/namespaces/shop/configmaps/web-config',
        query: { fieldManager: 'kubectl-edit' },
        contentType: 'application/merge-patch+json',
        body: { data: { color: 'red' } },
      });
    } finally {
      client.close();
    }
    const fresh = await browser.newPage();
    await fresh.goto(`${admin.url}#/apps/web/sandbox`);
    const removed = fresh.locator('[data-testid=diff] .line.remove', { hasText: 'red' });
    await removed.waitFor(UI_WAIT);
    expect(await fresh.locator('[data-testid=diff] .line.add', { hasText: 'green' }).count()).toBe(1);
    await fresh.screenshot({ path: join(SHOTS, 'diff.png'), fullPage: true });
    await fresh.close();
  });

  it("shows the cluster's events for the app's objects, newest first, warnings marked", async () => {
    const client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
    try {
      const deployment = await client.get<{ metadata: { uid: string } }>('/apis/apps/v1/namespaces/shop/deployments/web');
      const now = Date.now();
      const event = (name: string, type: string, reason: string, message: string, at: number) => ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: 'shop' },
        involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', uid: deployment.metadata.uid },
        type,
        reason,
        message,
        count: 1,
        firstTimestamp: new Date(at).toISOString(),
        lastTimestamp: new Date(at).toISOString(),
        source: { component: 'deployment-controller' },
      });
      for (const body of [
        event('web.e2e1', 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-7c9d to 2', now - 120_000),
        event('web.e2e2', 'Warning', 'ProgressDeadlineExceeded', 'ReplicaSet "web-7c9d" has timed out progressing.', now - 60_000),
      ])
        await client.request({ method: 'POST', path: '/api/v1/namespaces/shop/events', body });
    } finally {
      client.close();
    }
    const fresh = await browser.newPage();
    await fresh.goto(`${admin.url}#/apps/web/sandbox`);
    const rows = fresh.locator('[data-testid=events] [data-testid=event-row]');
    await rows.first().waitFor(UI_WAIT);
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('ProgressDeadlineExceeded');
    expect(await rows.nth(0).getAttribute('data-type')).toBe('Warning');
    expect(await rows.nth(0).textContent()).toContain('Deployment shop/web');
    expect(await rows.nth(0).textContent()).toContain('ReplicaSet "web-7c9d" has timed out progressing.');
    expect(await rows.nth(1).textContent()).toContain('Scaled up replica set web-7c9d to 2');
    await fresh.screenshot({ path: join(SHOTS, 'events.png'), fullPage: true });
    await fresh.close();
  });

  it('shows a read-only identity no actions, and the API refusing a sync with 403 and its message on the page', async () => {
    const readOnly = await browser.newPage();
    await readOnly.goto(`${viewer.url}#/apps/web/sandbox`);
    await readOnly.locator('[data-testid=read-only]').waitFor(UI_WAIT);
    expect(await readOnly.getByRole('button', { name: 'Sync' }).count()).toBe(0);

    const refused = await fetch(new URL('/api/apps/web/clusters/sandbox/sync', viewer.url), {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(refused.status).toBe(403);
    const { error } = (await refused.json()) as { error: string };
    expect(error).toMatch(/sync/);

    // The page was loaded with the admin's rights; its next call is made as the read-only identity.
    await page.route('**/api/apps/*/clusters/*/sync', (route) => route.continue({ url: new URL(new URL(route.request().url()).pathname, viewer.url).href }));
    await page.getByRole('button', { name: 'Sync' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Sync' }).click();
    const shown = page.locator('[data-testid=action-error]');
    await shown.waitFor(UI_WAIT);
    expect(await shown.textContent()).toBe(error);
    expect(await shown.getAttribute('role')).toBe('alert');
    await page.screenshot({ path: join(SHOTS, 'read-only-403.png') });
    await readOnly.screenshot({ path: join(SHOTS, 'read-only.png') });
  });

  it('rolls back to a recorded revision picked from the history, pinned there, and resumes back to the branch head', async () => {
    await page.unrouteAll();
    const revision = page.locator('[data-testid=target] [data-testid=revision]');
    await page.getByLabel('Roll back to').selectOption(initial);
    await page.getByRole('button', { name: 'Roll back' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
    await page.locator('[data-testid=held]', { hasText: `pinned to ${initial.slice(0, 7)}` }).waitFor(UI_WAIT);
    await revision.filter({ hasText: initial.slice(0, 7) }).waitFor(UI_WAIT);
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ pinnedRevision: initial, revision: initial });

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Resume' }).click();
    await page.locator('[data-testid=held]').waitFor({ state: 'detached', ...UI_WAIT });
    await revision.filter({ hasText: head.slice(0, 7) }).waitFor(UI_WAIT);
    expect((await pipeline.store.getTarget('web', 'sandbox'))?.pinnedRevision).toBeUndefined();
  });
});
