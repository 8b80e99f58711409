// applicationsSync as Argo CD's "Controlling Resource Modification" page defines each policy:
// create-only prevents the controller from modifying or deleting Applications, create-update
// from deleting them, create-delete from modifying them, sync allows both.
import { describe, expect, it } from 'vitest';
import { applyApplicationsSync } from '../../shared/appset/lifecycle.ts';
import type { ApplicationsSync } from '../../shared/appset/types.ts';

interface App {
  name: string;
  version: number;
}

// In force: a@1 and b@1. The set now generates a@2 (changed) and c@1 (new); b is no longer generated.
const inForce: App[] = [
  { name: 'a', version: 1 },
  { name: 'b', version: 1 },
];
const generated: App[] = [
  { name: 'a', version: 2 },
  { name: 'c', version: 1 },
];

const table: Array<{ policy: ApplicationsSync; apps: App[]; removed: string[]; held: string[] }> = [
  {
    policy: 'sync',
    apps: [
      { name: 'a', version: 2 },
      { name: 'c', version: 1 },
    ],
    removed: ['b'],
    held: [],
  },
  {
    policy: 'create-update',
    apps: [
      { name: 'a', version: 2 },
      { name: 'c', version: 1 },
      { name: 'b', version: 1 },
    ],
    removed: [],
    held: [],
  },
  {
    policy: 'create-delete',
    apps: [
      { name: 'a', version: 1 },
      { name: 'c', version: 1 },
    ],
    removed: ['b'],
    held: ['a'],
  },
  {
    policy: 'create-only',
    apps: [
      { name: 'a', version: 1 },
      { name: 'c', version: 1 },
      { name: 'b', version: 1 },
    ],
    removed: [],
    held: ['a'],
  },
];

describe('applicationsSync', () => {
  for (const row of table) {
    it(`${row.policy}: creates c; ${row.held.length > 0 ? 'keeps a as in force' : 'updates a'}; ${row.removed.length > 0 ? 'deletes b' : 'keeps b'}`, () => {
      const result = applyApplicationsSync(row.policy, inForce, generated);
      expect(result.apps).toEqual(row.apps);
      expect(result.removed.map((app) => app.name)).toEqual(row.removed);
      expect(result.held).toEqual(row.held);
    });
  }

  it('a first evaluation (nothing in force) creates every generated app under every policy', () => {
    for (const { policy } of table) {
      expect(applyApplicationsSync(policy, [], generated)).toEqual({ apps: generated, removed: [], held: [] });
    }
  });

  it('an app kept by the policy is the very object in force, not a copy', () => {
    const result = applyApplicationsSync('create-only', inForce, generated);
    expect(result.apps[0]).toBe(inForce[0]);
    expect(result.apps[2]).toBe(inForce[1]);
  });
});
