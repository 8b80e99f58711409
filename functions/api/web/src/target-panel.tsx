// One app on one cluster: its state, the actions, the last error in full, rollout progress, the
// live resource tree, the diff against Git, the cluster's events and Driftless's own record
// (the sync history). Tree, diff and events are read again whenever the target's state changes
// (a sync finished, drift found), not on every poll.
import { useEffect, useState } from 'preact/hooks';
import type { ResourceTree, TargetDetail, TargetDiff, TargetEvents } from '../../../../shared/api/contract.ts';
import { getDiff, getEvents, getTree } from './api.ts';
import { Badge, Revision } from './badge.tsx';
import { DiffView } from './diff-view.tsx';
import { EventsTable } from './events-table.tsx';
import { HistoryTable } from './history-table.tsx';
import { RolloutActions } from './rollout-actions.tsx';
import { TargetActions } from './target-actions.tsx';
import { TreeView } from './tree-view.tsx';

type Loaded<T> = { value?: T; error?: string };

function useLoaded<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({});
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setState({ value }),
      (failure: unknown) => current && setState({ error: (failure as Error).message }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return state;
}

export function TargetPanel(props: { app: string; target: TargetDetail; onChanged(): void }) {
  const { app, target } = props;
  // What makes the live tree or the diff worth reading again.
  const stateKey = [target.cluster, target.revision, target.syncStatus, target.health, target.drift, target.history[0]?.finishedAt].join('|');
  const tree = useLoaded<ResourceTree>(() => getTree(app, target.cluster), stateKey);
  const diff = useLoaded<TargetDiff>(() => getDiff(app, target.cluster), stateKey);
  const events = useLoaded<TargetEvents>(() => getEvents(app, target.cluster), stateKey);

  return (
    <div class="target" data-testid="target" data-cluster={target.cluster}>
      <dl class="summary">
        <dt>Sync</dt>
        <dd>
          <Badge kind="sync" value={target.syncStatus} testId="sync-status" />
        </dd>
        <dt>Health</dt>
        <dd>
          <Badge kind="health" value={target.health} testId="health" />
        </dd>
        <dt>Drift</dt>
        <dd>
          <Badge kind="drift" value={target.drift} testId="drift" />
        </dd>
        <dt>Revision</dt>
        <dd>
          <Revision sha={target.revision} url={target.revisionUrl} />
          {target.requestedRevision && target.requestedRevision !== target.revision && (
            <span class="muted"> (requested {target.requestedRevision.slice(0, 7)})</span>
          )}
        </dd>
        {target.namespace && (
          <>
            <dt>Namespace</dt>
            <dd>{target.namespace}</dd>
          </>
        )}
        {(target.suspended || target.pinnedRevision) && (
          <>
            <dt>Held</dt>
            <dd data-testid="held">{target.pinnedRevision ? `pinned to ${target.pinnedRevision.slice(0, 7)}` : 'suspended'}</dd>
          </>
        )}
      </dl>
      {target.rollout && (
        <p data-testid="rollout" class="rollout">
          Rollout {target.rollout.set}: step {target.rollout.step} of {target.rollout.steps}
          {target.rollout.gate ? ` (gate: ${target.rollout.gate})` : ''}
          <progress max={target.rollout.steps} value={target.rollout.step} aria-label="Rollout progress" />
        </p>
      )}
      {target.rollout && <RolloutActions rollout={target.rollout} onDone={props.onChanged} />}
      <TargetActions app={app} target={target} onDone={props.onChanged} />
      {target.lastError && (
        <section aria-labelledby="last-error-title">
          <h3 id="last-error-title">Last error</h3>
          <pre class="last-error" data-testid="last-error">
            {target.lastError}
          </pre>
        </section>
      )}
      {target.driftedObjects.length > 0 && (
        <section aria-labelledby="drifted-title">
          <h3 id="drifted-title">Drifted objects</h3>
          <ul data-testid="drifted">
            {target.driftedObjects.map((object) => (
              <li key={`${object.group ?? ''}/${object.kind}/${object.namespace ?? ''}/${object.name}`}>
                {object.kind} {object.namespace ? `${object.namespace}/` : ''}
                {object.name}
                {object.reason ? <span class="muted"> — {object.reason}</span> : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="tree-title">
        <h3 id="tree-title">Resources</h3>
        {tree.error ? (
          <p role="alert" class="error">
            {tree.error}
          </p>
        ) : tree.value ? (
          <TreeView tree={tree.value} />
        ) : (
          <p class="muted">loading…</p>
        )}
      </section>
      <section aria-labelledby="diff-title">
        <h3 id="diff-title">Diff (live → Git)</h3>
        {diff.error ? (
          <p role="alert" class="error">
            {diff.error}
          </p>
        ) : diff.value ? (
          <DiffView diff={diff.value.diff} message={diff.value.message} />
        ) : (
          <p class="muted">loading…</p>
        )}
      </section>
      <section aria-labelledby="events-title">
        <h3 id="events-title">Events</h3>
        {events.error ? (
          <p role="alert" class="error">
            {events.error}
          </p>
        ) : events.value ? (
          <EventsTable events={events.value} now={Date.now()} />
        ) : (
          <p class="muted">loading…</p>
        )}
      </section>
      <section aria-labelledby="history-title">
        <h3 id="history-title">Sync history</h3>
        <HistoryTable history={target.history} />
      </section>
    </div>
  );
}
