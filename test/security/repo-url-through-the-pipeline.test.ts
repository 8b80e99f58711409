// Issue 12, item 3 end to end: a tenant who may write Applications of project team-a pushes one
// whose repoURL is spelt to reach team-b's repository, through the real webhook, SQS and worker
// handlers. The registry is refused (naming file, line and field), nothing is applied, and the
// fleet's token never asks GitHub for team-b's repository. A registry that holds such a URL
// anyway (written before this check) gets the same refusal from the worker's fetch, as bad
// input, once; a repository on another host is never read as the same-named one on GitHub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from '../../shared/config/types.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { drainCapturing } from '../support/drain-capturing.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { GITHUB_TOKEN, sandboxWrites, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const MARKER = 'team-b-secret-7d2e41';
const HOSTILE = 'https://github.com/team-a/../team-b/x';

const PROJECT = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: team-a, namespace: argocd }
spec:
  sourceRepos: ['https://github.com/team-a/*']
  destinations: [{ name: sandbox, namespace: team-a }]
`;

const sneaky = (repoURL: string, project = 'team-a') => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: sneaky, namespace: argocd }
spec:
  project: ${project}
  source:
    repoURL: ${repoURL}
    targetRevision: main
    path: deploy
  destination: { name: sandbox, namespace: team-a }
  syncPolicy: { automated: {} }
`;

let pipeline: Pipeline;
let teamB: TestRepo;
let head = EMPTY;
const logged: string[] = [];

beforeAll(async () => {
  pipeline = await startPipeline({ maxReceiveCount: 3, visibilityTimeoutSeconds: 1 });
  teamB = await createRepo();
  await teamB.commit({ 'deploy/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: { name: loot }\nstringData: { k: ${MARKER} }\n` });
  pipeline.github.addRepo('team-b', 'x', teamB.dir);
}, 60_000);
afterAll(async () => {
  await pipeline?.stop();
  await teamB?.remove();
});

/** Commits and pushes `files`, then runs the worker one receive at a time until the queue is empty. */
async function pushAndWork(files: Record<string, string | null>): Promise<string[]> {
  const sha = await pipeline.repo.commit(files);
  expect((await pipeline.push(head, sha, { added: Object.keys(files) })).statusCode).toBe(202);
  head = sha;
  return work();
}

function work(): Promise<string[]> {
  return drainCapturing(pipeline, logged, 12);
}

function teamBAsked(): string[] {
  return pipeline.github.requests.map((request) => request.path).filter((path) => /team-b/i.test(path));
}

function everythingSaid(): string {
  return [
    ...pipeline.github.statuses.map((status) => JSON.stringify(status)),
    ...pipeline.eventBridge.entries.map((entry) => JSON.stringify(entry)),
    ...logged,
  ].join('\n');
}

describe("an Application of team-a whose repoURL is spelt to reach team-b's repository", () => {
  it('is refused with the registry: the problem named at file:line spec.source.repoURL, nothing stored, nothing applied', async () => {
    const sha = await pipeline.repo.commit({ ...webRegistry(), ...webApp('blue'), 'driftless/team-a.yaml': PROJECT, 'driftless/sneaky.yaml': sneaky(HOSTILE) });
    expect((await pipeline.push(head, sha, { added: ['driftless/sneaky.yaml'] })).statusCode).toBe(202);
    head = sha;
    expect(await work()).toEqual(['registry-refresh#1']);

    expect(await pipeline.store.getRegistry()).toBeUndefined();
    const registryStatus = pipeline.github.statuses.filter((status) => status.context === 'driftless/registry' && status.sha === sha);
    expect(registryStatus.map((status) => status.state)).toEqual(['failure']);
    expect(logged.join('')).toMatch(
      /driftless\/sneaky\.yaml:7: Application\/sneaky: spec\.source\.repoURL: repository URL \\?"https:\/\/github\.com\/team-a\/\.\.\/team-b\/x\\?": has a \\?"\.\\?" or \\?"\.\.\\?" path segment/,
    );
    expect(teamBAsked()).toEqual([]);
    expect(sandboxWrites(pipeline)).toEqual([]);
    expect(everythingSaid()).not.toContain(MARKER);
  });

  it('held in a registry stored before the check: the sync is refused as bad input, once, and GitHub is not asked', async () => {
    const registry: Registry = {
      apps: [
        {
          name: 'sneaky',
          project: 'default',
          source: { repoURL: HOSTILE, targetRevision: 'main', path: 'deploy' },
          destinations: [{ cluster: 'sandbox', namespace: 'team-a' }],
          syncPolicy: { automated: { prune: false, selfHeal: false, allowEmpty: false }, syncOptions: [], createNamespace: false },
          ignoreDifferences: [],
          definedIn: { file: 'driftless/sneaky.yaml', line: 1 },
        },
      ],
      clusters: [{ name: 'sandbox', kubeconfig: { context: 'sandbox' }, labels: {}, definedIn: { file: 'driftless/clusters.yaml', line: 1 } }],
      projects: [],
    } as unknown as Registry;
    await pipeline.store.putRegistry(registry, head);
    const queue = new SqsJobQueue({ client: pipeline.services.sqs, queueUrl: pipeline.services.queueUrl });
    await queue.enqueue([{ kind: 'sync', app: 'sneaky', cluster: 'sandbox', revision: 'main', trigger: 'manual', enqueuedAt: new Date().toISOString() }]);
    expect(await work()).toEqual(['sync#1']);

    const target = await pipeline.store.getTarget('sneaky', 'sandbox');
    expect(target?.syncStatus).toBe('Failed');
    expect(target?.message).toMatch(/^cannot sync: repository URL "https:\/\/github\.com\/team-a\/\.\.\/team-b\/x": has a "\." or "\.\." path segment/);
    expect(target?.revision).toBeUndefined();
    expect(await pipeline.queueDepth(pipeline.services.dlqUrl)).toBe(0);
    expect(teamBAsked()).toEqual([]);
    expect(sandboxWrites(pipeline)).toEqual([]);
    expect(everythingSaid()).not.toContain(MARKER);
  });
});

describe('an Application on another host', () => {
  it('is never fetched as the same-named GitHub repository: bad input recorded on the target, nothing applied', async () => {
    await pipeline.store.putRegistry({ apps: [], clusters: [], projects: [] }, head);
    pipeline.sandbox.requests.clear();
    const receives = await pushAndWork({
      ...webRegistry(),
      'driftless/team-a.yaml': null,
      'driftless/sneaky.yaml': sneaky('https://gitlab.com/team-b/x', 'default').replace('namespace: team-a }', 'namespace: shop }'),
    });
    expect(receives.every((receive) => receive.endsWith('#1'))).toBe(true);
    const target = await pipeline.store.getTarget('sneaky', 'sandbox');
    expect(target?.message).toMatch(
      /^cannot sync: repository URL "https:\/\/gitlab\.com\/team-b\/x": host gitlab\.com is not the GitHub host this installation reads \(github\.com\)/,
    );
    expect(target?.revision).toBeUndefined();
    expect(teamBAsked()).toEqual([]);
    expect(sandboxWrites(pipeline).filter((entry) => JSON.stringify(entry).includes('sneaky'))).toEqual([]);
    expect(everythingSaid()).not.toContain(MARKER);
    expect(everythingSaid()).not.toContain(GITHUB_TOKEN);
  });
});
