// A signed push goes through the real webhook handler, SQS (fauxqs), the real worker handler
// and a GitHub REST double serving real `git archive` tarballs, into the sandbox cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveColor, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

const registry = webRegistry();
const app = webApp;

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

describe('a push to GitHub', () => {
  let first: string;

  it('to the config repo registers the app and syncs it to the cluster', async () => {
    first = await pipeline.repo.commit({ ...registry, ...app('blue') });
    const response = await pipeline.push(EMPTY, first, { added: [...Object.keys(registry), ...Object.keys(app('blue'))] });
    expect(response.statusCode).toBe(202);
    expect(response.body).toMatchObject({ targets: [], registryRefresh: true, message: 'a registry refresh queued' });

    await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first);

    expect(await liveColor(pipeline)).toBe('blue');
    const target = await pipeline.store.getTarget('web', 'sandbox');
    expect(target).toMatchObject({ syncStatus: 'Synced', health: 'Healthy', revision: first, namespace: 'shop' });
    const statuses = pipeline.github.statuses.filter((status) => status.context === 'driftless/web@sandbox');
    expect(statuses.map((status) => [status.sha, status.state])).toEqual([
      [first, 'pending'],
      [first, 'success'],
    ]);
    expect(statuses[1].description?.length).toBeLessThanOrEqual(140);
    const events = pipeline.eventBridge.entries.map((entry) => [entry.Source, entry.DetailType, JSON.parse(entry.Detail ?? '{}').revision]);
    expect(events).toEqual([
      ['driftless', 'Sync Started', first],
      ['driftless', 'Sync Succeeded', first],
    ]);
    expect(pipeline.eventBridge.entries.every((entry) => !entry.Detail?.includes('nginx'))).toBe(true);
  });

  it('to an app path syncs only that app, at the new commit', async () => {
    const second = await pipeline.repo.commit(app('green'));
    const response = await pipeline.push(first, second, { modified: ['apps/web/config.yaml'] });
    expect(response.statusCode).toBe(202);
    expect(response.body.targets).toEqual(['web@sandbox']);
    await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === second);
    expect(await liveColor(pipeline)).toBe('green');
    const history = await pipeline.store.listHistory('web', 'sandbox', 10);
    expect(history.map((entry) => entry.revision)).toEqual([second, first]);
    expect(pipeline.github.statuses.filter((status) => status.sha === second).map((status) => status.state)).toEqual(['pending', 'success']);
  });

  it('to files no app tracks enqueues nothing', async () => {
    const before = (await pipeline.repo.git('rev-parse', 'HEAD')).trim();
    const third = await pipeline.repo.commit({ 'README.md': '# docs\n' });
    const response = await pipeline.push(before, third, { added: ['README.md'] });
    expect(response.statusCode).toBe(200);
    expect(response.body.message).toMatch(/nothing to do/);
  });

  it('never leaks the GitHub token into statuses or events', () => {
    const everything = JSON.stringify([pipeline.github.statuses, pipeline.eventBridge.entries]);
    expect(everything).not.toContain('ghp_test_token');
  });
});
