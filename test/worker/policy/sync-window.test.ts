// Sync windows as Argo CD's documentation states them ("Sync Windows" in the user guide and
// `argocd proj windows add`): no windows, always; with allow windows, only inside an active
// one; an active deny window wins over an active allow window; manualSync lets manual syncs
// through. The windows are read from AppProject YAML as the docs write it, and the clock is
// an argument: nothing sleeps. Expected instants are worked out from the schedules and the
// IANA rules of the zone (Europe/Amsterdam is UTC+2 from the last Sunday of March to the last
// Sunday of October, UTC+1 otherwise), not from the code under test.
import { describe, expect, it } from 'vitest';
import type { SyncWindowSpec } from '../../../shared/config/types.ts';
import type { SyncTrigger } from '../../../shared/queue/job.ts';
import { decideSyncWindow, type WindowTarget } from '../../../shared/worker/policy/sync-window.ts';
import { problemsOf, registryOf } from '../../config/registry-files.ts';

function windowsOf(yaml: string): SyncWindowSpec[] {
  const text = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: team, namespace: argocd}
spec:
  sourceRepos: ['*']
  destinations: [{server: '*', namespace: '*'}]
  syncWindows:
${yaml.replace(/^/gm, '  ')}`;
  const [project] = registryOf({ 'driftless/team.yaml': text }).projects;
  return project.syncWindows ?? [];
}

const web: WindowTarget = { app: 'web', namespace: 'shop', cluster: { name: 'prod', server: 'https://prod.example.com' } };
const at = (iso: string) => new Date(iso);
const decide = (windows: SyncWindowSpec[], iso: string, trigger: SyncTrigger = 'push', target: WindowTarget = web) =>
  decideSyncWindow(windows, target, trigger, at(iso));

describe('sync windows: which syncs run when', () => {
  const deny = windowsOf(`- kind: deny
  schedule: '10 1 * * *'
  duration: 1h
  applications: ['*']`);

  it('lets every sync run when the project has no windows', () => {
    expect(decide([], '2025-06-01T01:30:00Z')).toEqual({ action: 'sync' });
  });

  it('holds an automated sync inside a deny window until it ends, and names the window', () => {
    expect(decide(deny, '2025-06-01T01:30:00Z')).toEqual({
      action: 'wait',
      window: "deny '10 1 * * *' 1h",
      opensAt: at('2025-06-01T02:10:00Z'),
      message: "waiting for the sync window deny '10 1 * * *' 1h, opens at 2025-06-01T02:10:00Z",
    });
    // Every automated trigger waits: a push, a config change, a missed push, self-heal.
    for (const trigger of ['config', 'missed-push', 'self-heal'] as const) expect(decide(deny, '2025-06-01T01:30:00Z', trigger).action).toBe('wait');
  });

  it('counts the start of a window in and its end out: [01:10, 02:10)', () => {
    expect(decide(deny, '2025-06-01T01:09:59Z').action).toBe('sync');
    expect(decide(deny, '2025-06-01T01:10:00Z').action).toBe('wait');
    expect(decide(deny, '2025-06-01T02:09:59Z').action).toBe('wait');
    expect(decide(deny, '2025-06-01T02:10:00Z').action).toBe('sync');
  });

  it('lets syncs run only inside an allow window when one applies ("0 22 * * *" for 1h)', () => {
    const allow = windowsOf(`- kind: allow
  schedule: '0 22 * * *'
  duration: 1h
  applications: ['*']`);
    expect(decide(allow, '2025-06-01T12:00:00Z')).toMatchObject({
      action: 'wait',
      opensAt: at('2025-06-01T22:00:00Z'),
      message: "waiting for the sync window allow '0 22 * * *' 1h, opens at 2025-06-01T22:00:00Z",
    });
    expect(decide(allow, '2025-06-01T22:30:00Z')).toEqual({ action: 'sync' });
    // Closed at 23:00 sharp; the next opening is the next evening.
    expect(decide(allow, '2025-06-01T23:00:00Z')).toMatchObject({ action: 'wait', opensAt: at('2025-06-02T22:00:00Z') });
  });

  it('lets a deny window win over an active allow window, and opens when the deny ends inside the allow', () => {
    const windows = windowsOf(`- kind: allow
  schedule: '0 22 * * *'
  duration: 2h
  applications: ['*']
