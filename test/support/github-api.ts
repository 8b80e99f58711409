// A local stand-in for the parts of GitHub's REST API Driftless calls, backed by real git
// repositories: tarballs are `git archive` output in GitHub's layout (one top folder
// `<owner>-<repo>-<short sha>/`) served behind the same redirect GitHub uses, refs resolve
// with rev-parse, commits compare as GitHub's compare API says (ahead, behind, identical,
// diverged), statuses are recorded, and GitHub App installation tokens are exchanged
// against a JWT whose signature is checked. Check runs (with their annotations, appended on
// each update as GitHub does) and deployments with their statuses are recorded too, with
// GitHub's validation: 422 for over-long output or more than 50 annotations in one request,
// 403 for check-run writes not made with an app's installation token, 409 for a deployment
// whose commit statuses are not all green unless `required_contexts` is given. Lists answer
// `per_page` / `page` with GitHub's `Link` header. Every request is recorded.

import { execFile, spawn } from 'node:child_process';
import { verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { closeServer, listenLocally, readBody } from './http.ts';
import { listPullRequestFiles, pullRequestJson, type PullRequestDouble } from './github-pulls.ts';

const run = promisify(execFile);

export interface GitHubAppDouble {
  appId: string;
  /** Public half of the app's key: the JWT octokit signs is verified with it. */
  publicKey: string | KeyObject;
  installationId: string;
  /** Token handed out for the installation; API calls must then carry it. */
  installationToken: string;
}

export interface GitHubApiOptions {
  /** Token API calls must carry; with neither this nor `app`, no authentication is asked. */
  token?: string;
  app?: GitHubAppDouble;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordedStatus {
  owner: string;
  repo: string;
  sha: string;
  state: string;
  context: string;
  description?: string;
  target_url?: string;
}

export interface RecordedAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
  start_column?: number;
  end_column?: number;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
}

/** A check run as GitHub holds it now; `updates` are the bodies of each create / update, in order. */
export interface RecordedCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id?: string;
  details_url?: string;
  started_at?: string;
  completed_at?: string;
  output?: CheckRunOutput;
  /** Every annotation sent so far, across requests (GitHub appends them). */
  annotations: RecordedAnnotation[];
  updates: Array<Record<string, unknown>>;
}

export interface RecordedDeploymentStatus {
  id: number;
  state: string;
  description?: string;
  environment?: string;
  environment_url?: string;
  log_url?: string;
  target_url?: string;
  /** true when GitHub added it (auto_inactive), not a request. */
  automatic: boolean;
}

export interface RecordedDeployment {
  id: number;
  owner: string;
  repo: string;
  ref: string;
  sha: string;
  task: string;
  environment: string;
  payload: unknown;
  description?: string;
  auto_merge: boolean;
  required_contexts?: string[];
  transient_environment: boolean;
  production_environment: boolean;
  /** In the order they were created (GitHub lists them newest first). */
  statuses: RecordedDeploymentStatus[];
}

export interface GitHubApiDouble {
  /** Base URL for createGitHubClient({ baseUrl }). */
  url: string;
  requests: RecordedRequest[];
  statuses: RecordedStatus[];
  checkRuns: RecordedCheckRun[];
  deployments: RecordedDeployment[];
  addRepo(owner: string, repo: string, dir: string, options?: { defaultBranch?: string }): void;
  /** A pull request of a repository added before: its base and head branches (its files follow them). */
  addPullRequest(owner: string, repo: string, pull: PullRequestDouble): void;
  /** The next request whose path starts with `pathPrefix` gets this status instead. */
  failNext(pathPrefix: string, status: number, message?: string): void;
  close(): Promise<void>;
}

interface Repo {
  dir: string;
  defaultBranch: string;
}

