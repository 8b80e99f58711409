// The gates between RollingSync steps through the real pipeline (issue 14 item 6): after dev, the
// CloudWatch alarm api-5xx must be OK before staging starts. CloudWatch is a protocol-level double
// (AWS JSON 1.0 DescribeAlarms, what the installed SDK client speaks) the worker reaches through
// AWS_ENDPOINT_URL_CLOUDWATCH. INSUFFICIENT_DATA holds the rollout at the gate (staging untouched,
// its status says what it waits for) until a person promotes it; ALARM halts; a person's abort
// stops it, and the pending target's status names who; OK lets it through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../local/sandbox/request-log.ts';
import { abortRollout, promoteRollout } from '../../shared/operations/rollout.ts';
import { jobQueue } from '../../shared/runtime/environment.ts';
import { startCloudWatchDouble, type CloudWatchDouble } from '../rollout/cloudwatch-double.ts';
import { sandboxWrites, startPipeline, type Pipeline } from '../support/pipeline.ts';
import { byEnv, guestbook, guestbookRegistry } from '../support/rollout-guestbook.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const CONFIG_SHA = 'c0ffee0000000000000000000000000000000000';
const ENVS = ['dev', 'staging'] as const;
let pipeline: Pipeline;
let cloudWatch: CloudWatchDouble;
beforeAll(async () => {
  cloudWatch = await startCloudWatchDouble();
  pipeline = await startPipeline();
  process.env.AWS_ENDPOINT_URL_CLOUDWATCH = cloudWatch.endpoint;
  await pipeline.store.putRegistry(guestbookRegistry(ENVS, [{ ...byEnv('dev'), alarms: ['api-5xx'] }, byEnv('staging')]), CONFIG_SHA);
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH;
  await pipeline?.stop();
  await cloudWatch?.stop();
});

function stagingWrites(from: number): LoggedRequest[] {
  return sandboxWrites(pipeline).filter(
    (entry) => entry.seq > from && (entry.namespace === 'gb-staging' || (entry.resource === 'namespaces' && entry.name === 'gb-staging')),
  );
}

function lastSeq(): number {
  return pipeline.sandbox.requests.entries().at(-1)?.seq ?? 0;
}

function stagingStatus(sha: string) {
  return pipeline.github.statuses.filter((status) => status.context === 'driftless/guestbook-staging@staging' && status.sha === sha).at(-1);
}

const operations = () => ({ store: pipeline.store, queue: jobQueue(process.env) });

let previous = EMPTY;
let color = 0;
/** A new commit of the guestbook pushed; `dev` rolls out, the gate after it decides. */
async function pushCommit(): Promise<string> {
  const files = guestbook(`c${color++}`);
  const sha = await pipeline.repo.commit(files);
  await pipeline.push(previous, sha, { modified: Object.keys(files) });
  previous = sha;
  return sha;
}

async function rolloutOf(sha: string, status: string): Promise<boolean> {
  const state = await pipeline.store.getRollout('guestbook');
  return state?.id === sha && state.status === status;
}

describe('gates after a RollingSync step', () => {
  it('INSUFFICIENT_DATA holds the rollout at the gate until a person promotes it', async () => {
    cloudWatch.alarms.set('api-5xx', 'INSUFFICIENT_DATA');
    const from = lastSeq();
    const sha = await pushCommit();
    await pipeline.work(() => rolloutOf(sha, 'waiting'), 60_000);
    expect(await pipeline.store.getRollout('guestbook')).toMatchObject({ step: 0, reason: 'alarm api-5xx is INSUFFICIENT_DATA' });
    expect(cloudWatch.calls.at(-1)).toEqual(['api-5xx']);
    expect(stagingWrites(from)).toEqual([]);
    expect(stagingStatus(sha)).toMatchObject({
      state: 'pending',
      description: 'waiting for rollout step 2 of 2 (env In [staging]): step 1 alarm api-5xx is INSUFFICIENT_DATA',
    });

    await promoteRollout(operations(), 'guestbook', 'alice');
    await pipeline.work(() => rolloutOf(sha, 'done'), 60_000);
    expect(await pipeline.store.getTarget('guestbook-staging', 'staging')).toMatchObject({ revision: sha, syncStatus: 'Synced', health: 'Healthy' });
  }, 150_000);

  it('ALARM halts: staging sees no write and its status says why', async () => {
    cloudWatch.alarms.set('api-5xx', 'ALARM');
    const from = lastSeq();
    const sha = await pushCommit();
    await pipeline.work(() => rolloutOf(sha, 'halted'), 60_000);
    expect((await pipeline.store.getRollout('guestbook'))?.reason).toBe('step 1 of 2 (env In [dev]): alarm api-5xx is ALARM; later steps are not started');
    expect(stagingWrites(from)).toEqual([]);
    expect(stagingStatus(sha)).toMatchObject({
      state: 'failure',
      description: 'not applied: rollout halted at step 1 of 2 (env In [dev]): alarm api-5xx is ALARM; later steps are not started',
    });
  }, 90_000);

  it('abort stops a rollout at its gate: nothing more starts and the pending target says who aborted it', async () => {
    cloudWatch.alarms.set('api-5xx', 'INSUFFICIENT_DATA');
    const from = lastSeq();
    const sha = await pushCommit();
    await pipeline.work(() => rolloutOf(sha, 'waiting'), 60_000);
    await abortRollout(operations(), 'guestbook', 'bob');
    cloudWatch.alarms.set('api-5xx', 'OK');
    await pipeline.work(async () => stagingStatus(sha)?.state === 'failure', 30_000);
    expect(stagingStatus(sha)?.description).toBe('not applied: rollout aborted by bob at step 1 of 2');
    expect(await pipeline.store.getRollout('guestbook')).toMatchObject({ id: sha, status: 'aborted', by: 'bob' });
    expect(stagingWrites(from)).toEqual([]);
  }, 90_000);

  it('OK lets the rollout through to the next step', async () => {
    cloudWatch.alarms.set('api-5xx', 'OK');
    const sha = await pushCommit();
    await pipeline.work(() => rolloutOf(sha, 'done'), 60_000);
    expect(await pipeline.store.getTarget('guestbook-staging', 'staging')).toMatchObject({ revision: sha, syncStatus: 'Synced', health: 'Healthy' });
  }, 90_000);
});