- kind: deny
  schedule: '30 22 * * *'
  duration: 15m
  applications: ['*']`);
    expect(decide(windows, '2025-06-01T22:10:00Z')).toEqual({ action: 'sync' });
    expect(decide(windows, '2025-06-01T22:40:00Z')).toMatchObject({ action: 'wait', window: "deny '30 22 * * *' 15m", opensAt: at('2025-06-01T22:45:00Z') });
  });

  it('finds the opening past windows that follow each other with no gap between them', () => {
    const windows = windowsOf(`- kind: deny
  schedule: '0 1 * * *'
  duration: 1h
  applications: ['*']
- kind: deny
  schedule: '0 2 * * *'
  duration: 1h
  applications: ['*']`);
    expect(decide(windows, '2025-06-01T01:30:00Z')).toMatchObject({ action: 'wait', opensAt: at('2025-06-01T03:00:00Z'), window: "deny '0 2 * * *' 1h" });
  });

  it('opens at the end of a deny window that covers the start of an allow window', () => {
    const windows = windowsOf(`- kind: allow
  schedule: '0 22 * * *'
  duration: 2h
  applications: ['*']
- kind: deny
  schedule: '0 22 * * *'
  duration: 1h
  applications: ['*']`);
    expect(decide(windows, '2025-06-01T21:00:00Z')).toMatchObject({ action: 'wait', opensAt: at('2025-06-01T23:00:00Z') });
  });

  it('lets syncs run when only deny windows apply and none is active', () => {
    expect(decide(deny, '2025-06-01T12:00:00Z')).toEqual({ action: 'sync' });
  });

  it('says so when no opening is found (a deny window active every minute)', () => {
    const always = windowsOf(`- kind: deny
  schedule: '* * * * *'
  duration: 1h
  applications: ['*']`);
    const decision = decide(always, '2025-06-01T12:00:00Z');
    expect(decision).toMatchObject({ action: 'wait', window: "deny '* * * * *' 1h" });
    expect(decision).not.toHaveProperty('opensAt');
    expect(decision.action === 'wait' && decision.message).toMatch(/^waiting for the sync window deny '\* \* \* \* \*' 1h, which does not open before \d{4}-/);
  });
});

describe('sync windows: manual syncs', () => {
  it('lets a manual sync (or a rollback) through a deny window with manualSync, and still holds automated syncs', () => {
    const windows = windowsOf(`- kind: deny
  schedule: '30 10 * * *'
  duration: 30m
  applications: ['*']
  manualSync: true`);
    expect(decide(windows, '2025-06-01T10:45:00Z', 'manual')).toEqual({ action: 'sync' });
    expect(decide(windows, '2025-06-01T10:45:00Z', 'rollback')).toEqual({ action: 'sync' });
    expect(decide(windows, '2025-06-01T10:45:00Z', 'push')).toMatchObject({ action: 'wait', opensAt: at('2025-06-01T11:00:00Z') });
  });

  it('refuses a manual sync inside a deny window without manualSync, saying why', () => {
    const windows = windowsOf(`- kind: deny
  schedule: '30 10 * * *'
  duration: 30m
  applications: ['*']`);
    expect(decide(windows, '2025-06-01T10:45:00Z', 'manual')).toEqual({
      action: 'refuse',
      window: "deny '30 10 * * *' 30m",
      message: "manual sync refused: the sync window deny '30 10 * * *' 30m denies syncs now, and it does not allow manual syncs (manualSync is off)",
    });
  });

  it('needs manualSync on every active deny window', () => {
    const windows = windowsOf(`- kind: deny
  schedule: '0 10 * * *'
  duration: 1h
  applications: ['*']
  manualSync: true
- kind: deny
  schedule: '30 10 * * *'
  duration: 1h
  applications: ['*']
  description: freeze`);
    expect(decide(windows, '2025-06-01T10:15:00Z', 'manual')).toEqual({ action: 'sync' });
    expect(decide(windows, '2025-06-01T10:45:00Z', 'manual')).toMatchObject({ action: 'refuse', window: 'freeze' });
  });

  it('outside every allow window, lets a manual sync through only when each allow window has manualSync', () => {
    const one = windowsOf(`- kind: allow
  schedule: '0 22 * * *'
  duration: 1h
  applications: ['*']
  manualSync: true`);
    expect(decide(one, '2025-06-01T12:00:00Z', 'manual')).toEqual({ action: 'sync' });
    const two = windowsOf(`- kind: allow
  schedule: '0 22 * * *'
  duration: 1h
  applications: ['*']
  manualSync: true