export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApiDouble> {
  const repos = new Map<string, Repo>();
  const pulls = new Map<string, PullRequestDouble>();
  const requests: RecordedRequest[] = [];
  const statuses: RecordedStatus[] = [];
  const checkRuns: RecordedCheckRun[] = [];
  const deployments: RecordedDeployment[] = [];
  let nextId = 1;
  const faults: Array<{ pathPrefix: string; status: number; message: string }> = [];
  let url = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { message: `double failed: ${(error as Error).message}` });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const requestUrl = new URL(req.url ?? '/', 'http://double');
    const path = requestUrl.pathname;
    const method = req.method ?? 'GET';
    requests.push({ method, path, headers: req.headers, body });

    const fault = faults.findIndex((candidate) => path.startsWith(candidate.pathPrefix));
    if (fault >= 0) {
      const [{ status, message }] = faults.splice(fault, 1);
      return json(res, status, { message, documentation_url: 'https://docs.github.com/rest' });
    }

    const segments = path.split('/').slice(1).map(decodeURIComponent);
    if (method === 'POST' && segments[0] === 'app' && segments[1] === 'installations' && segments[3] === 'access_tokens') {
      return exchangeToken(req, res, segments[2]);
    }
    // codeload.github.com in real life: where the tarball redirect points, no API auth.
    if (method === 'GET' && segments[0] === '_codeload') return serveTarball(res, segments[1], segments[2], segments.slice(4).join('/'));
    if (!authorized(req)) return json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    if (segments[0] !== 'repos' || segments.length < 3) return notFound(res);

    const [, owner, name, resource, ...rest] = segments;
    const repo = repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo) return notFound(res);
    const ref = rest.join('/');

    if (resource === 'check-runs') return checkRunRequest(req, res, method, owner, name, repo, rest, body);
    if (method === 'GET' && resource === 'commits' && rest.length >= 2 && rest.at(-1) === 'check-runs') {
      return listCheckRuns(res, requestUrl, owner, name, repo, rest.slice(0, -1).join('/'));
    }
    if (resource === 'deployments') return deploymentRequest(res, method, requestUrl, owner, name, repo, rest, body);
    // Pull requests: GET /repos/{owner}/{repo}/pulls/{pull_number}[/files], the files paginated.
    if (method === 'GET' && resource === 'pulls' && (rest.length === 1 || (rest.length === 2 && rest[1] === 'files'))) {
      const pull = pulls.get(`${owner}/${name}#${rest[0]}`.toLowerCase());
      if (pull && rest.length === 1) {
        const state = await pullRequestJson(repo.dir, owner, name, pull);
        return state ? json(res, 200, state) : notFound(res);
      }
      const files = pull && (await listPullRequestFiles(repo.dir, owner, name, pull));
      if (!files) return notFound(res);
      const page = paginate(res, requestUrl, files);
      return void (page && json(res, 200, page));
    }

    if (method === 'GET' && resource === undefined) {
      return json(res, 200, { name, full_name: `${owner}/${name}`, owner: { login: owner }, default_branch: repo.defaultBranch, private: true });
    }
    if (method === 'GET' && resource === 'commits' && ref) {
      const sha = await revParse(repo.dir, `${ref}^{commit}`);
      if (!sha) return json(res, 422, { message: `No commit found for SHA: ${ref}`, documentation_url: 'https://docs.github.com/rest' });
      if (req.headers.accept?.includes('application/vnd.github.sha')) {
        res.writeHead(200, { 'content-type': 'application/vnd.github.sha; charset=utf-8' });
        return void res.end(sha);
      }
      return json(res, 200, { sha, commit: { message: await run('git', ['log', '-1', '--format=%s', sha], { cwd: repo.dir }).then((r) => r.stdout.trim()) } });
    }
    if (method === 'GET' && resource === 'branches' && ref) {
      const sha = await revParse(repo.dir, `refs/heads/${ref}^{commit}`);
      if (!sha) return json(res, 404, { message: 'Branch not found', documentation_url: 'https://docs.github.com/rest' });
      return json(res, 200, { name: ref, commit: { sha }, protected: false });
    }
    if (method === 'GET' && resource === 'compare' && ref.includes('...')) {
      // GitHub's status of base...head: where head stands relative to base.
      const [baseRef, headRef] = ref.split('...', 2);
      const [base, head] = [await revParse(repo.dir, `${baseRef}^{commit}`), await revParse(repo.dir, `${headRef}^{commit}`)];
      if (!base || !head) return notFound(res);
      const count = async (range: string) => Number((await run('git', ['rev-list', '--count', range], { cwd: repo.dir })).stdout.trim());
      const [aheadBy, behindBy] = [await count(`${base}..${head}`), await count(`${head}..${base}`)];
      const status = aheadBy === 0 && behindBy === 0 ? 'identical' : behindBy === 0 ? 'ahead' : aheadBy === 0 ? 'behind' : 'diverged';
      const mergeBase = (await run('git', ['merge-base', base, head], { cwd: repo.dir }).catch(() => ({ stdout: '' }))).stdout.trim();
      return json(res, 200, {
        status,
        ahead_by: aheadBy,
        behind_by: behindBy,
        total_commits: aheadBy,
        base_commit: { sha: base },
        merge_base_commit: { sha: mergeBase },
        commits: [],
        files: [],
      });
    }
    if (method === 'GET' && resource === 'tarball') {
      const sha = await revParse(repo.dir, `${ref || repo.defaultBranch}^{commit}`);
      if (!sha) return notFound(res);
      res.writeHead(302, { location: `${url}/_codeload/${owner}/${name}/legacy.tar.gz/${ref || repo.defaultBranch}` });
      return void res.end();
    }
    if (method === 'POST' && resource === 'statuses' && ref) {
      const input = JSON.parse(body || '{}') as Omit<RecordedStatus, 'owner' | 'repo' | 'sha'>;
      if (!['pending', 'success', 'failure', 'error'].includes(input.state)) return validationFailed(res, 'state');
      if ((input.description?.length ?? 0) > 140) return validationFailed(res, 'description');
      const status = { owner, repo: name, sha: ref, ...input, context: input.context ?? 'default' };
      statuses.push(status);
      return json(res, 201, {
        id: statuses.length,
        state: status.state,
        context: status.context,
        description: status.description ?? null,
        target_url: status.target_url ?? null,
      });
    }
    return notFound(res);
  }

  async function checkRunRequest(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    owner: string,
    name: string,
    repo: Repo,
    rest: string[],
    body: string,
  ): Promise<void> {
    // GitHub: "OAuth apps and personal access tokens (classic) cannot use this endpoint" for writes.
    if (method !== 'GET' && !byInstallation(req))
      return json(res, 403, { message: 'You must authenticate via a GitHub App.', documentation_url: 'https://docs.github.com/rest/checks/runs' });
    const input = method === 'GET' ? {} : (JSON.parse(body || '{}') as Record<string, unknown>);
    if (method === 'POST' && rest.length === 0) {
      if (typeof input.name !== 'string' || !input.name) return validationFailed(res, 'name', 'CheckRun');
      const sha = typeof input.head_sha === 'string' ? await revParse(repo.dir, `${input.head_sha}^{commit}`) : undefined;
      if (!sha || sha !== String(input.head_sha).toLowerCase()) return validationFailed(res, 'head_sha', 'CheckRun');
      const run: RecordedCheckRun = {
        id: nextId++,
        owner,
        repo: name,
        name: input.name,
        head_sha: sha,
        status: 'queued',
        conclusion: null,
        annotations: [],
        updates: [],
      };
      const refused = applyCheckRun(run, input);
      if (refused) return validationFailed(res, refused, 'CheckRun');
      checkRuns.push(run);
      return json(res, 201, checkRunJson(run));
    }
    const run = checkRuns.find((candidate) => candidate.id === Number(rest[0]) && candidate.owner === owner && candidate.repo === name);
    if (!run || rest.length !== 1) return notFound(res);
    if (method === 'GET') return json(res, 200, checkRunJson(run));
    if (method !== 'PATCH') return notFound(res);
    const draft: RecordedCheckRun = { ...run, annotations: [...run.annotations], updates: [...run.updates] };
    const refused = applyCheckRun(draft, input);
    if (refused) return validationFailed(res, refused, 'CheckRun');
    Object.assign(run, draft);
    return json(res, 200, checkRunJson(run));
  }

  /** Applies a create / update body as GitHub does; answers the refused field, if any. */
  function applyCheckRun(run: RecordedCheckRun, input: Record<string, unknown>): string | undefined {
    const status = input.status as string | undefined;
    const conclusion = input.conclusion as string | undefined;
    if (status !== undefined && !CHECK_STATUSES.includes(status)) return 'status';
    if (conclusion !== undefined && !CHECK_CONCLUSIONS.includes(conclusion)) return 'conclusion';
    if ((status === 'completed' || input.completed_at !== undefined) && conclusion === undefined && run.conclusion === null) return 'conclusion';
    if (typeof input.name === 'string') run.name = input.name;
    // "Providing conclusion will automatically set the status parameter to completed."
    if (conclusion !== undefined) [run.status, run.conclusion] = ['completed', conclusion];
    else if (status !== undefined) run.status = status;
    for (const field of ['external_id', 'details_url', 'started_at', 'completed_at'] as const) {
      if (typeof input[field] === 'string') run[field] = input[field];
    }
    if (input.output !== undefined) {
      const output = input.output as Partial<CheckRunOutput> & { annotations?: unknown[] };
      if (typeof output.title !== 'string') return 'output.title';
      if (typeof output.summary !== 'string' || output.summary.length > MAX_CHECK_TEXT) return 'output.summary';
      if (output.text !== undefined && (typeof output.text !== 'string' || output.text.length > MAX_CHECK_TEXT)) return 'output.text';
      const annotations = output.annotations ?? [];
      if (annotations.length > MAX_ANNOTATIONS) return 'output.annotations';
      for (const annotation of annotations) {
        const refused = annotationRefusal(annotation as Partial<RecordedAnnotation>);
        if (refused) return `output.annotations.${refused}`;
      }
      run.output = { title: output.title, summary: output.summary, ...(output.text !== undefined ? { text: output.text } : {}) };
      run.annotations.push(...(annotations as RecordedAnnotation[]));
    }
    run.updates.push(input);
    return undefined;
  }

  function listCheckRuns(res: ServerResponse, requestUrl: URL, owner: string, name: string, repo: Repo, ref: string): Promise<void> {
    return revParse(repo.dir, `${ref}^{commit}`).then((sha) => {
      if (!sha) return json(res, 422, { message: `No commit found for SHA: ${ref}`, documentation_url: 'https://docs.github.com/rest' });
      const query = requestUrl.searchParams;
      const newestFirst = checkRuns.filter((run) => run.owner === owner && run.repo === name && run.head_sha === sha).reverse();
      // filter=latest (the default): only the most recent check run of each name.
      const latest =
        query.get('filter') === 'all' ? newestFirst : newestFirst.filter((run, i) => newestFirst.findIndex((other) => other.name === run.name) === i);
      const matching = latest.filter(
        (run) => (!query.has('check_name') || run.name === query.get('check_name')) && (!query.has('status') || run.status === query.get('status')),
      );
      const page = paginate(res, requestUrl, matching);
      if (page) json(res, 200, { total_count: matching.length, check_runs: page.map(checkRunJson) });
    });
  }

  function checkRunJson(run: RecordedCheckRun): Record<string, unknown> {
    return {
      id: run.id,
      name: run.name,
      head_sha: run.head_sha,
      status: run.status,
      conclusion: run.conclusion,
      external_id: run.external_id ?? '',
      details_url: run.details_url ?? null,
      started_at: run.started_at ?? null,
      completed_at: run.completed_at ?? null,
      output: {
        title: run.output?.title ?? null,
        summary: run.output?.summary ?? null,
        text: run.output?.text ?? null,
        annotations_count: run.annotations.length,
      },
      html_url: `https://github.com/${run.owner}/${run.repo}/runs/${run.id}`,
      url: `${url}/repos/${run.owner}/${run.repo}/check-runs/${run.id}`,
    };
  }

  async function deploymentRequest(
    res: ServerResponse,
    method: string,
    requestUrl: URL,
    owner: string,
    name: string,
    repo: Repo,
    rest: string[],
    body: string,
  ): Promise<void> {
    const mine = deployments.filter((deployment) => deployment.owner === owner && deployment.repo === name);
    if (rest.length === 0 && method === 'GET') {
      const query = requestUrl.searchParams;
      const matching = [...mine]
        .reverse()
        .filter((d) => (['sha', 'ref', 'task', 'environment'] as const).every((field) => !query.has(field) || d[field] === query.get(field)));
      const page = paginate(res, requestUrl, matching);
      return void (page && json(res, 200, page.map(deploymentJson)));
    }
    if (rest.length === 0 && method === 'POST') {
      const input = JSON.parse(body || '{}') as Record<string, unknown>;
      if (typeof input.ref !== 'string' || !input.ref) return validationFailed(res, 'ref', 'Deployment');
      const sha = await revParse(repo.dir, `${input.ref}^{commit}`);
      if (!sha) return json(res, 422, { message: `No ref found for: ${input.ref}`, documentation_url: 'https://docs.github.com/rest/deployments/deployments' });
      const required = input.required_contexts as string[] | undefined;
      // Without required_contexts, every context on the commit must be green (GitHub's default).
      const onCommit = latestStatuses(owner, name, sha);
      const failing = onCommit.filter((status) => (required ?? onCommit.map((s) => s.context)).includes(status.context) && status.state !== 'success');
      if (failing.length > 0) {
        return json(res, 409, {
          message: `Conflict: Commit status checks failed for ${input.ref}.`,
          documentation_url: 'https://docs.github.com/rest/deployments/deployments',
        });
      }
      const environment = typeof input.environment === 'string' ? input.environment : 'production';
      const deployment: RecordedDeployment = {
        id: nextId++,
        owner,
        repo: name,
        ref: input.ref,
        sha,
        task: typeof input.task === 'string' ? input.task : 'deploy',
        environment,
        payload: input.payload ?? {},
        ...(typeof input.description === 'string' ? { description: input.description } : {}),
        auto_merge: input.auto_merge !== false,
        ...(required ? { required_contexts: required } : {}),
        transient_environment: input.transient_environment === true,
        production_environment: typeof input.production_environment === 'boolean' ? input.production_environment : environment === 'production',
        statuses: [],
      };
      deployments.push(deployment);
      return json(res, 201, deploymentJson(deployment));
    }
    const deployment = mine.find((candidate) => candidate.id === Number(rest[0]));
    if (!deployment) return notFound(res);
    if (rest.length === 1 && method === 'GET') return json(res, 200, deploymentJson(deployment));
    if (rest.length !== 2 || rest[1] !== 'statuses') return notFound(res);
    if (method === 'GET') {
      const page = paginate(res, requestUrl, [...deployment.statuses].reverse());
      return void (
        page &&
        json(
          res,
          200,
          page.map((status) => deploymentStatusJson(deployment, status)),
        )
      );
    }
    if (method !== 'POST') return notFound(res);
    const input = JSON.parse(body || '{}') as Record<string, unknown> & { state?: string };
    if (!input.state || !DEPLOYMENT_STATES.includes(input.state)) return validationFailed(res, 'state', 'DeploymentStatus');
    if (typeof input.description === 'string' && input.description.length > 140) return validationFailed(res, 'description', 'DeploymentStatus');
    const status: RecordedDeploymentStatus = { id: nextId++, state: input.state, automatic: false };
    for (const field of ['description', 'environment', 'environment_url', 'log_url', 'target_url'] as const) {
      if (typeof input[field] === 'string') status[field] = input[field];
    }
    deployment.statuses.push(status);
    if (status.environment) deployment.environment = status.environment;
    // auto_inactive (default true): prior non-transient, non-production deployments of the same
    // environment that had a success state get an inactive status.
    if (status.state === 'success' && input.auto_inactive !== false) {
      for (const prior of mine) {
        const succeeded = prior.statuses.some((s) => s.state === 'success');
        const current = prior.statuses.at(-1)?.state;
        if (
          prior.id < deployment.id &&
          prior.environment === deployment.environment &&
          !prior.transient_environment &&
          !prior.production_environment &&
          succeeded &&
          current !== 'inactive'
        ) {
          prior.statuses.push({ id: nextId++, state: 'inactive', automatic: true });
        }
      }
    }
    return json(res, 201, deploymentStatusJson(deployment, status));
  }

  function latestStatuses(owner: string, name: string, sha: string): RecordedStatus[] {
    const latest = new Map<string, RecordedStatus>();
    for (const status of statuses) if (status.owner === owner && status.repo === name && status.sha === sha) latest.set(status.context, status);
    return [...latest.values()];
  }

  function deploymentJson(deployment: RecordedDeployment): Record<string, unknown> {
    const base = `${url}/repos/${deployment.owner}/${deployment.repo}/deployments/${deployment.id}`;
    return {
      id: deployment.id,
      sha: deployment.sha,
      ref: deployment.ref,
      task: deployment.task,
      payload: deployment.payload,
      environment: deployment.environment,
      description: deployment.description ?? null,
      transient_environment: deployment.transient_environment,
      production_environment: deployment.production_environment,
      url: base,
      statuses_url: `${base}/statuses`,
    };
  }

  function deploymentStatusJson(deployment: RecordedDeployment, status: RecordedDeploymentStatus): Record<string, unknown> {
    return {
      id: status.id,
      state: status.state,
      description: status.description ?? '',
      environment: status.environment ?? deployment.environment,
      environment_url: status.environment_url ?? '',
      log_url: status.log_url ?? '',
      target_url: status.target_url ?? '',
      deployment_url: `${url}/repos/${deployment.owner}/${deployment.repo}/deployments/${deployment.id}`,
    };
  }

  /** One page of `items` as `per_page` / `page` ask (GitHub: default 30, at most 100), with GitHub's Link header; undefined when answered with an error. */
  function paginate<T>(res: ServerResponse, requestUrl: URL, items: T[]): T[] | undefined {
    const perPage = Math.min(Number(requestUrl.searchParams.get('per_page') ?? 30) || 30, 100);
    const page = Math.max(Number(requestUrl.searchParams.get('page') ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (n: number, rel: string) => {
      const target = new URL(`${url}${requestUrl.pathname}${requestUrl.search}`);
      target.searchParams.set('per_page', String(perPage));
      target.searchParams.set('page', String(n));
      return `<${target.href}>; rel="${rel}"`;
    };
    const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
    if (links.length > 0) res.setHeader('link', links.join(', '));
    return items.slice((page - 1) * perPage, page * perPage);
  }

  /** Whether the request carries the app's installation token (or no authentication is asked at all). */
  function byInstallation(req: IncomingMessage): boolean {
    if (!options.app) return !options.token;
    const match = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '');
    return match?.[1] === options.app.installationToken;
  }

  function authorized(req: IncomingMessage): boolean {
    const accepted = [options.token, options.app?.installationToken].filter((token): token is string => !!token);
    if (accepted.length === 0) return true;
    const match = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '');
    return !!match && accepted.includes(match[1]);
  }

  function exchangeToken(req: IncomingMessage, res: ServerResponse, installationId: string): void {
    const app = options.app;
    const match = /^bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!app || !match || !validJwt(match[1], app)) {
      return json(res, 401, { message: 'A JSON web token could not be decoded', documentation_url: 'https://docs.github.com/rest' });
    }
    if (installationId !== app.installationId) return notFound(res);
    json(res, 201, { token: app.installationToken, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: 'all' });
  }

  async function serveTarball(res: ServerResponse, owner: string, name: string, ref: string): Promise<void> {
    const repo = repos.get(`${owner}/${name}`.toLowerCase());
    const sha = repo && (await revParse(repo.dir, `${ref}^{commit}`));
    if (!repo || !sha) return notFound(res);
    const prefix = `${owner}-${name}-${sha.slice(0, 7)}/`;
    res.writeHead(200, { 'content-type': 'application/x-gzip', 'content-disposition': `attachment; filename=${prefix.slice(0, -1)}.tar.gz` });
    const git = spawn('git', ['archive', '--format=tar.gz', `--prefix=${prefix}`, sha], { cwd: repo.dir, stdio: ['ignore', 'pipe', 'ignore'] });
    git.stdout.pipe(res);
    await new Promise((resolve) => git.once('close', resolve));
  }

  url = `http://127.0.0.1:${await listenLocally(server)}`;

  return {
    url,
    requests,
    statuses,
    checkRuns,
    deployments,
    addRepo(owner, repo, dir, repoOptions) {
      repos.set(`${owner}/${repo}`.toLowerCase(), { dir, defaultBranch: repoOptions?.defaultBranch ?? 'main' });
    },
    addPullRequest(owner, repo, pull) {
      pulls.set(`${owner}/${repo}#${pull.number}`.toLowerCase(), pull);
    },
    failNext(pathPrefix, status, message = 'Server Error') {
      faults.push({ pathPrefix, status, message });
    },
    close: () => closeServer(server),
  };
}

