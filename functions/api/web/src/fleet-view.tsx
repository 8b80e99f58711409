// The fleet: every app × cluster in one table, with health counts, a health filter, a search box
// and grouping. Polls /api/fleet every 3 s with If-None-Match: a 304 changes nothing on screen.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FleetPage, FleetRow } from '../../../../shared/api/contract.ts';
import { HEALTH_STATUSES } from '../../../../shared/kube/health/status.ts';
import { FleetPoller } from './api.ts';
import { filterRows, firstRows, groupRows, labelKeys, reuseUnchanged, rowKey, type GroupBy } from './fleet-rows.ts';
import { FleetRowView } from './fleet-row.tsx';
import { usePoll } from './poll.ts';
import { age } from './time.ts';

export const POLL_MS = 3000;
/** Rows put on screen in the first frame; the rest follow in the next one (a screenful shows at once). */
const FIRST_FRAME_ROWS = 100;

export function FleetView() {
  const [page, setPage] = useState<FleetPage | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [now, setNow] = useState(() => Date.now());
  const [q, setQ] = useState('');
  const [health, setHealth] = useState('');
  const [groupBy, setGroupBy] = useState<GroupBy>('none');
  const [poller] = useState(() => new FleetPoller());
  const rows = useRef<FleetRow[]>([]);
  const [limit, setLimit] = useState(FIRST_FRAME_ROWS);

  usePoll(
    async () => {
      try {
        const next = await poller.poll();
        setNow(Date.now());
        setError(undefined);
        if (!next) return;
        rows.current = reuseUnchanged(rows.current, next.rows);
        setPage({ ...next, rows: rows.current });
      } catch (failure) {
        setError((failure as Error).message);
      }
    },
    POLL_MS,
    [],
  );

  const all = page?.rows ?? [];
  const keys = useMemo(() => labelKeys(all), [all]);
  const groups = useMemo(() => groupRows(filterRows(all, { q, health }), groupBy), [all, q, health, groupBy]);
  const shown = groups.reduce((sum, group) => sum + group.rows.length, 0);
  const visible = useMemo(() => firstRows(groups, limit), [groups, limit]);
  useEffect(() => {
    // After the first frame is painted, not before it (a timeout alone runs ahead of the paint).
    if (page && limit !== Infinity) requestAnimationFrame(() => setTimeout(() => setLimit(Infinity), 0));
  }, [page]);

  return (
    <main aria-labelledby="fleet-title">
      <h1 id="fleet-title">Fleet</h1>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="counts" aria-label="Health counts" data-testid="health-counts">
        {HEALTH_STATUSES.filter((state) => page?.healthCounts[state]).map((state) => (
          <li key={state}>
            <button type="button" class={`badge health-${state}`} aria-pressed={health === state} onClick={() => setHealth(health === state ? '' : state)}>
              {state} <span data-testid={`count-${state}`}>{page?.healthCounts[state]}</span>
            </button>
          </li>
        ))}
      </ul>
      <form class="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label>
          Search <input type="search" value={q} placeholder="app, cluster or project" onInput={(event) => setQ(event.currentTarget.value)} />
        </label>
        <label>
          Health{' '}
          <select value={health} onChange={(event) => setHealth(event.currentTarget.value)}>
            <option value="">all</option>
            {HEALTH_STATUSES.map((state) => (
              <option key={state} value={state}>
                {state}
              </option>
            ))}
          </select>
        </label>
        <label>
          Group by{' '}
          <select value={groupBy} onChange={(event) => setGroupBy(event.currentTarget.value as GroupBy)}>
            <option value="none">nothing</option>
            <option value="applicationSet">ApplicationSet</option>
            <option value="project">project</option>
            <option value="cluster">cluster</option>
            {keys.map((key) => (
              <option key={key} value={`label:${key}`}>
                cluster label {key}
              </option>
            ))}
          </select>
        </label>
        <span class="muted" role="status">
          {page ? `${shown} of ${page.total} shown` : 'loading…'}
        </span>
      </form>
      <table class="fleet" data-testid="fleet-table">
        <thead>
          <tr>
            <th scope="col">App</th>
            <th scope="col">Cluster</th>
            <th scope="col">Project</th>
            <th scope="col">Sync</th>
            <th scope="col">Health</th>
            <th scope="col">Drift</th>
            <th scope="col">Revision</th>
            <th scope="col">Last sync</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        {visible.map((group) => (
          <tbody key={group.name}>
            {group.name && (
              <tr class="group">
                <th scope="rowgroup" colSpan={9}>
                  {group.name} <span class="muted">({group.total})</span>
                </th>
              </tr>
            )}
            {group.rows.map((row) => (
              <FleetRowView key={rowKey(row)} row={row} age={age(row.lastSyncAt, now)} />
            ))}
          </tbody>
        ))}
      </table>
    </main>
  );
}
