// One app: its source, then one tab per cluster it is deployed to. Polls the app every 3 s so a
// sync started here is seen finishing; a poll that brings the same answer changes nothing.
import { useRef, useState } from 'preact/hooks';
import type { AppDetail } from '../../../../shared/api/contract.ts';
import { getApp } from './api.ts';
import { POLL_MS } from './fleet-view.tsx';
import { usePoll } from './poll.ts';
import { appHref } from './route.ts';
import { TargetPanel } from './target-panel.tsx';

export function AppView(props: { app: string; cluster?: string }) {
  const [detail, setDetail] = useState<AppDetail | undefined>();
  const [error, setError] = useState<string | undefined>();
  const last = useRef('');
  const poll = usePoll(
    async () => {
      try {
        const next = await getApp(props.app);
        setError(undefined);
        const json = JSON.stringify(next);
        if (json === last.current) return;
        last.current = json;
        setDetail(next);
      } catch (failure) {
        setError((failure as Error).message);
      }
    },
    POLL_MS,
    [props.app],
  );

  const target = detail?.targets.find((candidate) => candidate.cluster === props.cluster) ?? detail?.targets[0];
  return (
    <main aria-labelledby="app-title">
      <p>
        <a href="#/">← Fleet</a>
      </p>
      <h1 id="app-title">{props.app}</h1>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {detail && (
        <>
          <p class="source" data-testid="source">
            project <strong>{detail.project}</strong>
            {detail.applicationSet && <> · ApplicationSet {detail.applicationSet}</>}
            {detail.parent && <> · declared by {detail.parent}</>} · source <code>{detail.source.repoURL}</code>
            {detail.source.path && (
              <>
                {' '}
                path <code>{detail.source.path}</code>
              </>
            )}
            {detail.source.chart && (
              <>
                {' '}
                chart <code>{detail.source.chart}</code>
              </>
            )}
            {detail.source.targetRevision && <> @ {detail.source.targetRevision}</>}
          </p>
          <div role="tablist" aria-label="Clusters">
            {detail.targets.map((candidate) => (
              <a
                key={candidate.cluster}
                role="tab"
                href={appHref(props.app, candidate.cluster)}
                aria-selected={candidate === target}
                class={candidate === target ? 'tab selected' : 'tab'}
              >
                {candidate.cluster}
              </a>
            ))}
          </div>
          {target ? (
            <div role="tabpanel" aria-label={target.cluster}>
              <TargetPanel key={target.cluster} app={props.app} target={target} onChanged={poll.now} />
            </div>
          ) : (
            <p class="muted">Not deployed to any cluster.</p>
          )}
        </>
      )}
    </main>
  );
}
