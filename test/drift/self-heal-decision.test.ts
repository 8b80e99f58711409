// Self-heal's decision, pure: new drift heals at once; the same field drifting again after a
// heal backs off as Argo CD's self-heal does with its documented defaults
// (--self-heal-backoff-timeout-seconds 2, --self-heal-backoff-factor 3,
// --self-heal-backoff-cap-seconds 300: waits of 2, 6, 18, 54, 162 s, then 300 s).
import { describe, expect, it } from 'vitest';
import { decideHeal, healKeys, MAX_HEAL_RECORDS, selfHealDelayMs, type HealDecision } from '../../shared/drift/self-heal.ts';
import type { ObjectDrift } from '../../shared/drift/types.ts';
import type { HealRecord } from '../../shared/state/types.ts';

const SECOND = 1000;
const start = Date.parse('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(start + ms);
const target = (records?: HealRecord[]) => ({ revision: 'r1', requestedRevision: 'r1', selfHealRecords: records });

const deployment = (path: string): ObjectDrift => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'web',
  state: 'modified',
  fields: [{ path, managers: [{ manager: 'kubectl-scale', operation: 'Update', subresource: 'scale' }] }],
});
const missingConfigMap: ObjectDrift = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web-config', state: 'missing' };

function healed(decision: HealDecision): HealRecord[] {
  if (decision.action !== 'heal') throw new Error(`expected a heal, got ${JSON.stringify(decision)}`);
  return decision.records;
}

describe('the backoff between heals of the same drift', () => {
  it("is Argo CD's: 2 s, then ×3, capped at 300 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((attempts) => selfHealDelayMs(attempts) / SECOND)).toEqual([2, 6, 18, 54, 162, 300, 300, 300]);
    expect(selfHealDelayMs(0)).toBe(0);
  });

  it('a fight against one field heals at 0, 2, 8, 26, 80, 242 s and then every 300 s: 17 heals in its first hour, 12 in the next', () => {
    const keys = healKeys([deployment('.spec.replicas')]);
    let records: HealRecord[] | undefined;
    const heals: number[] = [];
    // A scan every second for two hours, each finding the field changed again.
    for (let second = 0; second < 7200; second++) {
      const decision = decideHeal(target(records), keys, at(second * SECOND));
      if (decision.action === 'heal') {
        heals.push(second);
        records = decision.records;
      }
    }
    expect(heals.slice(0, 8)).toEqual([0, 2, 8, 26, 80, 242, 542, 842]);
    expect(heals.filter((second) => second < 3600)).toHaveLength(17);
    expect(heals.filter((second) => second >= 3600 && second < 7200)).toHaveLength(12);
  });
});

