// One app × cluster row. A class with shouldComponentUpdate: a poll that changed other rows
// leaves this one alone when its row object (reused when equal, fleet-rows.ts) and its age are
// the same, so a 1,000-row table re-renders only what changed. The row is kept small (status
// words color their own cell, no badge elements): 1,000 of them are laid out on a first load.
import { Component } from 'preact';
import type { FleetRow } from '../../../../shared/api/contract.ts';
import { appHref } from './route.ts';

export interface FleetRowProps {
  row: FleetRow;
  /** The last sync's age, as shown ("5m"); part of the props so a row re-renders when it ticks. */
  age: string;
}

export class FleetRowView extends Component<FleetRowProps> {
  override shouldComponentUpdate(next: FleetRowProps): boolean {
    return next.row !== this.props.row || next.age !== this.props.age;
  }

  override render() {
    const { row, age } = this.props;
    const held = row.pinnedRevision ? `pinned to ${row.pinnedRevision.slice(0, 7)}` : row.suspended ? 'suspended' : '';
    return (
      <tr data-testid="fleet-row" data-app={row.app} data-cluster={row.cluster}>
        <th scope="row">
          <a href={appHref(row.app, row.cluster)}>{row.app}</a>
          {held && <span class="tag">{held}</span>}
          {row.rollout && (
            <span class="tag rollout" data-testid="rollout" title={row.rollout.gate ? `${row.rollout.set}: ${row.rollout.gate}` : row.rollout.set}>
              step {row.rollout.step} of {row.rollout.steps}
            </span>
          )}
        </th>
        <td>{row.cluster}</td>
        <td>{row.project}</td>
        <td class={`sync-${row.syncStatus}`} data-testid="sync-status">
          {row.syncStatus}
        </td>
        <td class={`health-${row.health}`} data-testid="health">
          {row.health}
        </td>
        <td class={`drift-${row.drift}`} data-testid="drift">
          {row.drift}
        </td>
        <td>
          {row.revision && row.revisionUrl ? (
            <a href={row.revisionUrl} title={row.revision} class="sha" data-testid="revision" rel="noreferrer" target="_blank">
              {row.revision.slice(0, 7)}
            </a>
          ) : (
            <span title={row.revision} class="sha" data-testid="revision">
              {row.revision?.slice(0, 7) ?? ''}
            </span>
          )}
        </td>
        <td title={row.lastSyncAt}>{age}</td>
        <td title={row.message}>{row.message}</td>
      </tr>
    );
  }
}
