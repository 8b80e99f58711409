// Sync, rollback to a recorded revision, suspend / resume one target, each after a confirmation.
// Buttons the caller may not use are not shown (`allowed`); the API checks again and its refusal
// (a 403 naming the role check) is shown as it came.
import { useState } from 'preact/hooks';
import type { TargetDetail } from '../../../../shared/api/contract.ts';
import { postAction, type TargetAction } from './api.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { rollbackChoices } from './rollback-choices.ts';
import { shortSha } from './time.ts';

interface Pending {
  action: TargetAction;
  revision?: string;
}

const LABELS: Record<TargetAction, string> = { sync: 'Sync', rollback: 'Roll back', suspend: 'Suspend', resume: 'Resume' };

export function TargetActions(props: { app: string; target: TargetDetail; onDone(): void }) {
  const { app, target } = props;
  const [pending, setPending] = useState<Pending | undefined>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string } | undefined>();
  const choices = rollbackChoices(target);
  const [rollbackTo, setRollbackTo] = useState('');
  const chosen = choices.includes(rollbackTo) ? rollbackTo : choices[0];

  const run = async (request: Pending): Promise<void> => {
    setPending(undefined);
    setBusy(true);
    try {
      const answer = await postAction(app, target.cluster, request.action, request.revision ? { revision: request.revision } : {});
      setResult({ ok: answer.accepted, message: answer.message });
    } catch (failure) {
      setResult({ ok: false, message: (failure as Error).message });
    } finally {
      setBusy(false);
      props.onDone();
    }
  };

  const { allowed } = target;
  const nothingAllowed = !allowed.sync && !(allowed.rollback && chosen) && !allowed.suspend;
  return (
    <section aria-label="Actions" class="actions">
      {nothingAllowed ? (
        <p class="muted" data-testid="read-only">
          Read-only: your role may not change this app.
        </p>
      ) : (
        <div class="buttons">
          {allowed.sync && (
            <button type="button" data-testid="action-sync" disabled={busy} onClick={() => setPending({ action: 'sync' })}>
              Sync
            </button>
          )}
          {allowed.rollback && chosen && (
            <span class="rollback">
              <label>
                Roll back to{' '}
                <select value={chosen} onChange={(event) => setRollbackTo(event.currentTarget.value)} data-testid="rollback-revision">
                  {choices.map((revision) => (
                    <option key={revision} value={revision}>
                      {shortSha(revision)}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <button type="button" data-testid="action-rollback" disabled={busy} onClick={() => setPending({ action: 'rollback', revision: chosen })}>
                Roll back
              </button>
            </span>
          )}
          {allowed.suspend &&
            (target.suspended ? (
              <button type="button" data-testid="action-resume" disabled={busy} onClick={() => setPending({ action: 'resume' })}>
                Resume
              </button>
            ) : (
              <button type="button" data-testid="action-suspend" disabled={busy} onClick={() => setPending({ action: 'suspend' })}>
                Suspend
              </button>
            ))}
        </div>
      )}
      {result && (
        <p role={result.ok ? 'status' : 'alert'} class={result.ok ? 'ok' : 'error'} data-testid={result.ok ? 'action-result' : 'action-error'}>
          {result.message}
        </p>
      )}
      {pending && (
        <ConfirmDialog
          title={`${LABELS[pending.action]} ${app} on ${target.cluster}?`}
          confirmLabel={LABELS[pending.action]}
          onConfirm={() => void run(pending)}
          onCancel={() => setPending(undefined)}
        >
          <p>{describe(pending)}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function describe(pending: Pending): string {
  switch (pending.action) {
    case 'sync':
      return 'Sync the app to its target revision now, as `driftless sync` does.';
    case 'rollback':
      return `Apply ${shortSha(pending.revision)} and pin the app there: pushes are not applied until it is resumed.`;
    case 'suspend':
      return 'Stop applying pushes and self-heals to this app on this cluster until it is resumed.';
    case 'resume':
      return 'Apply pushes and self-heals again (and drop a rollback pin).';
  }
}