describe('deciding a heal', () => {
  it('heals new drift at once and records it, one attempt, as a hash', () => {
    const decision = decideHeal(target(), healKeys([deployment('.spec.replicas')]), at(0));
    expect(decision).toMatchObject({ action: 'heal', fresh: 1, fights: 0 });
    expect(healed(decision)).toEqual([{ key: expect.stringMatching(/^[0-9a-f]{16}$/), attempts: 1, healedAt: at(0).toISOString() }]);
    expect(JSON.stringify(decision)).not.toMatch(/web|Deployment|replicas/);
  });

  it('heals a different object at once, right after a heal of another', () => {
    const first = healed(decideHeal(target(), healKeys([deployment('.spec.replicas')]), at(0)));
    const decision = decideHeal(target(first), healKeys([missingConfigMap]), at(1 * SECOND));
    expect(decision).toMatchObject({ action: 'heal', fresh: 1, fights: 0 });
    expect(healed(decision)).toHaveLength(2);
  });

  it('heals another field of the same object at once: a new path is new drift', () => {
    const first = healed(decideHeal(target(), healKeys([deployment('.spec.replicas')]), at(0)));
    expect(decideHeal(target(first), healKeys([deployment('.spec.template.spec.containers[name=web].image')]), at(1 * SECOND))).toMatchObject({
      action: 'heal',
      fresh: 1,
    });
  });

  it('makes the same field wait 2 s after its first heal, 6 s after its second', () => {
    const keys = healKeys([deployment('.spec.replicas')]);
    const first = healed(decideHeal(target(), keys, at(0)));
    expect(decideHeal(target(first), keys, at(1.5 * SECOND))).toEqual({ action: 'wait', until: at(2 * SECOND).toISOString(), fights: 1 });
    const second = healed(decideHeal(target(first), keys, at(2 * SECOND)));
    expect(second).toEqual([{ key: keys[0], attempts: 2, healedAt: at(2 * SECOND).toISOString() }]);
    expect(decideHeal(target(second), keys, at(7.9 * SECOND))).toMatchObject({ action: 'wait', until: at(8 * SECOND).toISOString() });
    expect(healed(decideHeal(target(second), keys, at(8 * SECOND)))[0]).toMatchObject({ attempts: 3 });
  });

  it('a missing object deleted again after its heal is a fight too', () => {
    const keys = healKeys([missingConfigMap]);
    const first = healed(decideHeal(target(), keys, at(0)));
    expect(decideHeal(target(first), keys, at(1 * SECOND))).toMatchObject({ action: 'wait', fights: 1 });
  });

  it('new drift beside a fight heals at once, and the fight counts one more heal', () => {
    const replicas = healKeys([deployment('.spec.replicas')]);
    const first = healed(decideHeal(target(), replicas, at(0)));
    const decision = decideHeal(target(first), healKeys([deployment('.spec.replicas'), missingConfigMap]), at(1 * SECOND));
    expect(decision).toMatchObject({ action: 'heal', fresh: 1, fights: 1 });
    expect(healed(decision).find((record) => record.key === replicas[0])).toMatchObject({ attempts: 2 });
  });

  it('a drift of fights only waits for the longest of their waits', () => {
    const replicas = healKeys([deployment('.spec.replicas')]);
    const image = healKeys([deployment('.spec.template.spec.containers[name=web].image')]);
    let records = healed(decideHeal(target(), replicas, at(0)));
    records = healed(decideHeal(target(records), replicas, at(2 * SECOND))); // replicas: 2 heals, waits 6 s
    records = healed(decideHeal(target(records), image, at(3 * SECOND))); // image: 1 heal, waits 2 s
    expect(decideHeal(target(records), [...replicas, ...image], at(6 * SECOND))).toEqual({ action: 'wait', until: at(8 * SECOND).toISOString(), fights: 2 });
  });

  it('keeps at most MAX_HEAL_RECORDS records, dropping the oldest', () => {
    let records: HealRecord[] | undefined;
    for (let index = 0; index < MAX_HEAL_RECORDS + 10; index++) {
      records = healed(decideHeal(target(records), healKeys([{ ...missingConfigMap, name: `cm-${index}` }]), at(index * SECOND)));
    }
    expect(MAX_HEAL_RECORDS).toBe(50);
    expect(records).toHaveLength(50);
    expect(records?.at(-1)?.healedAt).toBe(at(10 * SECOND).toISOString());
    // The oldest were forgotten: drifting again, they are new.
    expect(decideHeal(target(records), healKeys([{ ...missingConfigMap, name: 'cm-0' }]), at(61 * SECOND))).toMatchObject({ action: 'heal', fresh: 1 });
  });

  it('never heals back over a newer requested commit', () => {
    expect(decideHeal({ revision: 'r1', requestedRevision: 'r2' }, healKeys([missingConfigMap]), at(0))).toEqual({
      action: 'newer-revision-pending',
      requestedRevision: 'r2',
    });
  });
});

describe('what a heal puts back', () => {
  it('one key per drifted field and per missing object; orphans give none', () => {
    const twoFields: ObjectDrift = {
      ...deployment('.spec.replicas'),
      fields: [...deployment('.spec.replicas').fields!, { path: '.metadata.labels.tier', managers: [] }],
    };
    expect(healKeys([twoFields])).toHaveLength(2);
    expect(healKeys([missingConfigMap])).toHaveLength(1);
    expect(healKeys([{ ...missingConfigMap, state: 'orphaned' }])).toEqual([]);
  });

  it('tells objects apart by group, kind, namespace and name, not by version', () => {
    const key = healKeys([deployment('.spec.replicas')])[0];
    expect(healKeys([{ ...deployment('.spec.replicas'), apiVersion: 'apps/v1beta2' }])[0]).toBe(key);
    expect(healKeys([{ ...deployment('.spec.replicas'), namespace: 'other' }])[0]).not.toBe(key);
    expect(healKeys([{ ...deployment('.spec.replicas'), kind: 'StatefulSet' }])[0]).not.toBe(key);
    expect(healKeys([{ ...deployment('.spec.replicas'), name: 'api' }])[0]).not.toBe(key);
  });
});
