// check_run deliveries, with GitHub's own payloads (@octokit/webhooks-examples) signed as GitHub
// signs them: "Re-run" on a Driftless sync check (`driftless/<app>@<cluster>`, external id
// `<app>@<cluster>`) queues a manual sync of that target at the check's commit, recorded as the
// commit the target must end on first; on the preview check (`preview#<n>`) it queues the
// preview of the pull request's head again. Other check runs, actions, unregistered targets and
// check suites queue nothing, and say why.
import { Webhooks } from '@octokit/webhooks';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../shared/config/types.ts';
import type { Job } from '../../shared/queue/job.ts';
import { parseJob } from '../../shared/queue/parse.ts';
import { handleDelivery, type WebhookDependencies } from '../../shared/webhook/intake.ts';
import { SignatureVerifier } from '../../shared/webhook/verify.ts';

/** GitHub's example payloads, edited field by field as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payload = Record<string, any>;

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;

const SECRET = 'check-run-secret';
// The rerequested example's commit (its repository is github/hello-world).
const SHA = 'd6fde92930d4715a2b49857d24b940956b26d2d3';

function registry(repoURL = 'https://github.com/github/hello-world'): Registry {
  return {
    apps: [
      {
        name: 'web',
        project: 'default',
        source: { repoURL, targetRevision: 'main', path: 'apps/web' },
        destinations: [{ cluster: 'prod', namespace: 'web' }],
        syncPolicy: { syncOptions: [], createNamespace: false },
        ignoreDifferences: [],
        definedIn: { file: 'driftless/web.yaml', line: 1 },
      },
    ],
    clusters: [{ name: 'prod', labels: {}, kubeconfig: { context: 'prod' }, definedIn: { file: 'driftless/clusters.yaml', line: 1 } }],
    projects: [],
  };
}

function example(event: string, action: string): Payload {
  const found = examples.find((entry) => entry.name === event)!.examples.find((candidate) => candidate.action === action);
  if (!found) throw new Error(`no ${event} ${action} example`);
  return structuredClone(found);
}

/** GitHub's rerequested example, as it comes for one of our sync checks. */
function syncRerun(app = 'web', cluster = 'prod'): Payload {
  const payload = example('check_run', 'rerequested');
  payload.check_run.name = `driftless/${app}@${cluster}`;
  payload.check_run.external_id = `${app}@${cluster}`;
  return payload;
}

function dependencies(options: { registry?: Registry } = {}) {
  const seen = new Set<string>();
  const enqueued: Job[] = [];
  const requested: Array<{ target: { app: string; cluster: string }; revision: string }> = [];
  const deps: WebhookDependencies = {
    verifier: new SignatureVerifier(SECRET),
    registry: async () => options.registry ?? registry(),
    rememberDelivery: async (id) => !seen.has(id) && Boolean(seen.add(id)),
    forgetDelivery: async (id) => void seen.delete(id),
    requestSync: async (target, revision) => {
      requested.push({ target: { app: target.app, cluster: target.cluster }, revision });
      return 1;
    },
    enqueue: async (jobs) => void enqueued.push(...jobs),
  };
  return { deps, enqueued, requested };
}

const signer = new Webhooks({ secret: SECRET });

async function delivery(event: string, payload: unknown, id: string = randomUUID()) {
  const body = JSON.stringify(payload);
  return {
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': id, 'x-hub-signature-256': await signer.sign(body) },
    body,
  };
}

