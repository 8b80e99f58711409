// Promote (skip the gate the rollout waits at) and Abort (start no more steps) for the
// ApplicationSet a target's rollout belongs to, each after a confirmation. Shown only when the
// caller's role may (`canOperate`: applicationsets, update); the API checks again, and its
// refusal (a 403 naming the check, a 409 saying what the rollout is doing) is shown as it came.
import { useState } from 'preact/hooks';
import type { RolloutProgressRow } from '../../../../shared/api/contract.ts';
import { postSetAction, type SetAction } from './api.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';

const LABELS: Record<SetAction, string> = { promote: 'Promote', abort: 'Abort' };

export function RolloutActions(props: { rollout: RolloutProgressRow; onDone(): void }) {
  const { rollout } = props;
  const [pending, setPending] = useState<SetAction | undefined>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string } | undefined>();
  if (!rollout.canOperate) return null;

  const run = async (action: SetAction): Promise<void> => {
    setPending(undefined);
    setBusy(true);
    try {
      const answer = await postSetAction(rollout.set, action);
      setResult({ ok: answer.accepted, message: answer.message });
    } catch (failure) {
      setResult({ ok: false, message: (failure as Error).message });
    } finally {
      setBusy(false);
      props.onDone();
    }
  };

  return (
    <span class="rollout-actions">
      <button type="button" data-testid="rollout-promote" disabled={busy} onClick={() => setPending('promote')}>
        Promote
      </button>
      <button type="button" data-testid="rollout-abort" disabled={busy} onClick={() => setPending('abort')}>
        Abort
      </button>
      {result && (
        <span role={result.ok ? 'status' : 'alert'} class={result.ok ? 'ok' : 'error'} data-testid={result.ok ? 'rollout-result' : 'rollout-error'}>
          {result.message}
        </span>
      )}
      {pending && (
        <ConfirmDialog
          title={`${LABELS[pending]} the rollout of ${rollout.set}?`}
          confirmLabel={LABELS[pending]}
          onConfirm={() => void run(pending)}
          onCancel={() => setPending(undefined)}
        >
          <p>
            {pending === 'promote'
              ? 'Skip the gate the rollout waits at (soak time, alarms): its next step starts now, as `driftless rollout promote` does.'
              : 'Start no more steps of this rollout: what is syncing finishes, the targets not started keep their revision. A newer commit starts a new rollout.'}
          </p>
        </ConfirmDialog>
      )}
    </span>
  );
}
