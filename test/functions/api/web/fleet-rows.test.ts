// The fleet view's row handling: unchanged rows stay the same objects across polls (what lets
// the table skip them), search and health filters, grouping by ApplicationSet, project, cluster
// and cluster label.
import { describe, expect, it } from 'vitest';
import type { FleetRow } from '../../../../shared/api/contract.ts';
import { filterRows, firstRows, groupRows, labelKeys, reuseUnchanged } from '../../../../functions/api/web/src/fleet-rows.ts';

function row(fields: Partial<FleetRow> & Pick<FleetRow, 'app' | 'cluster'>): FleetRow {
  return {
    project: 'default',
    clusterLabels: {},
    syncStatus: 'Synced',
    health: 'Healthy',
    drift: 'InSync',
    suspended: false,
    allowed: { sync: true, rollback: true, suspend: true },
    ...fields,
  };
}

const web = row({ app: 'web', cluster: 'prod-eu', project: 'shop', applicationSet: 'storefront', clusterLabels: { env: 'prod' } });
const api = row({ app: 'api', cluster: 'staging', project: 'shop', health: 'Degraded', clusterLabels: { env: 'staging', region: 'eu' } });
const jobs = row({ app: 'jobs', cluster: 'prod-eu', project: 'platform', health: 'Progressing' });

describe('reuseUnchanged', () => {
  it('keeps the previous object of a row whose fields are all equal, and takes the new one of a changed row', () => {
    const previous = [web, api];
    const next = [structuredClone(web), { ...structuredClone(api), revision: 'b'.repeat(40) }];
    const merged = reuseUnchanged(previous, next);
    expect(merged[0]).toBe(web);
    expect(merged[1]).toBe(next[1]);
    expect(merged[1]).not.toBe(api);
  });

  it('tells rows apart by app and cluster, not by position', () => {
    const sameAppOtherCluster = { ...structuredClone(web), cluster: 'staging' };
    const merged = reuseUnchanged([web], [sameAppOtherCluster, structuredClone(web)]);
    expect(merged[0]).toBe(sameAppOtherCluster);
    expect(merged[1]).toBe(web);
  });
});

describe('filterRows', () => {
  const rows = [web, api, jobs];

  it('matches the search text in app, cluster or project, ignoring case', () => {
    expect(filterRows(rows, { q: 'WEB', health: '' })).toEqual([web]);
    expect(filterRows(rows, { q: 'prod-eu', health: '' })).toEqual([web, jobs]);
    expect(filterRows(rows, { q: 'platform', health: '' })).toEqual([jobs]);
    expect(filterRows(rows, { q: '  ', health: '' })).toEqual(rows);
  });

  it('keeps only the chosen health state, combined with the search', () => {
    expect(filterRows(rows, { q: '', health: 'Degraded' })).toEqual([api]);
    expect(filterRows(rows, { q: 'shop', health: 'Healthy' })).toEqual([web]);
    expect(filterRows(rows, { q: 'jobs', health: 'Healthy' })).toEqual([]);
  });
});

describe('groupRows', () => {
  const rows = [web, api, jobs];
  const names = (by: Parameters<typeof groupRows>[1]) => groupRows(rows, by).map((group) => [group.name, group.rows.map((r) => r.app)]);

  it('is one unnamed group when not grouping', () => {
    expect(names('none')).toEqual([['', ['web', 'api', 'jobs']]]);
  });

  it('groups by project and cluster in name order, rows in the order given', () => {
    expect(names('project')).toEqual([
      ['platform', ['jobs']],
      ['shop', ['web', 'api']],
    ]);
    expect(names('cluster')).toEqual([
      ['prod-eu', ['web', 'jobs']],
      ['staging', ['api']],
    ]);
  });

  it('puts rows without an ApplicationSet or without the label last, under "(none)"', () => {
    expect(names('applicationSet')).toEqual([
      ['storefront', ['web']],
      ['(none)', ['api', 'jobs']],
    ]);
    expect(names('label:env')).toEqual([
      ['prod', ['web']],
      ['staging', ['api']],
      ['(none)', ['jobs']],
    ]);
  });

  it('offers every cluster label key once, sorted', () => {
    expect(labelKeys(rows)).toEqual(['env', 'region']);
  });
});

describe('firstRows', () => {
  it('keeps the first rows across groups up to the limit, each group with its full count', () => {
    const groups = groupRows([web, api, jobs], 'cluster');
    expect(firstRows(groups, 1).map((group) => [group.name, group.rows.map((r) => r.app), group.total])).toEqual([['prod-eu', ['web'], 2]]);
    expect(firstRows(groups, 3).map((group) => [group.name, group.rows.map((r) => r.app), group.total])).toEqual([
      ['prod-eu', ['web', 'jobs'], 2],
      ['staging', ['api'], 1],
    ]);
    expect(firstRows(groups, Infinity).flatMap((group) => group.rows)).toHaveLength(3);
  });
});
