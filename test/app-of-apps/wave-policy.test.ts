// The app-level wave rule as the issue states it: wave N+1 starts only when every child of
// wave N is Synced and Healthy at the commit asked for; a Degraded or failed child halts it.
import { describe, expect, it } from 'vitest';
import { decideWave, type WaveChild } from '../../shared/app-of-apps/wave-policy.ts';

const SHA = 'a'.repeat(40);
const OLD = 'b'.repeat(40);

function child(app: string, wave: number, state?: WaveChild['state']): WaveChild {
  return { app, cluster: 'sandbox', wave, revision: SHA, state };
}
const healthy = { requestedRevision: SHA, revision: SHA, syncStatus: 'Synced', health: 'Healthy' } as const;

describe('app-level sync waves', () => {
  it('start with the lowest wave only', () => {
    const decision = decideWave([child('late', 2), child('early', -1), child('mid', 0)]);
    expect(decision).toMatchObject({ kind: 'go', wave: -1, start: [{ app: 'early' }], waitingFor: [] });
  });

  it('hold the next wave while a started child is still progressing', () => {
    const decision = decideWave([child('db', 1, { requestedRevision: SHA, revision: OLD, syncStatus: 'Syncing', health: 'Progressing' }), child('web', 2)]);
    expect(decision).toMatchObject({ kind: 'go', wave: 1, start: [], waitingFor: [{ app: 'db' }] });
  });

  it('do not count a child healthy at another commit', () => {
    const decision = decideWave([child('db', 1, { ...healthy, requestedRevision: OLD, revision: OLD }), child('web', 2)]);
    expect(decision).toMatchObject({ kind: 'go', wave: 1, start: [{ app: 'db' }] });
  });

  it('move on once every child of the wave is Synced and Healthy at the commit', () => {
    const decision = decideWave([child('db', 1, healthy), child('cache', 1, healthy), child('web', 2)]);
    expect(decision).toMatchObject({ kind: 'go', wave: 2, start: [{ app: 'web' }] });
    expect(decideWave([child('db', 1, healthy), child('web', 2, healthy)])).toEqual({ kind: 'done' });
  });

  it('halt at a Degraded or failed child, naming it', () => {
    const degraded = decideWave([child('db', 1, { ...healthy, health: 'Degraded' }), child('web', 2)]);
    expect(degraded).toMatchObject({
      kind: 'halted',
      wave: 1,
      by: { app: 'db' },
      reason: `wave 1 halted: db@sandbox is Degraded at aaaaaaa; later waves wait`,
    });
    const failed = decideWave([child('db', 1, { requestedRevision: SHA, revision: OLD, syncStatus: 'Failed', health: 'Unknown' }), child('web', 2)]);
    expect(failed).toMatchObject({ kind: 'halted', by: { app: 'db' }, reason: expect.stringContaining('failed to sync') });
  });
});

describe('a child whose commit could not be resolved', () => {
  it('halts its wave, naming why, without starting the children after it', () => {
    const decision = decideWave([{ ...child('db', 1), problem: 'revision v9 not found in https://github.com/acme/db.git' }, child('web', 2)]);
    expect(decision).toEqual({
      kind: 'halted',
      wave: 1,
      by: expect.objectContaining({ app: 'db' }),
      reason: 'wave 1 halted: db@sandbox cannot sync: revision v9 not found in https://github.com/acme/db.git; later waves wait',
    });
  });

  it('is never done, even if its target records the commit as Synced and Healthy', () => {
    expect(decideWave([{ ...child('db', 1, healthy), problem: 'gone' }])).toMatchObject({ kind: 'halted', by: { app: 'db' } });
  });
});
