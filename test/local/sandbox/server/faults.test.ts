// Fault injection and the request log: the server misbehaves exactly as told, and records
// what clients sent in order.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, type Client } from './client.ts';

let sandbox: Sandbox;
let api: Client;

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  api = clientFor(sandbox);
  await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'f' } });
  await api.post('/api/v1/namespaces/f/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
});

afterEach(() => {
  sandbox.faults.clear();
  sandbox.faults.latencyMs = 0;
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('fault injection', () => {
  it('answers 429 with Retry-After and a TooManyRequests Status', async () => {
    sandbox.faults.inject({ verb: 'list', resource: 'configmaps', status: 429, retryAfterSeconds: 7, times: 1 });
    const limited = await api.get('/api/v1/namespaces/f/configmaps');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.body).toMatchObject({ kind: 'Status', reason: 'TooManyRequests', code: 429, details: { retryAfterSeconds: 7 } });
    expect((await api.get('/api/v1/namespaces/f/configmaps')).status).toBe(200);
  });

  it('fails only the next N matching requests with 503', async () => {
    sandbox.faults.inject({ verb: 'get', name: 'c', status: 503, times: 2 });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await api.get('/api/v1/namespaces/f/configmaps/c')).status);
    expect(codes).toEqual([503, 503, 200]);
    expect((await api.get('/api/v1/namespaces/f')).status).toBe(200);
  });

  it('answers 500 InternalError', async () => {
    sandbox.faults.inject({ verb: 'create', status: 500, times: 1 });
    const failed = await api.post('/api/v1/namespaces/f/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    expect(failed.status).toBe(500);
    expect(failed.body.reason).toBe('InternalError');
    expect((await api.get('/api/v1/namespaces/f/configmaps/x')).status).toBe(404);
  });

  it('drops the connection', async () => {
    sandbox.faults.inject({ resource: 'configmaps', drop: true, times: 1 });
    await expect(api.get('/api/v1/namespaces/f/configmaps/c')).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await api.get('/api/v1/namespaces/f/configmaps/c')).status).toBe(200);
  });

  it('adds latency per rule and globally', async () => {
    sandbox.faults.inject({ verb: 'get', latencyMs: 150, times: 1 });
    let started = Date.now();
    await api.get('/api/v1/namespaces/f/configmaps/c');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    sandbox.faults.latencyMs = 120;
    started = Date.now();
    await api.get('/api/v1/namespaces/f');
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('hits a share of requests with rate', async () => {
    sandbox.faults.inject({ verb: 'get', resource: 'namespaces', status: 503, rate: 0 });
    expect((await api.get('/api/v1/namespaces/f')).status).toBe(200);
    sandbox.faults.inject({ verb: 'get', resource: 'namespaces', status: 503, rate: 1 });
    expect((await api.get('/api/v1/namespaces/f')).status).toBe(503);
  });
});

describe('request log', () => {
  it('records requests in order with verb, resource, body and status', async () => {
    sandbox.requests.clear();
    await api.get('/apis');
    await api.post('/api/v1/namespaces/f/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'logged' } });
    await api.patch('/api/v1/namespaces/f/configmaps/logged?fieldManager=me', { data: { a: '1' } }, 'application/merge-patch+json');
    await api.get('/api/v1/namespaces/f/configmaps?labelSelector=x');
    await api.get('/api/v1/namespaces/f/configmaps/missing');
    await api.delete('/api/v1/namespaces/f/configmaps/logged');
    await api.get('/openapi/v3');

    const entries = sandbox.requests.entries();
    expect(entries.map((e) => `${e.verb} ${e.status}`)).toEqual([
      'discovery 200',
      'create 201',
      'patch 200',
      'list 200',
      'get 404',
      'delete 200',
      'openapi 200',
    ]);
    for (let i = 1; i < entries.length; i++) expect(entries[i].seq).toBeGreaterThan(entries[i - 1].seq);
    expect(entries[1]).toMatchObject({
      method: 'POST',
      group: '',
      version: 'v1',
      resource: 'configmaps',
      namespace: 'f',
      contentType: 'application/json',
      body: { metadata: { name: 'logged' } },
    });
    expect(entries[1].bodySize).toBeGreaterThan(0);
    expect(entries[2]).toMatchObject({ name: 'logged', query: { fieldManager: 'me' }, contentType: 'application/merge-patch+json' });
    expect(entries[3].query).toEqual({ labelSelector: 'x' });
    expect(new Date(entries[0].time).toISOString()).toBe(entries[0].time);
  });

  it('logs faulted requests with the status they got', async () => {
    sandbox.requests.clear();
    sandbox.faults.inject({ verb: 'get', status: 429, times: 1 });
    await api.get('/api/v1/namespaces/f/configmaps/c');
    sandbox.faults.inject({ verb: 'get', drop: true, times: 1 });
    await api.get('/api/v1/namespaces/f/configmaps/c').catch(() => undefined);
    expect(sandbox.requests.entries().map((e) => e.status)).toEqual([429, 0]);
    sandbox.requests.clear();
    expect(sandbox.requests.entries()).toEqual([]);
  });
});
