// What the fleet view does with the rows it got: keep unchanged rows the same objects between
// polls (so their table rows are not rendered again), filter, group and count. Plain functions,
// no DOM: the unit tests run them under Node.
import type { FleetRow } from '../../../../shared/api/contract.ts';

export const rowKey = (row: Pick<FleetRow, 'app' | 'cluster'>): string => `${row.app}\u0000${row.cluster}`;

/** `next` with every row equal to one in `previous` replaced by that same object. */
export function reuseUnchanged(previous: readonly FleetRow[], next: readonly FleetRow[]): FleetRow[] {
  const before = new Map(previous.map((row) => [rowKey(row), { row, json: JSON.stringify(row) }]));
  return next.map((row) => {
    const old = before.get(rowKey(row));
    return old && old.json === JSON.stringify(row) ? old.row : row;
  });
}

export interface RowFilter {
  /** Substring of the app, cluster or project, any case. */
  q: string;
  /** One health state, or '' for all. */
  health: string;
}

export function filterRows(rows: readonly FleetRow[], filter: RowFilter): FleetRow[] {
  const q = filter.q.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (!filter.health || row.health === filter.health) &&
      (!q || row.app.toLowerCase().includes(q) || row.cluster.toLowerCase().includes(q) || row.project.toLowerCase().includes(q)),
  );
}

/** 'none', 'applicationSet', 'project', 'cluster', or 'label:<key>' for a cluster label. */
export type GroupBy = 'none' | 'applicationSet' | 'project' | 'cluster' | `label:${string}`;

export interface RowGroup {
  /** Empty when not grouping. */
  name: string;
  rows: FleetRow[];
}

const NO_VALUE = '(none)';

function groupName(row: FleetRow, by: GroupBy): string {
  if (by === 'applicationSet') return row.applicationSet ?? NO_VALUE;
  if (by === 'project') return row.project;
  if (by === 'cluster') return row.cluster;
  if (by.startsWith('label:')) return row.clusterLabels[by.slice('label:'.length)] ?? NO_VALUE;
  return '';
}

/** Groups in name order (rows without a value last), rows in the order given. */
export function groupRows(rows: readonly FleetRow[], by: GroupBy): RowGroup[] {
  if (by === 'none') return [{ name: '', rows: [...rows] }];
  const groups = new Map<string, FleetRow[]>();
  for (const row of rows) {
    const name = groupName(row, by);
    const list = groups.get(name);
    if (list) list.push(row);
    else groups.set(name, [row]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === NO_VALUE ? 1 : b === NO_VALUE ? -1 : a.localeCompare(b)))
    .map(([name, list]) => ({ name, rows: list }));
}

/** Every cluster label key the rows carry, sorted: the "group by label" choices. */
export function labelKeys(rows: readonly FleetRow[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row.clusterLabels)) keys.add(key);
  return [...keys].sort();
}

/** The groups cut to their first `limit` rows in all, for a first frame; each keeps its full count as `total`. */
export function firstRows(groups: RowGroup[], limit: number): Array<RowGroup & { total: number }> {
  let left = limit;
  const cut: Array<RowGroup & { total: number }> = [];
  for (const group of groups) {
    if (left <= 0) break;
    cut.push({ ...group, rows: group.rows.length <= left ? group.rows : group.rows.slice(0, left), total: group.rows.length });
    left -= group.rows.length;
  }
  return cut;
}
