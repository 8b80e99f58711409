// Check runs: with a GitHub App, each app × cluster × commit is one check run named as its
// commit status context (`driftless/<app>@<cluster>`), taken through queued → in_progress →
// completed with a conclusion (check-state.ts), a Markdown summary (check-summary.ts) and an
// annotation on the file and line of each object that failed (check-annotations.ts). The same
// poster interface as commit statuses, so the worker posts one way whatever GitHub it has.
//
// A run's id is kept in the poster for the life of the process, so the updates of one sync make
// no extra request; another process (a continuation, a retry elsewhere) finds it once with
// GET /commits/{sha}/check-runs?check_name=. A sync that starts again on a commit whose run is
// completed (a re-run, a self-heal) gets a new run, as GitHub expects of a rerequested check.
import type { Octokit } from '@octokit/rest';
import { targetId } from '../queue/job.ts';
import { gitHubApiError } from './api-error.ts';
import { annotationBatches, failureAnnotations, type CheckAnnotation } from './check-annotations.ts';
import { checkState, type CheckState } from './check-state.ts';
import { checkOutput, type CheckOutput } from './check-summary.ts';
import { GITHUB_COM, parseGitHubRepoURL } from './repo-url.ts';
import { ConsoleStatusPoster, type CommitStatus, type CommitStatusPoster, type LineSink } from './status.ts';

export interface CheckRunPosterOptions {
  /** The GitHub the client reads (gitHubHost): a repository elsewhere is refused. */
  host?: string;
  /** DASHBOARD_URL: the run links to `${dashboardUrl}/apps/<app>?cluster=<cluster>`. */
  dashboardUrl?: string;
  now?: () => Date;
}

interface KnownRun {
  id: number;
  completed: boolean;
  /** It has a started_at already. */
  started: boolean;
}

export class GitHubCheckRunPoster implements CommitStatusPoster {
  readonly #octokit: Octokit;
  readonly #host: string;
  readonly #dashboardUrl?: string;
  readonly #now: () => Date;
  /** `owner/repo@sha name` → the run this process last posted. */
  readonly #runs = new Map<string, KnownRun>();

  constructor(octokit: Octokit, options: CheckRunPosterOptions = {}) {
    this.#octokit = octokit;
    this.#host = options.host ?? GITHUB_COM;
    this.#dashboardUrl = options.dashboardUrl;
    this.#now = options.now ?? (() => new Date());
  }

  async post(status: CommitStatus): Promise<void> {
    const { owner, repo } = parseGitHubRepoURL(status.repoURL, this.#host);
    const where = { owner, repo };
    const state = checkState(status.state, status.check);
    const link = dashboardLink(this.#dashboardUrl, status);
    const output = checkOutput({ state, description: status.description, sha: status.sha, details: status.check, dashboardLink: link });
    const [first = [], ...more] = annotationBatches(state.status === 'completed' ? failureAnnotations(status.check?.result?.objects ?? []) : []);
    const key = `${owner}/${repo}@${status.sha.toLowerCase()} ${status.context}`;
    try {
      const known = this.#runs.get(key) ?? (await this.#find(owner, repo, status.sha, status.context));
      // A finished run is not reopened: a sync starting again on the commit is a new run.
      const reuse = known !== undefined && !(known.completed && state.status !== 'completed');
      const body = {
        ...where,
        name: status.context,
        // A retry's in_progress keeps the time the run first started.
        ...lifecycle(state, this.#now(), reuse && known.started),
        ...(status.check ? { external_id: targetId(status.check.app, status.check.cluster) } : {}),
        ...(link ? { details_url: link } : {}),
        output: withAnnotations(output, first),
      };
      const id = reuse
        ? (await this.#octokit.rest.checks.update({ ...body, check_run_id: known.id })).data.id
        : (await this.#octokit.rest.checks.create({ ...body, head_sha: status.sha })).data.id;
      const started = state.status !== 'queued' || (reuse && known.started);
      this.#runs.set(key, { id, completed: state.status === 'completed', started });
      // GitHub appends the annotations of each update: the rest, 50 at a time.
      for (const batch of more) await this.#octokit.rest.checks.update({ ...where, check_run_id: id, output: withAnnotations(output, batch) });
    } catch (error) {
      throw gitHubApiError(`posting check run ${status.context} on ${owner}/${repo}@${status.sha}`, error);
    }
  }

  /** The latest run of that name on the commit, when another process made it. */
  async #find(owner: string, repo: string, sha: string, name: string): Promise<KnownRun | undefined> {
    const { data } = await this.#octokit.rest.checks.listForRef({ owner, repo, ref: sha, check_name: name, filter: 'latest', per_page: 1 });
    const run = data.check_runs[0];
    return run ? { id: run.id, completed: run.status === 'completed', started: run.started_at !== null && run.status !== 'queued' } : undefined;
  }
}

function lifecycle(state: CheckState, now: Date, started: boolean): Record<string, string> {
  switch (state.status) {
    case 'queued':
      return { status: 'queued' };
    case 'in_progress':
      return started ? { status: 'in_progress' } : { status: 'in_progress', started_at: now.toISOString() };
    case 'completed':
      return { status: 'completed', conclusion: state.conclusion, completed_at: now.toISOString() };
  }
}

function withAnnotations(output: CheckOutput, annotations: CheckAnnotation[]): CheckOutput & { annotations?: CheckAnnotation[] } {
  return annotations.length > 0 ? { ...output, annotations } : output;
}

/** `${DASHBOARD_URL}/apps/<app>?cluster=<cluster>` for a post about a target, when there is a dashboard. */
export function dashboardLink(dashboardUrl: string | undefined, status: Pick<CommitStatus, 'check'>): string | undefined {
  if (!dashboardUrl || !status.check) return undefined;
  return `${dashboardUrl.replace(/\/+$/, '')}/apps/${encodeURIComponent(status.check.app)}?cluster=${encodeURIComponent(status.check.cluster)}`;
}

/**
 * Local mode without GitHub: the commit status line as ConsoleStatusPoster prints it, then the
 * check run's transition (`check completed failure driftless/web@local: …`) and, on completion,
 * one line per annotation.
 */
export class ConsoleCheckRunPoster implements CommitStatusPoster {
  readonly #sink: LineSink;
  readonly #statuses: ConsoleStatusPoster;
  readonly #dashboardUrl?: string;

  constructor(sink: LineSink = process.stdout, options: { dashboardUrl?: string } = {}) {
    this.#sink = sink;
    this.#statuses = new ConsoleStatusPoster(sink);
    this.#dashboardUrl = options.dashboardUrl;
  }

  async post(status: CommitStatus): Promise<void> {
    await this.#statuses.post(status);
    if (!status.check) return;
    const state = checkState(status.state, status.check);
    const { title } = checkOutput({ state, description: status.description, sha: status.sha, details: status.check });
    const conclusion = state.status === 'completed' ? ` ${state.conclusion}` : '';
    const link = dashboardLink(this.#dashboardUrl, status);
    this.#sink.write(`check ${state.status}${conclusion} ${status.context} ${status.sha.slice(0, 12)}: ${title}${link ? ` ${link}` : ''}\n`);
    if (state.status !== 'completed') return;
    for (const annotation of failureAnnotations(status.check.result?.objects ?? [])) {
      this.#sink.write(`  ${annotation.path}:${annotation.start_line}: ${annotation.title}: ${annotation.message}\n`);
    }
  }
}
