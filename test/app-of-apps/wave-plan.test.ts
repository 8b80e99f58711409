// Which children a parent's new sync puts in its wave plan: the ones it made new or changed,
// and what an earlier rollout of the parent left unfinished (so a push touching one child does
// not strand a wave that had not started yet); a carried child that followed the parent's
// commit follows the new one; finished children and children no longer rendered stay out.
import { describe, expect, it } from 'vitest';
import { planChildren, waveChildren } from '../../shared/app-of-apps/wave-plan.ts';
import type { TargetState, WavePlan, WavePlanChild } from '../../shared/state/types.ts';

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
const OTHER_REPO = 'c'.repeat(40);

function planned(app: string, wave: number, revision = OLD): WavePlanChild {
  return { app, cluster: 'sandbox', wave, revision };
}

function plan(children: WavePlanChild[]): WavePlan {
  return {
    app: 'root',
    cluster: 'sandbox',
    revision: OLD,
    repoURL: 'https://github.com/acme/gitops.git',
    children,
    status: 'running',
    wave: 1,
    createdAt: '',
    updatedAt: '',
  };
}

function states(entries: Record<string, Partial<TargetState>>): Map<string, TargetState> {
  return new Map(Object.entries(entries).map(([app, state]) => [`${app}@sandbox`, { app, cluster: 'sandbox', ...state }]));
}

describe('a wave plan', () => {
  it("carries the earlier rollout's unfinished children, at the new commit when they followed the parent", () => {
    const previous = plan([planned('db', 1), planned('web', 2), planned('vendor', 2, OTHER_REPO)]);
    const children = planChildren(
      [planned('db', 1, NEW)],
      previous,
      NEW,
      new Set(['db', 'web', 'vendor']),
      states({ db: { revision: OLD, syncStatus: 'Syncing', health: 'Progressing' } }),
    );
    expect(children).toEqual([planned('db', 1, NEW), planned('web', 2, NEW), planned('vendor', 2, OTHER_REPO)]);
  });

  it("leaves out children that are done at their commit or no longer the parent's", () => {
    const previous = plan([planned('db', 1), planned('web', 2), planned('gone', 2)]);
    const children = planChildren([], previous, NEW, new Set(['db', 'web']), states({ db: { revision: OLD, syncStatus: 'Synced', health: 'Healthy' } }));
    expect(children).toEqual([planned('web', 2, NEW)]);
  });

  it("is read by the policy with each child's recorded state and any problem", () => {
    const current = plan([planned('db', 1), { app: 'web', cluster: 'sandbox', wave: 2, problem: 'no such tag' }]);
    const read = waveChildren(current, states({ db: { requestedRevision: OLD, syncStatus: 'Syncing' } }));
    expect(read).toEqual([
      { app: 'db', cluster: 'sandbox', wave: 1, revision: OLD, state: { app: 'db', cluster: 'sandbox', requestedRevision: OLD, syncStatus: 'Syncing' } },
      { app: 'web', cluster: 'sandbox', wave: 2, revision: '', problem: 'no such tag', state: undefined },
    ]);
  });
});