- kind: allow
  schedule: '0 4 * * *'
  duration: 1h
  applications: ['*']
  description: early`);
    expect(decide(two, '2025-06-01T12:00:00Z', 'manual')).toMatchObject({
      action: 'refuse',
      window: 'early',
      message:
        'manual sync refused: syncs may run only inside the sync window early, which is closed now, and it does not allow manual syncs (manualSync is off)',
    });
  });
});

describe('sync windows: which apps a window applies to', () => {
  // The example of Argo CD's docs, the three ways of selecting apps side by side.
  const documented = windowsOf(`- kind: allow
  schedule: '10 1 * * *'
  duration: 1h
  applications:
  - '*-prod'
  manualSync: true
- kind: deny
  schedule: '0 22 * * *'
  timeZone: "Europe/Amsterdam"
  duration: 1h
  namespaces:
  - default
- kind: allow
  schedule: '0 23 * * *'
  duration: 1h
  clusters:
  - in-cluster
  - cluster1`);
  const target = (app: string, namespace: string, cluster: string, server?: string): WindowTarget => ({ app, namespace, cluster: { name: cluster, server } });

  it('applies a window by app name glob, by destination namespace, and by cluster name or server URL', () => {
    // shop-prod matches only the first allow window: outside 01:10-02:10 it waits for it.
    expect(decide(documented, '2025-01-15T12:00:00Z', 'push', target('shop-prod', 'shop', 'eu'))).toMatchObject({
      action: 'wait',
      opensAt: at('2025-01-16T01:10:00Z'),
    });
    expect(decide(documented, '2025-01-15T01:30:00Z', 'push', target('shop-prod', 'shop', 'eu'))).toEqual({ action: 'sync' });
    // An app in no window's selection syncs whenever.
    expect(decide(documented, '2025-01-15T12:00:00Z', 'push', target('shop-staging', 'shop', 'eu'))).toEqual({ action: 'sync' });
    // The deny window by namespace: 22:00 in Amsterdam is 21:00 UTC in January.
    expect(decide(documented, '2025-01-15T21:30:00Z', 'push', target('shop-staging', 'default', 'eu'))).toMatchObject({
      action: 'wait',
      opensAt: at('2025-01-15T22:00:00Z'),
    });
    // By cluster name, and by server URL.
    expect(decide(documented, '2025-01-15T12:00:00Z', 'push', target('api', 'shop', 'cluster1'))).toMatchObject({
      action: 'wait',
      opensAt: at('2025-01-15T23:00:00Z'),
    });
    expect(decide(documented, '2025-01-15T12:00:00Z', 'push', target('api', 'shop', 'eu', 'in-cluster'))).toMatchObject({ action: 'wait' });
  });

  it('ORs the lists a window writes, or ANDs them with andOperator', () => {
    const windows = (andOperator: boolean) =>
      windowsOf(`- kind: deny
  schedule: '0 12 * * *'
  duration: 1h
  applications: ['web']
  namespaces: ['payments']
  andOperator: ${andOperator}`);
    expect(decide(windows(false), '2025-06-01T12:30:00Z').action).toBe('wait');
    expect(decide(windows(true), '2025-06-01T12:30:00Z').action).toBe('sync');
    expect(decide(windows(true), '2025-06-01T12:30:00Z', 'push', { ...web, namespace: 'payments' }).action).toBe('wait');
  });
});

describe('sync windows: time zones', () => {
  const amsterdam = windowsOf(`- kind: deny
  schedule: '0 22 * * *'
  timeZone: Europe/Amsterdam
  duration: 1h
  applications: ['*']`);

  it("reads the schedule in the window's zone: 22:00 in Amsterdam is 20:00 UTC in summer and 21:00 UTC in winter", () => {
    expect(decide(amsterdam, '2025-07-01T19:59:00Z').action).toBe('sync');
    expect(decide(amsterdam, '2025-07-01T20:30:00Z')).toMatchObject({
      action: 'wait',
      window: "deny '0 22 * * *' 1h Europe/Amsterdam",
      opensAt: at('2025-07-01T21:00:00Z'),
    });
    expect(decide(amsterdam, '2025-07-01T21:30:00Z').action).toBe('sync');
    expect(decide(amsterdam, '2025-12-01T20:30:00Z').action).toBe('sync');
    expect(decide(amsterdam, '2025-12-01T21:30:00Z')).toMatchObject({ action: 'wait', opensAt: at('2025-12-01T22:00:00Z') });
  });

  it('follows the clock change on the nights it happens: a 3h window from 01:00 lasts three elapsed hours', () => {
    const night = windowsOf(`- kind: deny
  schedule: '0 1 * * *'
  timeZone: Europe/Amsterdam
  duration: 3h
  applications: ['*']`);
    // 26 October 2025: 01:00 CEST is 23:00 UTC the day before; three hours later is 02:00 UTC (03:00 CET).
    expect(decide(night, '2025-10-25T22:59:00Z').action).toBe('sync');
    expect(decide(night, '2025-10-26T01:30:00Z')).toMatchObject({ action: 'wait', opensAt: at('2025-10-26T02:00:00Z') });
    // 30 March 2025: 01:00 CET is 00:00 UTC; it ends at 03:00 UTC (05:00 CEST).
    expect(decide(night, '2025-03-30T02:30:00Z')).toMatchObject({ action: 'wait', opensAt: at('2025-03-30T03:00:00Z') });
    expect(decide(night, '2025-03-30T03:00:00Z').action).toBe('sync');
  });

  it('asks an allow window in a zone for its next opening across the change (the evening of 25 and 26 October)', () => {
    const allow = windowsOf(`- kind: allow
  schedule: '0 22 * * *'
  timeZone: Europe/Amsterdam
  duration: 1h
  applications: ['*']`);
    expect(decide(allow, '2025-10-25T21:00:00Z')).toMatchObject({ action: 'wait', opensAt: at('2025-10-26T21:00:00Z') });
    expect(decide(allow, '2025-10-25T20:00:00Z')).toEqual({ action: 'sync' });
  });
});

describe('sync windows in the registry', () => {
  const project = (window: string) => `apiVersion: driftless.io/v1alpha1
