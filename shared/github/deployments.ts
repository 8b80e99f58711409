// GitHub Deployments: one per app × cluster environment and commit, so the repository's
// Environments page shows what runs where. Created when a sync of a commit starts (in_progress),
// then success or failure when it ends; a superseded one goes inactive. GitHub marks the earlier
// deployments of the environment inactive itself when one succeeds (auto_inactive, the default,
// for environments that are neither transient nor production).
//
// A decorator over the commit-status / check-run poster: the post goes there first, as before;
// the deployment after it, and a deployment GitHub refuses never fails the post (nor the sync):
// it is reported to `warn`, as postStatus reports a status it could not post.
import type { Octokit } from '@octokit/rest';
import { gitHubApiError } from './api-error.ts';
import { dashboardLink } from './check-runs.ts';
import { checkState } from './check-state.ts';
import { GITHUB_COM, parseGitHubRepoURL } from './repo-url.ts';
import { truncateDescription, type CommitStatus, type CommitStatusPoster } from './status.ts';

/** `<cluster>/<app>` unless DEPLOYMENT_ENVIRONMENT says otherwise. */
export const DEFAULT_ENVIRONMENT_TEMPLATE = '{cluster}/{app}';
/** GitHub: "An environment name may not exceed 255 characters." */
const MAX_ENVIRONMENT = 255;

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'inactive';

export interface DeploymentPosterOptions {
  host?: string;
  /** e.g. `{cluster}-{app}`; `{app}` and `{cluster}` are the only placeholders. */
  environmentTemplate?: string;
  dashboardUrl?: string;
  warn: (message: string, fields: Record<string, unknown>) => void;
}

interface KnownDeployment {
  id: number;
  done: boolean;
}

/** The environment of an app on a cluster, by the template; throws on a placeholder it does not know. */
export function environmentName(template: string, app: string, cluster: string): string {
  const name = template.replace(/\{([^}]*)\}/g, (whole, key: string) => {
    if (key === 'app') return app;
    if (key === 'cluster') return cluster;
    throw new Error(`DEPLOYMENT_ENVIRONMENT ${JSON.stringify(template)}: unknown placeholder ${whole} (use {app} and {cluster})`);
  });
  if (!name.trim() || name.length > MAX_ENVIRONMENT)
    throw new Error(`DEPLOYMENT_ENVIRONMENT ${JSON.stringify(template)} gives ${JSON.stringify(name)}: GitHub takes 1 to 255 characters`);
  return name;
}

/** Which deployment status a post means; undefined for a post that starts or ends no deployment (a window hold). */
export function deploymentState(status: Pick<CommitStatus, 'state' | 'check'>): DeploymentState | undefined {
  const state = checkState(status.state, status.check);
  if (state.status === 'queued') return undefined;
  if (state.status === 'in_progress') return 'in_progress';
  if (state.conclusion === 'success') return 'success';
  // Never applied: the deployment (if one started) is no longer what runs there.
  if (state.conclusion === 'cancelled') return 'inactive';
  return 'failure';
}

export class DeploymentPoster implements CommitStatusPoster {
  readonly #inner: CommitStatusPoster;
  readonly #octokit: Octokit;
  readonly #host: string;
  readonly #template: string;
  readonly #dashboardUrl?: string;
  readonly #warn: DeploymentPosterOptions['warn'];
  /** `owner/repo@sha environment` → the deployment this process last posted to. */
  readonly #deployments = new Map<string, KnownDeployment>();

  constructor(inner: CommitStatusPoster, octokit: Octokit, options: DeploymentPosterOptions) {
    this.#inner = inner;
    this.#octokit = octokit;
    this.#host = options.host ?? GITHUB_COM;
    this.#template = options.environmentTemplate ?? DEFAULT_ENVIRONMENT_TEMPLATE;
    // A bad template stops the cold start, not every sync.
    environmentName(this.#template, 'app', 'cluster');
    this.#dashboardUrl = options.dashboardUrl;
    this.#warn = options.warn;
  }

  async post(status: CommitStatus): Promise<void> {
    try {
      await this.#inner.post(status);
    } finally {
      await this.#deploy(status).catch((error: unknown) =>
        this.#warn('deployment not posted', { app: status.check?.app, cluster: status.check?.cluster, error: (error as Error).message }),
      );
    }
  }

  async #deploy(status: CommitStatus): Promise<void> {
    const target = status.check;
    const state = target && deploymentState(status);
    if (!target || !state) return;
    const { owner, repo } = parseGitHubRepoURL(status.repoURL, this.#host);
    const environment = environmentName(this.#template, target.app, target.cluster);
    const key = `${owner}/${repo}@${status.sha.toLowerCase()} ${environment}`;
    const what = `deployment of ${status.sha.slice(0, 12)} to ${environment} on ${owner}/${repo}`;
    try {
      let known = this.#deployments.get(key) ?? (await this.#find(owner, repo, status.sha, environment));
      // A sync starting on a commit whose deployment ended deploys it again: a new deployment.
      if (state === 'in_progress' && (!known || known.done)) {
        const { data } = await this.#octokit.rest.repos.createDeployment({
          owner,
          repo,
          ref: status.sha,
          task: 'deploy',
          environment,
          // The commit is what runs; GitHub must neither merge the default branch into it nor wait for statuses (ours are pending).
          auto_merge: false,
          required_contexts: [],
          transient_environment: false,
          payload: { app: target.app, cluster: target.cluster },
          description: truncateDescription(status.description),
        });
        if (!('id' in data)) throw new Error(`GitHub did not create the deployment: ${data.message ?? 'no id'}`);
        known = { id: data.id, done: false };
      }
      // A result without a deployment started here (it started before deployments were on): nothing to end.
      if (!known) return;
      const link = dashboardLink(this.#dashboardUrl, status);
      await this.#octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: known.id,
        state,
        description: truncateDescription(status.description),
        ...(link ? { environment_url: link, log_url: link } : {}),
        // The default, said out loud: earlier deployments of the environment go inactive on success.
        auto_inactive: true,
      });
      this.#deployments.set(key, { id: known.id, done: state !== 'in_progress' });
    } catch (error) {
      throw gitHubApiError(`posting ${what}`, error);
    }
  }

  /** The newest deployment of the commit to the environment, and whether it ended, when another process made it. */
  async #find(owner: string, repo: string, sha: string, environment: string): Promise<KnownDeployment | undefined> {
    const { data } = await this.#octokit.rest.repos.listDeployments({ owner, repo, sha, environment, task: 'deploy', per_page: 1 });
    const deployment = data[0];
    if (!deployment) return undefined;
    const statuses = await this.#octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: deployment.id, per_page: 1 });
    const last = statuses.data[0]?.state;
    return { id: deployment.id, done: last !== undefined && !['in_progress', 'queued', 'pending'].includes(last) };
  }
}
