// Sign-in for the dashboard in AWS: the OpenID Connect authorization code flow with PKCE
// against the provider named in config.json (deployed beside the assets by the CDK stack:
// issuer, clientId, scopes, redirectUri, endpoints or discovery through the issuer). The ID
// token is the bearer the API's JWT authorizer checks. Local mode has no config.json: no sign-in.
import { setBearerToken } from './api.ts';
import { codeChallenge, jwtClaims, randomToken } from './pkce.ts';

export interface SignInSettings {
  issuer: string;
  clientId: string;
  scopes: string[];
  redirectUri: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  endSessionEndpoint?: string;
  bearerToken?: 'id_token';
}

const KEY = 'driftless.signIn';
interface Pending {
  state: string;
  verifier: string;
  hash: string;
}
interface Session {
  token: string;
  expiresAt: number;
}

/** The sign-in settings, or undefined when there are none (local mode). */
async function settings(): Promise<SignInSettings | undefined> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (response.status === 404 || response.status === 403) return undefined;
  if (!response.ok) throw new Error(`config.json answered ${response.status}: the dashboard cannot tell how to sign in`);
  // A host that answers every path with index.html (a single-page fallback) has no settings either.
  if (!(response.headers.get('content-type') ?? '').includes('json')) return undefined;
  const parsed = (await response.json()) as Partial<SignInSettings>;
  if (!parsed.issuer || !parsed.clientId) return undefined;
  return { scopes: ['openid', 'profile', 'email'], redirectUri: `${location.origin}/`, ...parsed } as SignInSettings;
}

async function endpoints(config: SignInSettings): Promise<{ authorize: string; token: string; endSession?: string }> {
  if (config.authorizationEndpoint && config.tokenEndpoint)
    return { authorize: config.authorizationEndpoint, token: config.tokenEndpoint, endSession: config.endSessionEndpoint };
  const url = `${config.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}: cannot find the provider's sign-in endpoints`);
  const discovered = (await response.json()) as { authorization_endpoint?: string; token_endpoint?: string; end_session_endpoint?: string };
  if (!discovered.authorization_endpoint || !discovered.token_endpoint) throw new Error(`${url} names no authorization_endpoint or token_endpoint`);
  return {
    authorize: config.authorizationEndpoint ?? discovered.authorization_endpoint,
    token: config.tokenEndpoint ?? discovered.token_endpoint,
    endSession: config.endSessionEndpoint ?? discovered.end_session_endpoint,
  };
}

export type SignInState = { required: false } | { required: true; user: string; signOut(): void } | { required: true; redirecting: true };

/**
 * Signs in when the deployment asks for it: back from the provider with a code, it is traded
 * for the tokens; with a session still valid, that one; else the browser goes to the provider.
 */
export async function signIn(): Promise<SignInState> {
  const config = await settings();
  if (!config) return { required: false };
  const urls = await endpoints(config);
  const query = new URLSearchParams(location.search);
  if (query.get('error')) throw new Error(`sign-in refused: ${query.get('error')} ${query.get('error_description') ?? ''}`.trim());
  if (query.get('code')) await redeem(config, urls.token, query.get('code')!, query.get('state') ?? '');

  const session = readSession();
  if (!session) {
    await redirect(config, urls.authorize);
    return { required: true, redirecting: true };
  }
  setBearerToken(session.token, signInAgain);
  const claims = jwtClaims(session.token) ?? {};
  const user = String(claims.email ?? claims.preferred_username ?? claims.sub ?? '');
  return { required: true, user, signOut: () => signOut(config, urls.endSession, session.token) };
}

/**
 * After a 401 (the token expired or was revoked): forget it and sign in again, once a minute at
 * most. A token the API refuses right after it was issued (an authorizer whose issuer or audience
 * does not match) would send the browser round in circles: then the 401 is shown instead.
 */
export function signInAgain(): void {
  const last = Number(sessionStorage.getItem(`${KEY}.retry`) ?? 0);
  if (Date.now() - last < 60_000) return;
  sessionStorage.setItem(`${KEY}.retry`, String(Date.now()));
  sessionStorage.removeItem(`${KEY}.session`);
  location.reload();
}

async function redirect(config: SignInSettings, authorize: string): Promise<void> {
  const pending: Pending = { state: randomToken(), verifier: randomToken(), hash: location.hash };
  sessionStorage.setItem(`${KEY}.pending`, JSON.stringify(pending));
  const url = new URL(authorize);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes.join(' '),
    state: pending.state,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.href);
}

async function redeem(config: SignInSettings, tokenEndpoint: string, code: string, state: string): Promise<void> {
  const pending = JSON.parse(sessionStorage.getItem(`${KEY}.pending`) ?? 'null') as Pending | null;
  sessionStorage.removeItem(`${KEY}.pending`);
  // The code is used once, whatever happens next: take it out of the address bar.
  history.replaceState(null, '', `${location.pathname}${pending?.hash ?? ''}`);
  if (!pending || pending.state !== state) throw new Error('sign-in answer does not match the request this page made (state): sign in again');
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: config.redirectUri,
      code_verifier: pending.verifier,
    }).toString(),
  });
  if (!response.ok) throw new Error(`the provider's token endpoint answered ${response.status}: sign in again`);
  const tokens = (await response.json()) as { id_token?: string };
  if (!tokens.id_token) throw new Error('the provider answered no id_token (is "openid" among the scopes?)');
  const exp = Number(jwtClaims(tokens.id_token)?.exp ?? 0);
  const session: Session = { token: tokens.id_token, expiresAt: exp ? exp * 1000 : Date.now() + 3_600_000 };
  sessionStorage.setItem(`${KEY}.session`, JSON.stringify(session));
}

function readSession(): Session | undefined {
  const session = JSON.parse(sessionStorage.getItem(`${KEY}.session`) ?? 'null') as Session | null;
  // A minute's margin: a token about to expire would fail the next call.
  return session && session.expiresAt > Date.now() + 60_000 ? session : undefined;
}

function signOut(config: SignInSettings, endSession: string | undefined, token: string): void {
  sessionStorage.removeItem(`${KEY}.session`);
  if (!endSession) return location.reload();
  const url = new URL(endSession);
  // Cognito's /logout reads client_id and logout_uri; OpenID Connect RP-initiated logout the other two.
  url.search = new URLSearchParams({
    client_id: config.clientId,
    logout_uri: config.redirectUri,
    post_logout_redirect_uri: config.redirectUri,
    id_token_hint: token,
  }).toString();
  location.assign(url.href);
}
