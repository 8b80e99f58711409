// The create-only kinds of authentication.k8s.io and authorization.k8s.io are answered, not
// stored, and a TokenRequest issues a service-account token the API server then accepts, as
// `kubectl create token`, `kubectl auth can-i` and `kubectl auth whoami` expect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, type Client } from './client.ts';

let sandbox: Sandbox;
let api: Client;

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  api = clientFor(sandbox);
  await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  await api.post('/api/v1/namespaces/team/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer' } });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('reviews', () => {
  it('allows every access and stores nothing', async () => {
    const review = await api.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: 'team', verb: 'create', group: 'apps', resource: 'deployments' } },
    });
    expect(review.status).toBe(201);
    expect(review.body).toMatchObject({
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'create', resource: 'deployments' } },
      status: { allowed: true },
    });
    expect((await api.get('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).status).toBe(405);
  });

  it('answers a LocalSubjectAccessReview about the namespace it was posted to', async () => {
    const review = await api.post('/apis/authorization.k8s.io/v1/namespaces/team/localsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'LocalSubjectAccessReview',
      spec: { user: 'alice', resourceAttributes: { verb: 'get', resource: 'pods' } },
    });
    expect(review.body.spec.resourceAttributes.namespace).toBe('team');
    expect(review.body.status.allowed).toBe(true);
  });

  it('tells the caller who it is (SelfSubjectReview)', async () => {
    const review = await api.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    expect(review.body.status.userInfo.groups).toContain('system:authenticated');
  });
});

describe('service-account tokens', () => {
  it('issues a token for an existing service account, one hour by default, for the API server audience', async () => {
    const answer = await api.post('/api/v1/namespaces/team/serviceaccounts/deployer/token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {},
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: 'deployer', namespace: 'team' },
      spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600 },
    });
    const expires = Date.parse(answer.body.status.expirationTimestamp);
    expect(expires - Date.now()).toBeGreaterThan(3500_000);
    expect(answer.body.status.token.split('.')).toHaveLength(3);
  });

  it('authenticates requests carrying the token as the service account', async () => {
    const { token } = (await api.post('/api/v1/namespaces/team/serviceaccounts/deployer/token', { spec: { audiences: ['vault'] } })).body.status;
    const whoami = await api.request(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      { token },
    );
    expect(whoami.status).toBe(201);
    expect(whoami.body.status.userInfo).toMatchObject({
      username: 'system:serviceaccount:team:deployer',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
    });
    const review = await api.post('/apis/authentication.k8s.io/v1/tokenreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token },
    });
    expect(review.body.status).toMatchObject({ authenticated: true, user: { username: 'system:serviceaccount:team:deployer' }, audiences: ['vault'] });
    const forged = await api.post('/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token: `${token}x` } });
    expect(forged.body.status.authenticated).toBeUndefined();
    expect((await api.request('GET', '/api/v1/namespaces', undefined, { token: `${token}x` })).status).toBe(401);
  });

  it('refuses a duration under ten minutes and a missing service account, as the API server does', async () => {
    const short = await api.post('/api/v1/namespaces/team/serviceaccounts/deployer/token', { spec: { expirationSeconds: 60 } });
    expect(short.status).toBe(422);
    expect(short.body.message).toMatch(/spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/);
    const missing = await api.post('/api/v1/namespaces/team/serviceaccounts/nobody/token', { spec: {} });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('serviceaccounts "nobody" not found');
  });
});
