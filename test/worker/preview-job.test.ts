// The worker's preview job around the preview itself, with a real state table (dynalite), real
// git repositories read by the local fetcher and the publisher recorded at its interface (its
// GitHub side is test/github/preview-check.test.ts): a head no longer the pull request's, or a
// closed pull request's, is dropped before anything is shown; a preview that fails on bad input completes its check as
// failed and is not retried; one that fails otherwise completes it as cancelled and is retried;
// the conclusion follows the report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import type { PreviewConclusion, PreviewHandle, PreviewOutput, PreviewPublisher, PreviewSubject, PullRequestState } from '../../shared/github/preview-check.ts';
import type { ObjectRef, PreviewReport, TargetPreview } from '../../shared/preview/preview.ts';
import type { PreviewJob } from '../../shared/queue/job.ts';
import { MemoryRenderCache } from '../../shared/restore/memory-render-cache.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import type { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import type { WorkerDependencies, WorkerLogger } from '../../shared/worker/dependencies.ts';
import { previewConclusion, previewPullRequest } from '../../shared/worker/preview-job.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startStateTable, type StateTable } from '../state/table.ts';

let table: StateTable;
let store: DynamoStateStore;
let repo: TestRepo;
let base: string;
let head: string;

beforeAll(async () => {
  table = await startStateTable();
  store = table.store();
  repo = await createRepo();
  base = await repo.commit({ 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: "1"}\n' });
  head = await repo.commit({ 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: "2"}\n' });
  const registry = parseRegistryFiles([
    { file: 'driftless/c.yaml', text: 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: {name: dev}\nspec:\n  kubeconfig: {context: dev}\n' },
    {
      file: 'driftless/web.yaml',
      text: `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web}\nspec:\n  source: {repoURL: ${repo.dir}, targetRevision: main, path: apps/web}\n  destination: {name: dev, namespace: web}\n`,
    },
  ]);
  await store.putRegistry(registry, base);
});
afterAll(async () => {
  await table?.stop();
  await repo?.remove();
});

class RecordingPublisher implements PreviewPublisher {
  readonly calls: string[] = [];
  readonly completed: Array<{ conclusion: PreviewConclusion; output: PreviewOutput }> = [];
  /** What GitHub says of the pull request now; undefined: it cannot tell (local mode). */
  readonly state?: PullRequestState;
  constructor(state?: PullRequestState) {
    this.state = state;
  }
  async currentState(): Promise<PullRequestState | undefined> {
    return this.state;
  }
  async changedFiles(): Promise<undefined> {
    this.calls.push('files');
    return undefined;
  }
  async start(subject: PreviewSubject): Promise<PreviewHandle> {
    this.calls.push(`start ${subject.sha}`);
    return { subject, checkRunId: 1 };
  }
  async complete(_handle: PreviewHandle, conclusion: PreviewConclusion, output: PreviewOutput): Promise<void> {
    this.calls.push(`complete ${conclusion}`);
    this.completed.push({ conclusion, output });
  }
}

const logger: WorkerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function deps(previews: PreviewPublisher): WorkerDependencies {
  return {
    store,
    previews,
    sources: new LocalGitFetcher(),
    renders: new MemoryRenderCache(),
    logger,
    connect: async () => {
      throw new Error('no cluster is reached in these cases');
    },
  } as Partial<WorkerDependencies> as WorkerDependencies;
}

function job(overrides: Partial<PreviewJob> = {}): PreviewJob {
  return { kind: 'preview', repoURL: repo.dir, pullRequest: 5, revision: head, base, enqueuedAt: new Date().toISOString(), ...overrides };
}

describe('the preview job', () => {
  it('drops a head that is no longer the pull request head, or a closed pull request, showing nothing', async () => {
    for (const state of [
      { open: true, head: 'f'.repeat(40) },
      { open: false, head },
    ]) {
      const publisher = new RecordingPublisher(state);
      expect(await previewPullRequest(job(), deps(publisher))).toBe('preview-superseded');
      expect(publisher.calls).toEqual([]);
    }
  });

  it('runs for the head GitHub has; failing on bad input, it completes the check as failed and is not retried', async () => {
    const publisher = new RecordingPublisher({ open: true, head });
    // A base commit the repository does not have: bad input, said on the check.
    const outcome = await previewPullRequest(job({ pullRequest: 10, base: 'e'.repeat(40) }), deps(publisher));
    expect(outcome).toBe('preview-failed');
    expect(publisher.calls).toEqual(['files', `start ${head}`, 'complete failure']);
    expect(publisher.completed[0].output.summary).toContain('e'.repeat(40));
  });

  it('completes the check as cancelled and is retried when the preview fails for another reason', async () => {
    const publisher = new RecordingPublisher();
    // A repository that cannot be read is not the pull request's fault: tried again.
    await expect(previewPullRequest(job({ repoURL: `${repo.dir}-gone` }), deps(publisher))).rejects.toThrow();
    expect(publisher.calls).toEqual(['files', `start ${head}`, 'complete cancelled']);
  });
});

describe('the conclusion of a preview', () => {
  const target = (overrides: Partial<TargetPreview> = {}): TargetPreview => ({
    app: 'web',
    cluster: 'dev',
    diff: '',
    create: [],
    change: [],
    prune: [],
    verdicts: [],
    ...overrides,
  });
  const report = (...targets: TargetPreview[]): PreviewReport => ({ repoURL: 'r', base: 'b', head: 'h', targets });
  const object: ObjectRef = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'web' };

  it('is success when merging changes nothing, or touches no app', () => {
    expect(previewConclusion(report(target()))).toBe('success');
    expect(previewConclusion(report())).toBe('success');
  });

  it('is neutral when merging changes something: a diff, an object to create or to prune', () => {
    expect(previewConclusion(report(target(), target({ diff: '-a\n+b\n' })))).toBe('neutral');
    expect(previewConclusion(report(target({ create: [object] })))).toBe('neutral');
    expect(previewConclusion(report(target({ prune: [object] })))).toBe('neutral');
  });

  it('is failure when a target could not be previewed or a policy would refuse the head', () => {
    expect(previewConclusion(report(target({ diff: '-a\n+b\n' }), target({ error: { message: 'bad yaml', file: 'a.yaml', line: 3 } })))).toBe('failure');
    expect(previewConclusion(report(target({ verdicts: [{ object: 'ConfigMap/web/web', policy: 'project default', allowed: false, message: 'no' }] })))).toBe(
      'failure',
    );
    expect(previewConclusion(report(target({ verdicts: [{ object: 'ConfigMap/web/web', policy: 'project default', allowed: true, message: '' }] })))).toBe(
      'success',
    );
  });
});
