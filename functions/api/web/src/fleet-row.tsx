// One app × cluster row. A class with shouldComponentUpdate: a poll that changed other rows
// leaves this one alone when its row object (reused when equal, fleet-rows.ts) and its age are
// the same, so a 1,000-row table re-renders only what changed.
import { Component } from 'preact';
import type { FleetRow } from '../../../../shared/api/contract.ts';
import { Badge, Revision } from './badge.tsx';
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
    return (
      <tr data-testid="fleet-row" data-app={row.app} data-cluster={row.cluster}>
        <th scope="row">
          <a href={appHref(row.app, row.cluster)}>{row.app}</a>
          {row.suspended && (
            <span class="tag" title="Syncs are suspended">
              suspended
            </span>
          )}
          {row.pinnedRevision && (
            <span class="tag" title={`Pinned to ${row.pinnedRevision}`}>
              pinned
            </span>
          )}
        </th>
        <td>{row.cluster}</td>
        <td>{row.project}</td>
        <td>
          <Badge kind="sync" value={row.syncStatus} testId="sync-status" />
        </td>
        <td>
          <Badge kind="health" value={row.health} testId="health" />
        </td>
        <td>
          <Badge kind="drift" value={row.drift} testId="drift" />
        </td>
        <td>
          <Revision sha={row.revision} url={row.revisionUrl} />
        </td>
        <td>{row.lastSyncAt ? <time dateTime={row.lastSyncAt}>{age}</time> : ''}</td>
        <td class="message" title={row.message}>
          {row.message}
        </td>
      </tr>
    );
  }
}
