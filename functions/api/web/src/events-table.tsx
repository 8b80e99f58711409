// A target's Kubernetes Events (GET .../events), newest first: type, reason, the object, the
// message as the cluster gave it, how many times and when last. Warnings are marked in words
// as well as color.
import type { TargetEvents } from '../../../../shared/api/contract.ts';
import { age } from './time.ts';

export function EventsTable(props: { events: TargetEvents; now: number }) {
  const { events, truncated } = props.events;
  if (events.length === 0) return <p class="muted">No events for these objects (the cluster keeps them for about an hour).</p>;
  return (
    <>
      <table class="events" data-testid="events">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Reason</th>
            <th scope="col">Object</th>
            <th scope="col">Message</th>
            <th scope="col">Count</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event, index) => (
            <tr key={`${index}-${event.object.kind}-${event.object.name}-${event.reason}`} data-testid="event-row" data-type={event.type}>
              <td class={event.type === 'Warning' ? 'event-warning' : 'muted'}>{event.type}</td>
              <td>{event.reason}</td>
              <td>
                {event.object.kind} {event.object.namespace ? `${event.object.namespace}/` : ''}
                {event.object.name}
              </td>
              <td class="event-message">{event.message}</td>
              <td>{event.count}</td>
              <td>{event.lastTimestamp ? <time dateTime={event.lastTimestamp}>{age(event.lastTimestamp, props.now)} ago</time> : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {truncated && <p class="muted">Only the newest {events.length} are shown.</p>}
    </>
  );
}
