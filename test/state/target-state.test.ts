import { randomBytes } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryTooLargeError } from '../../shared/state/errors.ts';
import { MAX_DRIFTED_OBJECTS } from '../../shared/state/target-item.ts';
import type { Inventory } from '../../shared/sync/inventory.ts';
import { startStateTable, type StateTable } from './table.ts';

const inventory: Inventory = {
  app: 'shop',
  revision: 'a'.repeat(40),
  entries: [
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', fingerprint: 'f1' },
    { apiVersion: 'v1', kind: 'Namespace', name: 'shop', fingerprint: 'f2' },
  ],
};

describe('target state', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await startStateTable();
  });
  afterAll(() => table.stop());

  async function rawAttributes(app: string, cluster: string): Promise<string[]> {
    const { Item } = await table.client.send(
      new GetItemCommand({ TableName: table.tableName, Key: { pk: { S: `TARGET#${app}@${cluster}` }, sk: { S: 'STATE' } } }),
    );
    return Object.keys(Item ?? {}).sort();
  }

  it('writes only the fields it is given', async () => {
    const store = table.store();
    await store.putTargetState({
      app: 'shop',
      cluster: 'prod',
      namespace: 'shop',
      revision: 'a'.repeat(40),
      syncStatus: 'Synced',
      health: 'Healthy',
      message: 'applied 2 objects',
      inventory,
      renderKey: 'renders/aaa/key.json.gz',
      suspended: false,
    });
    await store.putTargetState({ app: 'shop', cluster: 'prod', health: 'Degraded', message: undefined });

    const state = await store.getTarget('shop', 'prod');
    expect(state).toMatchObject({
      app: 'shop',
      cluster: 'prod',
      namespace: 'shop',
      revision: 'a'.repeat(40),
      syncStatus: 'Synced',
      health: 'Degraded',
      message: 'applied 2 objects',
      renderKey: 'renders/aaa/key.json.gz',
      suspended: false,
    });
    expect(state?.inventory).toEqual(inventory);
  });

  it('adds no attribute beyond the given fields, the key and updatedAt', async () => {
    const store = table.store();
    await store.putTargetState({ app: 'api', cluster: 'prod', health: 'Progressing' });
    expect(await rawAttributes('api', 'prod')).toEqual(['app', 'cluster', 'health', 'pk', 'sk', 'updatedAt']);
  });

  it('removes only the fields listed for removal', async () => {
    const store = table.store();
    await store.putTargetState({
      app: 'web',
      cluster: 'prod',
      driftStatus: 'Drifted',
      driftedObjects: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'web', reason: 'spec.replicas' }],
      driftFirstSeenAt: '2025-06-01T11:00:00.000Z',
      selfHealRecords: [{ key: '0123456789abcdef', attempts: 2, healedAt: '2025-06-01T11:00:00.000Z' }],
    });
    await store.putTargetState({ app: 'web', cluster: 'prod', driftStatus: 'InSync' }, { remove: ['driftedObjects', 'driftFirstSeenAt'] });
    const state = await store.getTarget('web', 'prod');
    expect(state).toMatchObject({ driftStatus: 'InSync', selfHealRecords: [{ key: '0123456789abcdef', attempts: 2, healedAt: '2025-06-01T11:00:00.000Z' }] });
    expect(state).not.toHaveProperty('driftedObjects');
    expect(state).not.toHaveProperty('driftedCount');
    expect(state).not.toHaveProperty('driftFirstSeenAt');
  });

  it('keeps a bounded list of drifted objects with the full count beside it', async () => {
    const store = table.store();
    const drifted = Array.from({ length: MAX_DRIFTED_OBJECTS + 30 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'big', name: `cm-${i}` }));
    await store.putTargetState({ app: 'big', cluster: 'prod', driftStatus: 'Drifted', driftedObjects: drifted });
    const state = await store.getTarget('big', 'prod');
    expect(state?.driftedObjects).toHaveLength(MAX_DRIFTED_OBJECTS);
    expect(state?.driftedCount).toBe(MAX_DRIFTED_OBJECTS + 30);
  });

  it('refuses an inventory too large for one item instead of truncating it', async () => {
    const store = table.store();
    const entries = Array.from({ length: 20_000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'huge',
      name: `cm-${i}`,
      // sha256 hex, as fingerprint() makes them: incompressible, like the real ones.
      fingerprint: randomBytes(32).toString('hex'),
    }));
    await expect(store.putTargetState({ app: 'huge', cluster: 'prod', inventory: { app: 'huge', entries } })).rejects.toBeInstanceOf(InventoryTooLargeError);
    expect(await store.getTarget('huge', 'prod')).toBeUndefined();
  });

  it('lists every target and nothing else', async () => {
    const store = table.store();
    await store.putTargetState({ app: 'listed', cluster: 'eu', health: 'Healthy' });
    await store.acquireLease({ app: 'listed', cluster: 'eu' }, 'worker', 60_000);
    await store.rememberDelivery('delivery-1', 60);
    await store.putRegistry({ apps: [], clusters: [], projects: [] }, 'c'.repeat(40));
    const targets = await store.listTargets();
    const ids = targets.map((target) => `${target.app}@${target.cluster}`);
    expect(ids).toContain('listed@eu');
    expect(ids).toContain('shop@prod');
    expect(targets.every((target) => typeof target.app === 'string' && typeof target.cluster === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('returns undefined for a target never written', async () => {
    expect(await table.store().getTarget('nope', 'prod')).toBeUndefined();
  });
});
