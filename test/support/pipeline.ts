// The whole pipeline on one machine for end-to-end tests: sandbox cluster, embedded AWS
// services, GitHub REST and EventBridge doubles, a real git repository served as GitHub, and
// the real webhook and worker handlers wired to them through environment variables.
import { Webhooks } from '@octokit/webhooks';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lambdaContext } from '../../local/lambda-context.ts';
import { startSandbox, type Sandbox } from '../../local/sandbox/index.ts';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { pollQueue } from '../../shared/queue/poller.ts';
import { startEventBridgeDouble, type EventBridgeDouble } from './eventbridge.ts';
import { createRepo, type TestRepo } from './git.ts';
import { startGitHubApi, type GitHubApiDouble } from './github-api.ts';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;

export const WEBHOOK_SECRET = 'it-is-a-secret-to-everybody';
export const GITHUB_TOKEN = 'ghp_test_token_never_logged';
export const OWNER = 'acme';
export const REPO = 'gitops';
export const REPO_URL = `https://github.com/${OWNER}/${REPO}.git`;

export interface Pipeline {
  sandbox: Sandbox;
  services: LocalServices;
  github: GitHubApiDouble;
  eventBridge: EventBridgeDouble;
  repo: TestRepo;
  /** Calls the real webhook handler with a signed push of the repo's HEAD. */
  push(before: string, after: string, changed: { added?: string[]; modified?: string[]; removed?: string[] }, options?: { deliveryId?: string; branch?: string }): Promise<{ statusCode: number; body: Record<string, unknown> }>;
  deliver(event: string, payload: unknown, headers?: Record<string, string>, options?: { sign?: boolean; rawBody?: string }): Promise<{ statusCode: number; body: Record<string, unknown> }>;
  /** Runs the real worker handler on the queue until `done` returns true. */
  work(done: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPipeline(options: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {}): Promise<Pipeline> {
  const sandbox = await startSandbox({ controllers: { readyDelayMs: 50 } });
  const services = await startLocalServices({ maxReceiveCount: options.maxReceiveCount, visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2 });
  const github = await startGitHubApi({ token: GITHUB_TOKEN });
  const eventBridge = await startEventBridgeDouble();
  const repo = await createRepo();
  github.addRepo(OWNER, REPO, repo.dir, { defaultBranch: 'main' });
  const kubeconfig = join(tmpdir(), `pipeline-${randomUUID()}.kubeconfig`);
  await writeFile(kubeconfig, sandbox.kubeconfig());

  Object.assign(process.env, services.env, {
    GITHUB_SECRET: JSON.stringify({ webhookSecret: WEBHOOK_SECRET, token: GITHUB_TOKEN }),
    GITHUB_API_URL: github.url,
    CONFIG_REPO_URL: REPO_URL,
    CONFIG_REPO_BRANCH: 'main',
    CONFIG_DIR: 'driftless',
    EVENT_BUS_NAME: 'driftless',
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
    KUBECONFIG: kubeconfig,
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const { handler: webhook } = await import('../../functions/webhook/handler.ts');
  const { handler: worker } = await import('../../functions/sync-worker/handler.ts');
  const signer = new Webhooks({ secret: WEBHOOK_SECRET });

  const deliver: Pipeline['deliver'] = async (event, payload, headers = {}, deliverOptions = {}) => {
    const body = deliverOptions.rawBody ?? JSON.stringify(payload);
    const signature = deliverOptions.sign === false ? {} : { 'X-Hub-Signature-256': await signer.sign(body) };
    const request: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/',
      rawQueryString: '',
      headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': event, 'X-GitHub-Delivery': randomUUID(), 'User-Agent': 'GitHub-Hookshot/test', ...signature, ...headers },
      requestContext: { accountId: 'anonymous', apiId: 'url', domainName: 'local', domainPrefix: 'local', http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'GitHub-Hookshot/test' }, requestId: randomUUID(), routeKey: '$default', stage: '$default', time: '', timeEpoch: Date.now() },
      body,
      isBase64Encoded: false,
    };
    const response = (await webhook(request, lambdaContext('webhook', 10_000))) as { statusCode: number; body: string };
    return { statusCode: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
  };

  return {
    sandbox,
    services,
    github,
    eventBridge,
    repo,
    deliver,
    push: (before, after, changed, pushOptions = {}) =>
      deliver('push', pushPayload(before, after, changed, pushOptions.branch ?? 'main'), pushOptions.deliveryId ? { 'X-GitHub-Delivery': pushOptions.deliveryId } : {}),
    async work(done, timeoutMs = 30_000) {
      const controller = new AbortController();
      const errors: unknown[] = [];
      const polling = pollQueue({
        client: services.sqs,
        queueUrl: services.queueUrl,
        waitSeconds: 1,
        signal: controller.signal,
        handler: (event: SQSEvent) => worker(event, lambdaContext('sync-worker')),
        onError: (error) => errors.push(error),
      });
      const deadline = Date.now() + timeoutMs;
      try {
        while (!(await done())) {
          if (Date.now() > deadline) throw new Error(`pipeline did not get there in ${timeoutMs} ms${errors.length ? `; errors: ${errors.map(String).join('; ')}` : ''}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        controller.abort();
        await polling;
      }
    },
    async stop() {
      await Promise.all([sandbox.stop(), services.stop(), github.close(), eventBridge.stop(), repo.remove()]);
    },
  };
}

/** GitHub's own push example with our repository, branch and commits put in. */
export function pushPayload(before: string, after: string, changed: { added?: string[]; modified?: string[]; removed?: string[] }, branch = 'main'): Record<string, unknown> {
  const example = structuredClone(examples.find((entry) => entry.name === 'push')!.examples[0]) as Record<string, unknown> & { repository: Record<string, unknown> };
  const commit = { id: after, tree_id: after, distinct: true, message: 'change', timestamp: new Date().toISOString(), url: `https://github.com/${OWNER}/${REPO}/commit/${after}`, author: { name: 'a', email: 'a@b.c' }, committer: { name: 'a', email: 'a@b.c' }, added: changed.added ?? [], removed: changed.removed ?? [], modified: changed.modified ?? [] };
  return {
    ...example,
    ref: `refs/heads/${branch}`,
    before,
    after,
    created: false,
    deleted: false,
    forced: false,
    commits: [commit],
    head_commit: commit,
    repository: { ...example.repository, name: REPO, full_name: `${OWNER}/${REPO}`, clone_url: REPO_URL, html_url: `https://github.com/${OWNER}/${REPO}`, ssh_url: `git@github.com:${OWNER}/${REPO}.git`, default_branch: 'main', master_branch: 'main' },
  };
}