kind: Project
metadata: {name: team}
spec:
  syncWindows:
  - ${window}
`;

  it("reads our Project with Argo CD's defaults: UTC, manualSync and andOperator off", () => {
    const [team] = registryOf({ 'driftless/team.yaml': project(`{kind: deny, schedule: '10 1 * * *', duration: 1h, applications: ['*']}`) }).projects;
    expect(team.syncWindows).toEqual([
      {
        kind: 'deny',
        schedule: '10 1 * * *',
        duration: '1h',
        durationMs: 3_600_000,
        timeZone: 'UTC',
        applications: ['*'],
        namespaces: [],
        clusters: [],
        manualSync: false,
        andOperator: false,
      },
    ]);
  });

  it("refuses what Argo CD's parsers would not read, at its line", () => {
    const refused: Array<[string, RegExp]> = [
      [`{kind: deny, schedule: '@daily', duration: 1h, applications: ['*']}`, /five/],
      [`{kind: deny, schedule: '0 10 1 * * *', duration: 1h, applications: ['*']}`, /has 6 field/],
      [`{kind: deny, schedule: '0 0 L * *', duration: 1h, applications: ['*']}`, /cannot read "L"/],
      [`{kind: deny, schedule: '61 0 * * *', duration: 1h, applications: ['*']}`, /61/],
      [`{kind: deny, schedule: '0 1 * * *', duration: '3600', applications: ['*']}`, /with its unit/],
      [`{kind: deny, schedule: '0 1 * * *', duration: 1h, timeZone: Mars/Olympus, applications: ['*']}`, /IANA time zone/],
      [`{kind: deny, schedule: '0 1 * * *', duration: 1h}`, /applies to nothing/],
      [`{kind: pause, schedule: '0 1 * * *', duration: 1h, applications: ['*']}`, /kind/],
    ];
    for (const [window, message] of refused) {
      const problems = problemsOf({ 'driftless/team.yaml': project(window) }).join('\n');
      expect(problems, window).toMatch(message);
      // Named where it is: the file and the line of the project document.
      expect(problems, window).toMatch(/driftless\/team\.yaml:\d+/);
    }
  });
});
