// A parent's wave plan is kept beside its target state (same partition, so the worker's key
// grant covers it) without showing up as a target, replaced whole, and goes with the target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WavePlan } from '../../shared/state/types.ts';
import { startStateTable, type StateTable } from './table.ts';

const SHA = 'a'.repeat(40);

function plan(status: WavePlan['status'], extra: Partial<WavePlan> = {}): WavePlan {
  return {
    app: 'root',
    cluster: 'prod',
    revision: SHA,
    repoURL: 'https://github.com/acme/gitops.git',
    children: [
      { app: 'db', cluster: 'prod', wave: 1, revision: SHA, ref: 'main', namespace: 'db' },
      { app: 'web', cluster: 'prod', wave: 2, problem: 'revision v9 not found' },
    ],
    status,
    createdAt: '2025-06-01T12:00:00.000Z',
    updatedAt: '2025-06-01T12:00:00.000Z',
    ...extra,
  };
}

describe('wave plans', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await startStateTable();
  });
  afterAll(() => table.stop());

  it('are stored per parent target, read back as written, and replaced whole', async () => {
    const store = table.store();
    expect(await store.getWavePlan({ app: 'root', cluster: 'prod' })).toBeUndefined();
    await store.putWavePlan(plan('running', { wave: 1 }));
    expect(await store.getWavePlan({ app: 'root', cluster: 'prod' })).toEqual(plan('running', { wave: 1 }));
    await store.putWavePlan(plan('halted', { wave: 1, reason: 'wave 1 halted: db@prod is Degraded at aaaaaaa; later waves wait' }));
    expect(await store.getWavePlan({ app: 'root', cluster: 'prod' })).toMatchObject({ status: 'halted', reason: expect.stringContaining('db@prod') });
    expect(await store.getWavePlan({ app: 'root', cluster: 'staging' })).toBeUndefined();
  });

  it("are not listed as targets, and go when the parent's target is removed", async () => {
    const store = table.store();
    await store.putTargetState({ app: 'root', cluster: 'prod', syncStatus: 'Synced' });
    await store.putWavePlan(plan('done'));
    expect((await store.listTargets()).map((target) => `${target.app}@${target.cluster}`)).toEqual(['root@prod']);
    await store.removeTarget({ app: 'root', cluster: 'prod' });
    expect(await store.getWavePlan({ app: 'root', cluster: 'prod' })).toBeUndefined();
    expect(await store.getTarget('root', 'prod')).toBeUndefined();
  });
});
