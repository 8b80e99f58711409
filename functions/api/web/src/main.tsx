// The dashboard's entry: who is signed in, and the view the URL's hash names.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Me } from '../../../../shared/api/contract.ts';
import { getMe } from './api.ts';
import { AppView } from './app-view.tsx';
import { FleetView } from './fleet-view.tsx';
import { parseRoute, type Route } from './route.ts';
import './style.css';

function Dashboard() {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [me, setMe] = useState<Me | undefined>();
  useEffect(() => {
    const changed = (): void => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', changed);
    getMe().then(setMe, () => undefined);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return (
    <>
      <header class="top">
        <a href="#/" class="brand">
          Driftless
        </a>
        {me && (
          <span class="me" data-testid="me">
            {me.user}
            {me.groups.length > 0 && <span class="muted"> ({me.groups.join(', ')})</span>}
          </span>
        )}
      </header>
      {route.view === 'app' ? <AppView key={route.app} app={route.app} cluster={route.cluster} /> : <FleetView />}
    </>
  );
}

render(<Dashboard />, document.getElementById('root')!);
