// A RollingSync rollout through the real webhook, queue, worker, dynalite and sandbox (issue 14
// items 5–7): the guestbook ApplicationSet's apps on three clusters — three Cluster entries on the
// one sandbox, each app in a namespace of its own, which is cheaper than three API servers and
// keeps one request log to read — roll out step by step by their `env` label: dev, then staging
// once dev is Synced and Healthy at the commit (and soaked), then prod. A Degraded dev halts the
// rollout: staging and prod see no write and their commit statuses say why. A newer commit
// supersedes a rollout in progress within seconds and starts again from the first step.
// The registry is written directly (apps carrying `applicationSet` and `labels`, the set with its
// strategy), as the registry refresh stores what the ApplicationSet generates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../local/sandbox/request-log.ts';
import { sandboxWrites, startPipeline, type Pipeline } from '../support/pipeline.ts';
import { byEnv, guestbook, guestbookRegistry } from '../support/rollout-guestbook.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const CONFIG_SHA = 'c0ffee0000000000000000000000000000000000';
const ENVS = ['dev', 'staging', 'prod'] as const;
let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline?.stop();
});

/** Writes that reach the namespace of `env`'s app (its objects, and the namespace itself), after log entry `from`. */
function writesOf(env: string, from = 0): LoggedRequest[] {
  const namespace = `gb-${env}`;
  return sandboxWrites(pipeline).filter(
    (entry) => entry.seq > from && (entry.namespace === namespace || (entry.resource === 'namespaces' && entry.name === namespace)),
  );
}

function lastSeq(): number {
  return pipeline.sandbox.requests.entries().at(-1)?.seq ?? 0;
}

function statuses(env: string, sha: string) {
  return pipeline.github.statuses.filter((status) => status.context === `driftless/guestbook-${env}@${env}` && status.sha === sha);
}

function rolloutEvents(id: string): Array<{ type: string; detail: Record<string, unknown> }> {
  return pipeline.eventBridge.entries
    .filter((entry) => entry.DetailType?.startsWith('Rollout'))
    .map((entry) => ({ type: entry.DetailType!, detail: JSON.parse(entry.Detail ?? '{}') as Record<string, unknown> }))
    .filter((event) => event.detail.revision === id);
}

