// Watches: initial state, live events, resuming from a resourceVersion, selectors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, type Client } from './client.ts';

let sandbox: Sandbox;
let api: Client;

const cm = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: {} });

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  api = clientFor(sandbox);
  await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w' } });
  await api.post('/api/v1/namespaces/w/configmaps', cm('existing', { app: 'a' }));
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('watch', () => {
  it('starts with ADDED for current objects, then streams MODIFIED and DELETED', async () => {
    const watch = await api.watch('/api/v1/namespaces/w/configmaps?watch=true');
    try {
      const first = await watch.next((e) => e.type === 'ADDED' && e.object.metadata.name === 'existing');
      expect(first.object).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });

      await api.post('/api/v1/namespaces/w/configmaps', cm('fresh'));
      await watch.next((e) => e.type === 'ADDED' && e.object.metadata.name === 'fresh');
      await api.patch('/api/v1/namespaces/w/configmaps/fresh', { data: { k: 'v' } }, 'application/merge-patch+json');
      const modified = await watch.next((e) => e.type === 'MODIFIED' && e.object.metadata.name === 'fresh');
      expect(modified.object.data).toEqual({ k: 'v' });
      await api.delete('/api/v1/namespaces/w/configmaps/fresh');
      await watch.next((e) => e.type === 'DELETED' && e.object.metadata.name === 'fresh');
      expect(watch.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED existing', 'ADDED fresh', 'MODIFIED fresh', 'DELETED fresh']);
    } finally {
      watch.close();
    }
  });

  it('resumes after a resourceVersion without replaying the initial state', async () => {
    const list = (await api.get('/api/v1/namespaces/w/configmaps')).body;
    await api.post('/api/v1/namespaces/w/configmaps', cm('after-list'));
    const watch = await api.watch(`/api/v1/namespaces/w/configmaps?watch=1&resourceVersion=${list.metadata.resourceVersion}`);
    try {
      await watch.next((e) => e.object.metadata.name === 'after-list');
      expect(watch.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED after-list']);
    } finally {
      watch.close();
    }
  });

  it('honours label and field selectors, across namespaces too', async () => {
    const byLabel = await api.watch('/api/v1/configmaps?watch=true&labelSelector=app%3Db');
    const byName = await api.watch('/api/v1/namespaces/w/configmaps?watch=true&fieldSelector=metadata.name%3Dtarget');
    try {
      await api.post('/api/v1/namespaces/w/configmaps', cm('other', { app: 'c' }));
      await api.post('/api/v1/namespaces/w/configmaps', cm('target', { app: 'b' }));
      await byLabel.next((e) => e.object.metadata.name === 'target');
      await byName.next((e) => e.object.metadata.name === 'target');
      expect(byLabel.events.map((e) => e.object.metadata.name)).toEqual(['target']);
      expect(byName.events.map((e) => e.object.metadata.name)).toEqual(['target']);
    } finally {
      byLabel.close();
      byName.close();
    }
  });

  it('ends the initial events with a bookmark when asked for a watch-list', async () => {
    const watch = await api.watch(
      '/api/v1/namespaces/w/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true',
    );
    try {
      const bookmark = await watch.next((e) => e.type === 'BOOKMARK');
      expect(bookmark.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
      expect(watch.events.slice(0, -1).every((e) => e.type === 'ADDED')).toBe(true);
    } finally {
      watch.close();
    }
  });
});
