// Two pushes in quick succession — commit A, then commit B, both delivered before any worker
// runs — end with B in the cluster and in the recorded state; A is never applied over B (nor
// at all: its job stands down when it sees B was requested).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveColor, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const APP_FILE = 'apps/web/config.yaml';

let pipeline: Pipeline;
let first: string;

beforeAll(async () => {
  pipeline = await startPipeline();
  first = await pipeline.repo.commit({ ...webRegistry(), ...webApp('blue') });
  await pipeline.push(EMPTY, first, { added: [...Object.keys(webRegistry()), ...Object.keys(webApp('blue'))] });
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first);
  expect(await liveColor(pipeline)).toBe('blue');
});
afterAll(() => pipeline?.stop());

describe('two quick pushes to one app', () => {
  it('end with the later commit applied, never the earlier one over it', async () => {
    const a = await pipeline.repo.commit(webApp('amber'));
    const b = await pipeline.repo.commit(webApp('black'));
    pipeline.sandbox.requests.clear();
    const statusesBefore = pipeline.github.statuses.length;
    const eventsBefore = pipeline.eventBridge.entries.length;

    const pushA = await pipeline.push(first, a, { modified: [APP_FILE] });
    const pushB = await pipeline.push(a, b, { modified: [APP_FILE] });
    expect([pushA.statusCode, pushA.body.targets, pushB.statusCode, pushB.body.targets]).toEqual([202, ['web@sandbox'], 202, ['web@sandbox']]);
    expect(await pipeline.queueDepth()).toBe(2);
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ requestedRevision: b, revision: first });

    await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === b && (await pipeline.queueDepth()) === 0);

    // The cluster and the recorded state are at B.
    expect(await liveColor(pipeline)).toBe('black');
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ revision: b, requestedRevision: b, syncStatus: 'Synced', health: 'Healthy' });
    // A's manifests never reached the API server, before B or after it.
    const writes = pipeline.sandbox.requests.entries().filter((request) => ['PATCH', 'PUT', 'POST'].includes(request.method));
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.filter((request) => JSON.stringify(request.body ?? '').includes('amber'))).toEqual([]);
    expect(writes.filter((request) => JSON.stringify(request.body ?? '').includes('black')).length).toBeGreaterThan(0);

    // The history tells it: blue at the first commit, then straight to B; A was never synced.
    const history = await pipeline.store.listHistory('web', 'sandbox', 10);
    expect(history.map((entry) => [entry.revision, entry.status])).toEqual([
      [b, 'Synced'],
      [first, 'Synced'],
    ]);
    const statuses = pipeline.github.statuses.slice(statusesBefore).filter((status) => status.context === 'driftless/web@sandbox');
    expect(statuses.map((status) => [status.sha, status.state])).toEqual([
      [b, 'pending'],
      [b, 'success'],
    ]);
    const events = pipeline.eventBridge.entries.slice(eventsBefore).map((entry) => [entry.DetailType, JSON.parse(entry.Detail ?? '{}').revision]);
    expect(events).toEqual([
      ['Sync Started', b],
      ['Sync Succeeded', b],
    ]);
  });
});
