// A target's sync history, newest first: revision, outcome, health, trigger, when, how long.
import type { HistoryEntry } from '../../../../shared/api/contract.ts';
import { Badge } from './badge.tsx';
import { duration, shortSha } from './time.ts';

export function HistoryTable(props: { history: HistoryEntry[] }) {
  if (props.history.length === 0) return <p class="muted">No syncs yet.</p>;
  return (
    <table class="history" data-testid="history">
      <thead>
        <tr>
          <th scope="col">Revision</th>
          <th scope="col">Result</th>
          <th scope="col">Health</th>
          <th scope="col">Trigger</th>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {props.history.map((entry) => (
          <tr key={`${entry.startedAt}-${entry.revision}`} data-testid="history-row">
            <td>
              <code title={entry.revision}>{shortSha(entry.revision)}</code>
            </td>
            <td>
              <Badge kind="sync" value={entry.status} />
            </td>
            <td>
              <Badge kind="health" value={entry.health} />
            </td>
            <td>{entry.reason ?? ''}</td>
            <td>
              <time dateTime={entry.startedAt}>{new Date(entry.startedAt).toLocaleString()}</time>
            </td>
            <td>{duration(entry.durationMs)}</td>
            <td class="message">{entry.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
