// Issue 12, items 5, 9 and 14 end to end: hostile app repositories pushed through the real
// webhook, SQS and worker handlers (as AWS builds the worker: no local repositories). Each
// sync fails once as bad input; the secret marker is in no status, event, log line or stored
// message; the loopback server is never asked; nothing is written to the cluster.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainCapturing } from '../support/drain-capturing.ts';
import { sandboxWrites, startPipeline, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const MARKER = 'db-password-9d41e7';

let pipeline: Pipeline;
let loopback: Server;
let loopbackURL: string;
const asked: string[] = [];
const logged: string[] = [];
let head = EMPTY;

beforeAll(async () => {
  pipeline = await startPipeline({ visibilityTimeoutSeconds: 1 });
  loopback = createServer((request, response) => {
    asked.push(request.url ?? '');
    response.end(`apiVersion: v1\nkind: ConfigMap\nmetadata: { name: fetched }\ndata: { k: ${MARKER} }\n`);
  });
  await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', resolve));
  loopbackURL = `http://127.0.0.1:${(loopback.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => loopback?.close(resolve));
  await pipeline?.stop();
});

/**
 * Commits `files`, pushes them, and runs the worker until the queue is empty (or for `rounds`
 * receives), capturing its output.
 */
async function pushAndWork(files: Record<string, string>, rounds = Infinity): Promise<string> {
  const sha = await pipeline.repo.commit(files);
  expect((await pipeline.push(head, sha, { added: Object.keys(files) })).statusCode).toBe(202);
  head = sha;
  await drainCapturing(pipeline, logged, rounds);
  return sha;
}

function everythingSaid(): string {
  return [
    ...pipeline.github.statuses.map((status) => JSON.stringify(status)),
    ...pipeline.eventBridge.entries.map((entry) => JSON.stringify(entry)),
    ...logged,
  ].join('\n');
}

async function expectFailedOnce(app: string, sha: string, message: RegExp): Promise<void> {
  const target = await pipeline.store.getTarget(app, 'sandbox');
  expect(target).toMatchObject({ syncStatus: 'Failed', requestedRevision: sha });
  expect(target?.message).toMatch(message);
  expect(target?.message).not.toContain(MARKER);
  const statuses = pipeline.github.statuses.filter((status) => status.context === `driftless/${app}@sandbox` && status.sha === sha);
  expect(statuses.map((status) => status.state)).toEqual(['pending', 'failure']);
  expect(await pipeline.queueDepth(pipeline.services.dlqUrl)).toBe(0);
}

describe('a hostile app repository pushed to GitHub', () => {
  it('a secretGenerator literal kustomize quotes back: redacted in the status, event, log and store', async () => {
    const sha = await pushAndWork({
      ...webRegistry(),
      'apps/web/kustomization.yaml': `secretGenerator:\n  - name: db\n    literals:\n      - ${MARKER}\n`,
    });
    await expectFailedOnce('web', sha, /^cannot sync: kustomize build failed for apps\/web\/kustomization\.yaml: .*invalid literal source \*\*\*/);
    expect(everythingSaid()).not.toContain(MARKER);
    expect(sandboxWrites(pipeline)).toEqual([]);
  });

  it('a generator file on a loopback URL: refused before kustomize runs, the server never asked', async () => {
    const sha = await pushAndWork({
      'apps/web/kustomization.yaml': `configMapGenerator:\n  - name: loot\n    files: [k=${loopbackURL}/other-app/render.yaml]\n`,
    });
    await expectFailedOnce(
      'web',
      sha,
      /^cannot sync: apps\/web\/kustomization\.yaml: configMapGenerator\[0\]\.files\[0\] "http:\/\/127\.0\.0\.1:\d+\/other-app\/render\.yaml" is a remote reference/,
    );
    expect(asked).toEqual([]);
    expect(everythingSaid()).not.toContain(MARKER);
    expect(sandboxWrites(pipeline)).toEqual([]);
  });

  it("an app whose repoURL is a folder on the worker's disk: refused, never read, nothing applied", async () => {
    const disk = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: disk, namespace: argocd }
spec:
  project: default
  source: { repoURL: ${pipeline.repo.dir}, targetRevision: main, path: apps/web }
  destination: { name: sandbox, namespace: shop }
  syncPolicy: { automated: {} }
`;
    // The registry refresh resolves a new app's revision through the same fetcher, so the
    // refusal may come there (logged, the refresh retried) or in the app's own sync (recorded).
    await pushAndWork({ ...webRegistry(), 'driftless/disk.yaml': disk }, 6);
    const target = await pipeline.store.getTarget('disk', 'sandbox');
    // (In the log line the quotes are JSON-escaped.)
    const refusal = /repoURL \\?"[^"\\]*driftless-repo-[^"\\]*\\?" is a path on the worker's disk; only local mode reads local repositories/;
    expect(`${target?.message ?? ''}\n${logged.join('')}`).toMatch(refusal);
    expect(target?.revision).toBeUndefined();
    expect(sandboxWrites(pipeline)).toEqual([]);
  });
});
