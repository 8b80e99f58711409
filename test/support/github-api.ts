// A local stand-in for the parts of GitHub's REST API Driftless calls, backed by real git
// repositories: tarballs are `git archive` output in GitHub's layout (one top folder
// `<owner>-<repo>-<short sha>/`) served behind the same redirect GitHub uses, refs resolve
// with rev-parse, commits compare as GitHub's compare API says (ahead, behind, identical,
// diverged), statuses are recorded, and GitHub App installation tokens are exchanged
// against a JWT whose signature is checked. Every request is recorded.

import { execFile, spawn } from 'node:child_process';
import { verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { closeServer, listenLocally, readBody } from './http.ts';

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

export interface GitHubApiDouble {
  /** Base URL for createGitHubClient({ baseUrl }). */
  url: string;
  requests: RecordedRequest[];
  statuses: RecordedStatus[];
  addRepo(owner: string, repo: string, dir: string, options?: { defaultBranch?: string }): void;
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
  const requests: RecordedRequest[] = [];
  const statuses: RecordedStatus[] = [];
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
    const path = new URL(req.url ?? '/', 'http://double').pathname;
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
    addRepo(owner, repo, dir, repoOptions) {
      repos.set(`${owner}/${repo}`.toLowerCase(), { dir, defaultBranch: repoOptions?.defaultBranch ?? 'main' });
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

function validationFailed(res: ServerResponse, field: string): void {
  json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Status', field, code: 'custom' }], documentation_url: 'https://docs.github.com/rest' });
}
