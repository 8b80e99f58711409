// The decision behind CancelHealthCheckOnNewRevision: a sync stops waiting for health when its
// target now wants another commit (Flux: a newer source revision), or when the rollout that
// started it no longer holds the target; otherwise it waits on.
import { describe, expect, it } from 'vitest';
import { healthCheckCancellation } from '../../shared/worker/policy/cancel-health.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('healthCheckCancellation', () => {
  it('waits on while the requested revision is the job’s own', () => {
    expect(healthCheckCancellation({ revision: A }, { requestedRevision: A })).toBeUndefined();
    expect(healthCheckCancellation({ revision: A }, {})).toBeUndefined();
  });

  it('waits on when the target’s item cannot be read as anything (gone)', () => {
    expect(healthCheckCancellation({ revision: A }, undefined)).toBeUndefined();
  });

  it('cancels when a newer revision was requested, naming both commits', () => {
    expect(healthCheckCancellation({ revision: A }, { requestedRevision: B })).toEqual({
      message: 'health check cancelled: aaaaaaa superseded by bbbbbbb',
      status: 'superseded by bbbbbbb while waiting for health: health check cancelled',
    });
  });

  it('a newer revision cancels a rollout’s sync too, whatever the rollout item says', () => {
    const decision = healthCheckCancellation(
      { revision: A, rollout: { set: 'guestbook', id: A } },
      { requestedRevision: B, rollout: { set: 'guestbook', id: A } },
    );
    expect(decision?.message).toBe('health check cancelled: aaaaaaa superseded by bbbbbbb');
  });

  it('waits on while the target still takes part in the rollout that started the sync', () => {
    expect(
      healthCheckCancellation({ revision: A, rollout: { set: 'guestbook', id: A } }, { requestedRevision: A, rollout: { set: 'guestbook', id: A } }),
    ).toBeUndefined();
  });

  it('cancels a rollout’s sync once a newer rollout of the set holds the target', () => {
    expect(
      healthCheckCancellation({ revision: A, rollout: { set: 'guestbook', id: A } }, { requestedRevision: A, rollout: { set: 'guestbook', id: B } }),
    ).toEqual({
      message: 'health check cancelled: aaaaaaa (rollout aaaaaaa of guestbook) superseded by rollout bbbbbbb',
      status: 'superseded by rollout bbbbbbb while waiting for health: health check cancelled',
    });
  });

  it('cancels a rollout’s sync once the target takes part in no rollout', () => {
    expect(healthCheckCancellation({ revision: A, rollout: { set: 'guestbook', id: A } }, { requestedRevision: A })).toEqual({
      message: 'health check cancelled: aaaaaaa: rollout aaaaaaa of guestbook no longer includes this target',
      status: 'rollout aaaaaaa of guestbook no longer includes this target: health check cancelled',
    });
  });

  it('a plain sync is not cancelled by a rollout on the target', () => {
    expect(healthCheckCancellation({ revision: A }, { requestedRevision: A, rollout: { set: 'guestbook', id: B } })).toBeUndefined();
  });
});
