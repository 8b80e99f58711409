// Small pieces of the dashboard's views: diff line kinds (unified diff format), hash routes,
// ages and durations, and the revisions a rollback may pick.
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../../shared/api/contract.ts';
import { diffLines } from '../../../../functions/api/web/src/diff-lines.ts';
import { rollbackChoices } from '../../../../functions/api/web/src/rollback-choices.ts';
import { appHref, parseRoute, routeOf } from '../../../../functions/api/web/src/route.ts';
import { age, duration, shortSha } from '../../../../functions/api/web/src/time.ts';

describe('diffLines', () => {
  it('tells file headers, hunk headers, added, removed and context lines apart', () => {
    const diff = [
      '--- live/ConfigMap/shop/web-config',
      '+++ git/ConfigMap/shop/web-config',
      '@@ -1,3 +1,3 @@',
      ' data:',
      '-  color: blue',
      '+  color: green',
      '',
    ].join('\n');
    expect(diffLines(diff).map((line) => line.kind)).toEqual(['file', 'file', 'hunk', 'context', 'remove', 'add']);
    expect(diffLines(diff)[5].text).toBe('+  color: green');
  });

  it('is no lines for an empty diff', () => {
    expect(diffLines('')).toEqual([]);
  });
});

describe('routes', () => {
  it('reads the fleet and app views from the hash, and writes links that read back the same', () => {
    expect(parseRoute('')).toEqual({ view: 'fleet' });
    expect(parseRoute('#/')).toEqual({ view: 'fleet' });
    expect(parseRoute('#/apps/web')).toEqual({ view: 'app', app: 'web', cluster: undefined });
    expect(parseRoute(appHref('web', 'prod eu/1'))).toEqual({ view: 'app', app: 'web', cluster: 'prod eu/1' });
    expect(parseRoute('#/apps/%E0%A4%A')).toEqual({ view: 'app', app: '%E0%A4%A', cluster: undefined });
  });

  it("reads a check run's link by path (/apps/<app>?cluster=<cluster>) when there is no hash route, the hash first otherwise", () => {
    expect(routeOf({ pathname: '/apps/web', search: '?cluster=prod-eu', hash: '' })).toEqual({ view: 'app', app: 'web', cluster: 'prod-eu' });
    expect(routeOf({ pathname: '/apps/web', search: '', hash: '' })).toEqual({ view: 'app', app: 'web', cluster: undefined });
    expect(routeOf({ pathname: '/apps/web', search: '?cluster=a', hash: '#/apps/api/b' })).toEqual({ view: 'app', app: 'api', cluster: 'b' });
    expect(routeOf({ pathname: '/', search: '', hash: '' })).toEqual({ view: 'fleet' });
    expect(routeOf({ pathname: '/apps/web/extra', search: '', hash: '' })).toEqual({ view: 'fleet' });
  });
});

describe('age, duration, shortSha', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('shows the largest whole unit of an age', () => {
    expect(age('2026-12-01T11:59:48Z', now)).toBe('12s');
    expect(age('2026-12-01T11:55:00Z', now)).toBe('5m');
    expect(age('2026-12-01T09:00:00Z', now)).toBe('3h');
    expect(age('2026-11-29T12:00:00Z', now)).toBe('2d');
    expect(age(undefined, now)).toBe('');
    expect(age('not a time', now)).toBe('');
  });

  it('shows durations in ms, seconds, then minutes and seconds', () => {
    expect(duration(850)).toBe('850 ms');
    expect(duration(4200)).toBe('4.2 s');
    expect(duration(185_000)).toBe('3m 05s');
  });

  it('shortens a sha to the 7 characters git shows', () => {
    expect(shortSha('0123456789abcdef0123456789abcdef01234567')).toBe('0123456');
  });
});

describe('rollbackChoices', () => {
  const entry = (revision: string, status: string): HistoryEntry => ({
    revision,
    status,
    health: 'Healthy',
    message: '',
    startedAt: '2026-12-01T00:00:00Z',
    finishedAt: '2026-12-01T00:00:01Z',
    durationMs: 1000,
  });

  it('offers revisions that synced, newest first, once each, not the current one', () => {
    const history = [entry('c3', 'Synced'), entry('b2', 'Failed'), entry('a1', 'Synced'), entry('c3', 'Synced'), entry('a1', 'Synced'), entry('z0', 'Synced')];
    expect(rollbackChoices({ revision: 'c3', history })).toEqual(['a1', 'z0']);
  });

  it('offers nothing without a recorded successful sync of another revision', () => {
    expect(rollbackChoices({ revision: 'c3', history: [entry('c3', 'Synced'), entry('b2', 'Failed')] })).toEqual([]);
  });
});