async function until(done: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) {
      const targets = await Promise.all(ENVS.map((env) => pipeline.store.getTarget(`guestbook-${env}`, env)));
      const brief = targets.map((target) => ({ ...target, inventory: undefined, sources: undefined }));
      console.error(
        `${what}: not there in ${timeoutMs} ms; rollout ${JSON.stringify(await pipeline.store.getRollout('guestbook'))}; targets ${JSON.stringify(brief)}`,
      );
      throw new Error(
        `${what}: not there in ${timeoutMs} ms; rollout ${JSON.stringify(await pipeline.store.getRollout('guestbook'))}; targets ${JSON.stringify(brief)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a RollingSync rollout across three clusters', () => {
  let first: string;

  it('roll one commit out dev → staging → prod, each step only once the previous is Synced, Healthy at the commit and soaked', async () => {
    await pipeline.store.putRegistry(guestbookRegistry(ENVS, [{ ...byEnv('dev'), soakMs: 2_000 }, byEnv('staging'), byEnv('prod')]), CONFIG_SHA);
    const files = guestbook('blue');
    first = await pipeline.repo.commit(files);
    const answer = await pipeline.push(EMPTY, first, { added: Object.keys(files) });
    expect(answer.body).toMatchObject({
      targets: [],
      rollouts: ['_rollout@guestbook'],
      rolloutTargets: ['guestbook-dev@dev', 'guestbook-staging@staging', 'guestbook-prod@prod'],
    });
    // The webhook marked each target and requested none: the rollout starts them.
    for (const env of ENVS) {
      expect(await pipeline.store.getTarget(`guestbook-${env}`, env)).toMatchObject({ rollout: { set: 'guestbook', id: first, revision: first } });
      expect((await pipeline.store.getTarget(`guestbook-${env}`, env))?.requestedRevision).toBeUndefined();
    }

    await pipeline
      .work(async () => (await pipeline.store.getRollout('guestbook'))?.status === 'done', 90_000)
      .catch(async (error: unknown) => {
        throw new Error(
          `${(error as Error).message}; rollout: ${JSON.stringify(await pipeline.store.getRollout('guestbook'))}; targets: ${JSON.stringify(await Promise.all(ENVS.map((env) => pipeline.store.getTarget(`guestbook-${env}`, env))))}`,
        );
      });

    const [dev] = await pipeline.store.listHistory('guestbook-dev', 'dev', 1);
    const [staging] = await pipeline.store.listHistory('guestbook-staging', 'staging', 1);
    const [prod] = await pipeline.store.listHistory('guestbook-prod', 'prod', 1);
    for (const entry of [dev, staging, prod]) expect(entry).toMatchObject({ revision: first, status: 'Synced', health: 'Healthy' });
    const firstWrite = (env: string) => Date.parse(writesOf(env)[0].time);
    // Staging's first write came after dev was Synced and Healthy at the commit and had soaked 2 s.
    expect(firstWrite('staging')).toBeGreaterThanOrEqual(Date.parse(dev.finishedAt) + 2_000);
    expect(firstWrite('prod')).toBeGreaterThanOrEqual(Date.parse(staging.finishedAt));
    expect(writesOf('staging')[0].seq).toBeGreaterThan(writesOf('dev').at(-1)!.seq);

    // While they waited, the later targets' statuses said where the rollout was.
    expect(statuses('prod', first).map((status) => status.description)).toContain('waiting for rollout step 3 of 3 (env In [prod]): step 1 syncing');
    expect(statuses('staging', first).map((status) => status.description)).toContainEqual(
      expect.stringMatching(/^waiting for rollout step 2 of 3 \(env In \[staging\]\): step 1 soak: \d+s left$/),
    );
    for (const env of ENVS) expect(statuses(env, first).at(-1)?.state).toBe('success');

    expect(await pipeline.store.getRollout('guestbook')).toMatchObject({ id: first, status: 'done', step: 2, steps: 3 });
    expect(rolloutEvents(first).map((event) => [event.type, event.detail.step])).toEqual([
      ['Rollout Started', 1],
      ['Rollout Step Completed', 1],
      ['Rollout Step Completed', 2],
      ['Rollout Step Completed', 3],
      ['Rollout Completed', 3],
    ]);
  }, 120_000);

  it('halt at a Degraded dev: staging and prod see no write, and their statuses say where it stopped and why', async () => {
    await pipeline.store.putRegistry(guestbookRegistry(ENVS, [byEnv('dev'), byEnv('staging'), byEnv('prod')]), CONFIG_SHA);
    const files = guestbook('red', 'failing-job');
    const second = await pipeline.repo.commit(files);
    const from = lastSeq();
    await pipeline.push(first, second, { modified: ['apps/guestbook/config.yaml', 'apps/guestbook/deploy.yaml'] });
    await pipeline.work(async () => (await pipeline.store.getRollout('guestbook'))?.status === 'halted', 60_000);

    const state = await pipeline.store.getRollout('guestbook');
    expect(state).toMatchObject({ id: second, status: 'halted', step: 0 });
    expect(state?.reason).toMatch(
      /^step 1 of 3 \(env In \[dev\]\): guestbook-dev@dev (is Degraded|failed to sync) at [0-9a-f]{7}; later steps are not started$/,
    );
    // Give anything that would wrongly go on the time to.
    const haltedAt = Date.now();
    await pipeline.work(async () => Date.now() - haltedAt > 5_000, 15_000);
    expect(writesOf('dev', from).length).toBeGreaterThan(0);
    expect(writesOf('staging', from)).toEqual([]);
    expect(writesOf('prod', from)).toEqual([]);
    for (const env of ['staging', 'prod']) {
      const last = statuses(env, second).at(-1);
      expect(last?.state).toBe('failure');
      expect(`not applied: rollout halted at ${state?.reason}`.startsWith((last?.description ?? '').replace(/…$/, '') ?? '-')).toBe(true);
      expect(last?.description).toContain('guestbook-dev@dev');
      expect((await pipeline.store.getTarget(`guestbook-${env}`, env))?.revision).toBe(first);
    }
    expect(rolloutEvents(second).map((event) => event.type)).toEqual(['Rollout Started', 'Rollout Halted']);
  }, 120_000);

  it('a newer commit supersedes a rollout in progress within seconds and starts again from the first step', async () => {
    const stuck = guestbook('green', 'never-ready');
    const third = await pipeline.repo.commit(stuck);
    let fourth = '';
    await pipeline.push(EMPTY, third, { modified: Object.keys(stuck) });
    const worker = pipeline.startWorker();
    try {
      // Dev applies the third commit and waits for its Deployment, which never becomes ready.
      await until(
        async () =>
          (await pipeline.store.getTarget('guestbook-dev', 'dev'))?.syncStatus === 'Syncing' &&
          writesOf('dev').some((entry) => entry.resource === 'deployments'),
        30_000,
        'dev syncing the third commit',
      );
      // A fix: the Deployment without the annotation, and a new pod template for the controller to roll out.
      fourth = await pipeline.repo.commit(guestbook('yellow'));
      const pushedAt = Date.now();
      await pipeline.push(third, fourth, { modified: Object.keys(stuck) });
      await until(async () => (await pipeline.store.getRollout('guestbook'))?.id === fourth, 10_000, "the fourth commit's rollout");
      // It starts from step 1: dev is requested at the new commit within seconds of the push.
      await until(
        async () => (await pipeline.store.getTarget('guestbook-dev', 'dev'))?.requestedRevision === fourth,
        10_000,
        'dev requested at the fourth commit',
      );
      expect(Date.now() - pushedAt).toBeLessThan(15_000);
      await until(async () => (await pipeline.store.getRollout('guestbook'))?.status === 'done', 90_000, 'the fourth commit rolled out');
    } finally {
      await worker.stop();
    }
    for (const env of ENVS) {
      expect(await pipeline.store.getTarget(`guestbook-${env}`, env)).toMatchObject({ revision: fourth, syncStatus: 'Synced', health: 'Healthy' });
      // The superseded commit never reached staging or prod.
      expect((await pipeline.store.listHistory(`guestbook-${env}`, env, 20)).some((entry) => entry.revision === third)).toBe(env === 'dev');
    }
    // The superseded rollout's waiting targets are told their commit will not be applied.
    for (const env of ['staging', 'prod'])
      expect(statuses(env, third).at(-1)).toMatchObject({ state: 'failure', description: expect.stringContaining('not applied') });
    expect(rolloutEvents(fourth).map((event) => event.type)).toEqual([
      'Rollout Started',
      'Rollout Step Completed',
      'Rollout Step Completed',
      'Rollout Step Completed',
      'Rollout Completed',
    ]);
    expect(rolloutEvents(third).map((event) => event.type)).toEqual(['Rollout Started']);
  }, 180_000);
});
