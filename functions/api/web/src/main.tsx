// The dashboard's entry: who is signed in, and the view the URL's hash names.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Me } from '../../../../shared/api/contract.ts';
import { getMe } from './api.ts';
import { AppView } from './app-view.tsx';
import { FleetView } from './fleet-view.tsx';
import { appHref, parseRoute, routeOf, type Route } from './route.ts';
import { signIn, type SignInState } from './sign-in.ts';
import './style.css';

function Dashboard(props: { session: SignInState }) {
  const { session } = props;
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
            {'signOut' in session && (
              <button type="button" onClick={session.signOut}>
                Sign out
              </button>
            )}
          </span>
        )}
      </header>
      {route.view === 'app' ? <AppView key={route.app} app={route.app} cluster={route.cluster} /> : <FleetView />}
    </>
  );
}

// A path link (/apps/<app>?cluster=) becomes the hash route before anything else (sign-in keeps
// the hash across the provider's redirect), so navigation is by hash alone from here on.
const linked = routeOf(location);
if (linked.view === 'app' && !location.hash) history.replaceState(null, '', `/${appHref(linked.app, linked.cluster)}`);

const root = document.getElementById('root')!;
signIn().then(
  (session) => render('redirecting' in session ? <p class="muted">Signing in…</p> : <Dashboard session={session} />, root),
  (failure: unknown) =>
    render(
      <p role="alert" class="error">
        {(failure as Error).message}
      </p>,
      root,
    ),
);
