// Manifests that cannot be parsed are the user's to fix: the worker records the failure with
// the file named, posts one `failure` status and one Sync Failed event, applies nothing, and
// the message is done: not retried, not in the dead-letter queue.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectSyncNotRetried } from '../support/not-retried.ts';
import { sandboxWrites, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline({ maxReceiveCount: 3, visibilityTimeoutSeconds: 1 });
});
afterAll(() => pipeline?.stop());

it('records Failed with the file named, posts failure once, applies nothing and is not retried', async () => {
  // A flow mapping that is never closed: no YAML parser reads this.
  const files = {
    ...webRegistry(),
    ...webApp('blue'),
    'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-config\ndata: { color: blue }\n',
  };
  const sha = await pipeline.repo.commit(files);
  expect((await pipeline.push(EMPTY, sha, { added: Object.keys(files) })).statusCode).toBe(202);

  await expectSyncNotRetried(pipeline, 'web');

  const target = await pipeline.store.getTarget('web', 'sandbox');
  expect(target).toMatchObject({ syncStatus: 'Failed', health: 'Unknown', requestedRevision: sha });
  expect(target?.message).toMatch(/^cannot sync: /);
  expect(target?.message).toContain('apps/web/config.yaml');
  expect(target?.revision).toBeUndefined();
  expect((await pipeline.store.listHistory('web', 'sandbox', 10)).map((entry) => [entry.revision, entry.status])).toEqual([[sha, 'Failed']]);

  const statuses = pipeline.github.statuses.filter((status) => status.context === 'driftless/web@sandbox');
  expect(statuses.map((status) => [status.sha, status.state])).toEqual([
    [sha, 'pending'],
    [sha, 'failure'],
  ]);
  expect(statuses[1].description).toContain('apps/web/config.yaml');

  const events = pipeline.eventBridge.entries.filter((entry) => JSON.parse(entry.Detail ?? '{}').app === 'web');
  expect(events.map((entry) => entry.DetailType)).toEqual(['Sync Started', 'Sync Failed']);
  expect(JSON.parse(events[1].Detail ?? '{}')).toMatchObject({ revision: sha, syncStatus: 'Failed' });

  expect(sandboxWrites(pipeline)).toEqual([]);
});
