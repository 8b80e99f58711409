// Round trips of one ordinary sync (a second push of a small app, the worker warm), counted at
// the protocol level: DynamoDB requests by operation (a counting proxy in front of dynalite, so
// the worker's own client is the one counted), the sandbox API server's request log and the
// GitHub double's requests. The expected lists are the design's, written out below; a sync that
// grows a round trip fails here.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { appDocument, startPipeline, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

/** A ConfigMap and a ServiceAccount: healthy as soon as they are applied, so no health polling varies the count. */
function appFiles(color: string): Record<string, string> {
  return {
    'apps/web/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-config }\ndata: { color: ${color} }\n`,
    'apps/web/account.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: web }\n',
  };
}

const registry = {
  'driftless/clusters.yaml': 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: sandbox }\nspec:\n  kubeconfig: { context: sandbox }\n',
  'driftless/web.yaml': appDocument({ name: 'web', namespace: 'shop' }),
};

interface DynamoCounter {
  url: string;
  calls: string[];
  close(): Promise<void>;
}

/**
 * Forwards every request to dynalite and notes it as `<Operation> <partition kind>`: the operation
 * from X-Amz-Target (DynamoDB_20120810.<Operation>), the kind from the first partition key in
 * the body (`TARGET`, `LEASE`, `REGISTRY`, ...).
 */
async function countingDynamoProxy(target: string): Promise<DynamoCounter> {
  const upstream = new URL(target);
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    const operation =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const partition = /"(?:pk|:pk)":\{"S":"([A-Z_]+)/.exec(body.toString())?.[1] ?? '?';
      calls.push(`${operation} ${partition}`);
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let pipeline: Pipeline;
let dynamo: DynamoCounter;
/** The test's own reads, straight to dynalite: not counted. */
let store: DynamoStateStore;
beforeAll(async () => {
  pipeline = await startPipeline();
  const dynalite = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '';
  store = new DynamoStateStore({ client: new DynamoDBClient({ endpoint: dynalite }), tableName: process.env.STATE_TABLE ?? '' });
  // Before the handlers build their clients (on their first call): they find DynamoDB through this.
  dynamo = await countingDynamoProxy(dynalite);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.url;
});
afterAll(async () => {
  await pipeline?.stop();
  await dynamo?.close();
});

describe('one ordinary sync of a small app', () => {
  let first: string;

  it('first registers and syncs the app (cold: discovery, registry refresh)', async () => {
    first = await pipeline.repo.commit({ ...registry, ...appFiles('blue') });
    await pipeline.push(EMPTY, first, { added: [...Object.keys(registry), ...Object.keys(appFiles('blue'))] });
    dynamo.calls.length = 0;
    await pipeline.work(async () => (await store.getTarget('web', 'sandbox'))?.revision === first);
    // The target's requests of a first sync (10 before the claim and the record: a GetItem, beginSync,
    // a lease item put and deleted, two status markers, a Query of the history); no lease item at all.
    expect(dynamo.calls.filter((call) => / (TARGET|LEASE)$/.test(call))).toEqual([
      'UpdateItem TARGET', // the registry refresh requests the sync
      'UpdateItem TARGET', // the claim: the request still this commit, the lease, Syncing, the pending status
      'UpdateItem TARGET', // the record: the result and the namespace, the lease released, the final status, the history counter
      'BatchWriteItem TARGET', // the history entry
    ]);
    expect(await store.getTarget('web', 'sandbox')).toMatchObject({ namespace: 'shop', syncStatus: 'Synced' });
  });

  it('then a push of the app makes only the round trips the design needs', async () => {
    const second = await pipeline.repo.commit(appFiles('green'));
    const response = await pipeline.push(first, second, { modified: ['apps/web/config.yaml'] });
    expect(response.body.targets).toEqual(['web@sandbox']);
    dynamo.calls.length = 0;
    pipeline.sandbox.requests.clear();
    const githubBefore = pipeline.github.requests.length;

    await pipeline.work(async () => (await store.getTarget('web', 'sandbox'))?.revision === second);

    // DynamoDB, in order (9 before the claim and the record: GetItem, beginSync, PutItem LEASE, the
    // pending status, the result, Query of the history, BatchWriteItem, the final status, DeleteItem LEASE).
    // The registry's reads (its own item layout, not this test's subject) are left out.
    expect(dynamo.calls.filter((call) => !call.endsWith(' REGISTRY'))).toEqual([
      // The claim: one conditional write that the job's commit is still the requested one, no other
      // worker holds the lease and nothing holds the target (pin, suspension); it takes the lease,
      // marks the target Syncing, records the pending status, and answers the state it replaced.
      'UpdateItem TARGET',
      // The record: the result (unless a newer request's result is there), the lease released, the
      // final status, the history counter, the DORA state; answers the counter and the DORA state before.
      'UpdateItem TARGET',
      // The history entry under the counter, and the entry it pushes beyond the limit deleted by key.
      'BatchWriteItem TARGET',
    ]);
    // The API server: no discovery (the first sync's answers serve this job), the live objects
    // read for the apply and prune plan, the changed object written. 5 before (GET /api/v1 every job).
    const api = pipeline.sandbox.requests.entries().map((entry) => `${entry.method} ${entry.path}`);
    expect(api.filter((line) => line.startsWith('GET')).sort()).toEqual([
      'GET /api/v1/namespaces/shop',
      'GET /api/v1/namespaces/shop/configmaps/web-config',
      'GET /api/v1/namespaces/shop/serviceaccounts/web',
    ]);
    expect(api.filter((line) => !line.startsWith('GET'))).toEqual(['PATCH /api/v1/namespaces/shop/configmaps/web-config']);
    // GitHub: the replay check, the pending and final statuses, one tarball of the commit.
    const github = pipeline.github.requests.slice(githubBefore).map((entry) => `${entry.method} ${entry.path}`);
    expect(github).toEqual([
      `GET /repos/acme/gitops/compare/${first}...${second}`,
      `POST /repos/acme/gitops/statuses/${second}`,
      `GET /repos/acme/gitops/tarball/${second}`,
      `GET /_codeload/acme/gitops/legacy.tar.gz/${second}`,
      `POST /repos/acme/gitops/statuses/${second}`,
    ]);
  });
});
