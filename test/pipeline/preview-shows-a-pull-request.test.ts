// A pull request, end to end: GitHub's own pull_request payloads, signed, through the real
// webhook and worker handlers; a real git branch in the GitHub double's repository; the worker
// authenticated as a GitHub App (check runs are for apps). The double ends with a "Driftless
// preview" check run on the head showing the app's change, the sandbox saw no write but dry
// runs, and each push to the pull request gets its own check run on its own head. A head that
// a newer push superseded before its job ran is not previewed. "Re-run" on a sync check syncs
// the target again, recorded as a manual sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCheckRun } from '../support/github-api.ts';
import { githubExample, OWNER, REPO, REPO_URL, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

/** GitHub's example payloads, edited field by field as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payload = Record<string, any>;

const EMPTY = '0000000000000000000000000000000000000000';
const PULL = 7;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let pipeline: Pipeline;
let base: string;

beforeAll(async () => {
  pipeline = await startPipeline({ githubApp: true });
  const registry = webRegistry();
  base = await pipeline.repo.commit({ ...registry, ...webApp('blue') });
  await pipeline.push(EMPTY, base, { added: [...Object.keys(registry), ...Object.keys(webApp('blue'))] });
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === base);
  await pipeline.repo.git('checkout', '-q', '-b', 'feature');
  pipeline.github.addPullRequest(OWNER, REPO, { number: PULL, base: 'main', head: 'feature' });
});
afterAll(() => pipeline?.stop());

/** GitHub's pull_request example of `action`, for our pull request at `head`. */
function pullRequestEvent(action: string, head: string): Record<string, unknown> {
  const payload = githubExample('pull_request') as Payload;
  const repository = {
    ...payload.repository,
    name: REPO,
    full_name: `${OWNER}/${REPO}`,
    clone_url: REPO_URL,
    html_url: `https://github.com/${OWNER}/${REPO}`,
    default_branch: 'main',
  };
  return {
    ...payload,
    action,
    number: PULL,
    pull_request: {
      ...payload.pull_request,
      number: PULL,
      state: 'open',
      head: { ...payload.pull_request.head, ref: 'feature', sha: head, repo: repository },
      base: { ...payload.pull_request.base, ref: 'main', sha: base, repo: repository },
    },
    repository,
  };
}

function previewChecks(sha?: string): RecordedCheckRun[] {
  return pipeline.github.checkRuns.filter((run) => run.name === 'Driftless preview' && (sha === undefined || run.head_sha === sha));
}

async function previewed(sha: string): Promise<boolean> {
  return previewChecks(sha).some((run) => run.status === 'completed');
}

function output(run: RecordedCheckRun): string {
  return `${run.output?.title}\n${run.output?.summary}\n${run.output?.text ?? ''}`;
}

describe('a pull request', () => {
  let first: string;

  it('opened: a "Driftless preview" check run on its head shows the app change, and nothing is written to the cluster', async () => {
    first = await pipeline.repo.commit(webApp('green'));
    const logged = pipeline.sandbox.requests.entries().length;
    const response = await pipeline.deliver('pull_request', pullRequestEvent('opened', first));
    expect(response).toMatchObject({ statusCode: 202, body: { pullRequest: PULL, revision: first } });

    await pipeline.work(() => previewed(first));
    const [run] = previewChecks(first);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'neutral', external_id: `preview#${PULL}` });
    // in_progress first, then completed with the output.
    expect(run.updates.map((update) => update.status)).toEqual(['in_progress', 'completed']);
    expect(output(run)).toContain('web');
    expect(output(run)).toMatch(/^-.*color: blue/m);
    expect(output(run)).toMatch(/^\+.*color: green/m);
    // The files came from GitHub's pull request files API.
    expect(pipeline.github.requests.some((request) => request.method === 'GET' && request.path === `/repos/${OWNER}/${REPO}/pulls/${PULL}/files`)).toBe(true);

    const writes = pipeline.sandbox.requests
      .entries()
      .slice(logged)
      .filter((entry) => WRITES.has(entry.method));
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.filter((entry) => entry.query.dryRun !== 'All')).toEqual([]);
    // The cluster still runs the base.
    expect((await pipeline.store.getTarget('web', 'sandbox'))?.revision).toBe(base);
  });

  it('a second push: a new check run on the new head, the first one left as it was', async () => {
    const second = await pipeline.repo.commit(webApp('red'));
    const response = await pipeline.deliver('pull_request', pullRequestEvent('synchronize', second));
    expect(response.statusCode).toBe(202);
    await pipeline.work(() => previewed(second));
    const [run] = previewChecks(second);
    expect(run.conclusion).toBe('neutral');
    expect(output(run)).toMatch(/^\+.*color: red/m);
    expect(previewChecks(first)).toHaveLength(1);
    expect(output(previewChecks(first)[0])).toMatch(/^\+.*color: green/m);
  });

  it('a head superseded before its job ran is not previewed; the newer head is', async () => {
    const third = await pipeline.repo.commit(webApp('yellow'));
    const fourth = await pipeline.repo.commit({
      ...webApp('yellow'),
      'apps/web/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-extra }\ndata: { a: b }\n',
    });
    expect((await pipeline.deliver('pull_request', pullRequestEvent('synchronize', third))).statusCode).toBe(202);
    expect((await pipeline.deliver('pull_request', pullRequestEvent('synchronize', fourth))).statusCode).toBe(202);
    await pipeline.work(async () => (await previewed(fourth)) && (await pipeline.queueDepth()) === 0);
    expect(previewChecks(third)).toEqual([]);
    expect(output(previewChecks(fourth)[0])).toContain('web-extra');
  });

  it('closed: nothing is queued', async () => {
    const response = await pipeline.deliver('pull_request', pullRequestEvent('closed', first));
    expect(response.statusCode).toBe(200);
    expect(await pipeline.queueDepth()).toBe(0);
  });
});

describe('"Re-run" on a sync check', () => {
  it('syncs the target again at the check commit, recorded as a manual sync', async () => {
    const payload = githubExample('check_run') as Payload;
    const rerun = {
      ...payload,
      action: 'rerequested',
      check_run: { ...payload.check_run, name: 'driftless/web@sandbox', external_id: 'web@sandbox', head_sha: base, pull_requests: [] },
      repository: { ...payload.repository, clone_url: REPO_URL, full_name: `${OWNER}/${REPO}`, name: REPO },
    };
    const response = await pipeline.deliver('check_run', rerun);
    expect(response).toEqual({ statusCode: 202, body: { message: 'sync of web@sandbox queued again (re-run)', targets: ['web@sandbox'], revision: base } });
    const manual = async () => (await pipeline.store.listHistory('web', 'sandbox', 10)).find((entry) => entry.reason === 'manual');
    await pipeline.work(async () => (await manual()) !== undefined);
    expect(await manual()).toMatchObject({ revision: base, status: 'Synced' });
  });
});