/** Verifies an RS256 JWT as GitHub does for app authentication: signature, issuer, time. */
function validJwt(jwt: string, app: GitHubAppDouble): boolean {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return false;
  const signed = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), app.publicKey, Buffer.from(signature, 'base64url'));
  if (!signed) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; iat?: number; exp?: number };
  const now = Date.now() / 1000;
  return String(claims.iss) === app.appId && (claims.exp ?? 0) > now && (claims.iat ?? Infinity) <= now + 60;
}

async function revParse(dir: string, rev: string): Promise<string | undefined> {
  if (rev.startsWith('-')) return undefined;
  try {
    return (await run('git', ['rev-parse', '--verify', '--quiet', rev], { cwd: dir })).stdout.trim();
  } catch {
    return undefined;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function notFound(res: ServerResponse): void {
  json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
}

function validationFailed(res: ServerResponse, field: string, resource = 'Status'): void {
  json(res, 422, { message: 'Validation Failed', errors: [{ resource, field, code: 'custom' }], documentation_url: 'https://docs.github.com/rest' });
}

/** GitHub's limits on check-run output: summary and text at most 65535 characters, 50 annotations per request. */
const MAX_CHECK_TEXT = 65535;
const MAX_ANNOTATIONS = 50;
/** Annotation message / raw_details: "Maximum length: 64 KB". */
const MAX_ANNOTATION_BYTES = 64 * 1024;
const CHECK_STATUSES = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'];
const CHECK_CONCLUSIONS = ['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out'];
const DEPLOYMENT_STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

function annotationRefusal(annotation: Partial<RecordedAnnotation>): string | undefined {
  if (typeof annotation.path !== 'string' || !annotation.path) return 'path';
  if (!Number.isInteger(annotation.start_line) || annotation.start_line! < 1) return 'start_line';
  if (!Number.isInteger(annotation.end_line) || annotation.end_line! < annotation.start_line!) return 'end_line';
  if (!['notice', 'warning', 'failure'].includes(annotation.annotation_level ?? '')) return 'annotation_level';
  if (typeof annotation.message !== 'string' || Buffer.byteLength(annotation.message) > MAX_ANNOTATION_BYTES) return 'message';
  if (annotation.raw_details !== undefined && Buffer.byteLength(annotation.raw_details) > MAX_ANNOTATION_BYTES) return 'raw_details';
  // start_column / end_column only on a single line.
  if ((annotation.start_column !== undefined || annotation.end_column !== undefined) && annotation.start_line !== annotation.end_line) return 'start_column';
  return undefined;
}