describe('a check_run delivery', () => {
  it('rerequested on a sync check: queues a manual sync of that target at the check commit, requested first', async () => {
    const { deps, enqueued, requested } = dependencies();
    const id = randomUUID();
    const response = await handleDelivery(await delivery('check_run', syncRerun(), id), deps);
    expect(response).toEqual({ statusCode: 202, body: { message: 'sync of web@prod queued again (re-run)', targets: ['web@prod'], revision: SHA } });
    expect(enqueued).toEqual([{ kind: 'sync', app: 'web', cluster: 'prod', revision: SHA, trigger: 'manual', deliveryId: id, enqueuedAt: expect.any(String) }]);
    expect(parseJob(JSON.stringify(enqueued[0]))).toEqual(enqueued[0]);
    expect(requested).toEqual([{ target: { app: 'web', cluster: 'prod' }, revision: SHA }]);
  });

  it('acts on a re-run once', async () => {
    const { deps, enqueued } = dependencies();
    const id = randomUUID();
    await handleDelivery(await delivery('check_run', syncRerun(), id), deps);
    expect((await handleDelivery(await delivery('check_run', syncRerun(), id), deps)).body.message).toBe(`delivery ${id} was already handled`);
    expect(enqueued).toHaveLength(1);
  });

  it('queues nothing for a target no longer registered', async () => {
    for (const [app, cluster, message] of [
      ['shop', 'prod', 'ignored: shop@prod is not in the registry (any more): nothing to sync again'],
      ['web', 'staging', 'ignored: web@staging is not in the registry (any more): nothing to sync again'],
    ]) {
      const { deps, enqueued, requested } = dependencies();
      expect(await handleDelivery(await delivery('check_run', syncRerun(app, cluster)), deps)).toEqual({ statusCode: 200, body: { message } });
      expect(enqueued).toEqual([]);
      expect(requested).toEqual([]);
    }
  });

  it('queues nothing when the check run is in another repository than the app', async () => {
    const { deps, enqueued } = dependencies({ registry: registry('https://github.com/acme/gitops.git') });
    const response = await handleDelivery(await delivery('check_run', syncRerun()), deps);
    expect(response).toEqual({ statusCode: 200, body: { message: "ignored: the check run is in another repository than web@prod's commits: not synced" } });
    expect(enqueued).toEqual([]);
  });

  it("ignores a re-run of another app's check run (GitHub's example as it comes)", async () => {
    const { deps, enqueued } = dependencies();
    const response = await handleDelivery(await delivery('check_run', example('check_run', 'rerequested')), deps);
    expect(response).toEqual({
      statusCode: 200,
      body: { message: 'ignored: the check run is not a Driftless sync check (its external id names no app@cluster)' },
    });
    expect(enqueued).toEqual([]);
  });

  it('ignores actions other than rerequested', async () => {
    const { deps, enqueued } = dependencies();
    const payload = example('check_run', 'completed');
    const response = await handleDelivery(await delivery('check_run', payload), deps);
    expect(response.body.message).toBe('ignored: check_run "completed" asks for nothing (only rerequested, GitHub\'s Re-run, does)');
    expect(enqueued).toEqual([]);
  });

  it('rerequested on the preview check: queues the pull request head again', async () => {
    const { deps, enqueued } = dependencies();
    const created = example('check_run', 'created');
    const payload = example('check_run', 'rerequested');
    payload.repository = created.repository;
    payload.check_run.name = 'Driftless preview';
    payload.check_run.external_id = 'preview#2';
    payload.check_run.head_sha = created.check_run.head_sha;
    payload.check_run.pull_requests = created.check_run.pull_requests;
    const response = await handleDelivery(await delivery('check_run', payload), deps);
    expect(response.statusCode).toBe(202);
    expect(enqueued).toEqual([
      expect.objectContaining({
        kind: 'preview',
        repoURL: 'https://github.com/Codertocat/Hello-World.git',
        pullRequest: 2,
        revision: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
        base: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
        baseRef: 'master',
        headRef: 'changes',
      }),
    ]);
  });

  it('ignores a preview re-run of a pull request that moved on, comes from a fork or left the check', async () => {
    const created = example('check_run', 'created');
    const payload = example('check_run', 'rerequested');
    payload.repository = created.repository;
    payload.check_run.external_id = 'preview#2';
    payload.check_run.pull_requests = created.check_run.pull_requests;
    // The check is on an older commit than the pull request's head now.
    const { deps, enqueued } = dependencies();
    expect((await handleDelivery(await delivery('check_run', payload), deps)).body.message).toBe(
      'ignored: pull request #2 has a newer head than d6fde92: its own preview shows it',
    );
    payload.check_run.pull_requests = structuredClone(created.check_run.pull_requests);
    payload.check_run.head_sha = created.check_run.head_sha;
    payload.check_run.pull_requests[0].head.repo.id = 1;
    expect((await handleDelivery(await delivery('check_run', payload), deps)).body.message).toBe('ignored: pull request #2 comes from a fork: not previewed');
    payload.check_run.pull_requests = [];
    expect((await handleDelivery(await delivery('check_run', payload), deps)).body.message).toBe(
      "ignored: pull request #2 is not among the check run's pull requests (closed or merged): not previewed again",
    );
    expect(enqueued).toEqual([]);
  });

  it('refuses a malformed preview id and a sha GitHub would not send, naming the field', async () => {
    const { deps, enqueued } = dependencies();
    const payload = syncRerun();
    payload.check_run.external_id = 'preview#two';
    expect(await handleDelivery(await delivery('check_run', payload), deps)).toEqual({
      statusCode: 400,
      body: { message: 'check_run payload "check_run.external_id" is not a preview\'s (preview#<pull request number>)' },
    });
    const other = syncRerun();
    other.repository.clone_url = 'https://github.com/github/hello-world.git?ref=x';
    const response = await handleDelivery(await delivery('check_run', other), deps);
    expect(response.statusCode).toBe(400);
    expect(response.body.message).toMatch(/^check_run payload "repository\.clone_url": .*query or fragment/);
    expect(enqueued).toEqual([]);
  });
});

describe('a check_suite delivery', () => {
  it('rerequested queues nothing and says what to do instead', async () => {
    const { deps, enqueued } = dependencies();
    const response = await handleDelivery(await delivery('check_suite', example('check_suite', 'rerequested')), deps);
    expect(response).toEqual({ statusCode: 200, body: { message: 'ignored: check suites are not re-run as a whole: re-run a Driftless check run instead' } });
    expect(enqueued).toEqual([]);
  });
});
