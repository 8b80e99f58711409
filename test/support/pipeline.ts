// The whole pipeline on one machine for end-to-end tests: sandbox cluster, embedded AWS
// services, GitHub REST and EventBridge doubles, a real git repository served as GitHub, and
// the real webhook and worker handlers wired to them through environment variables.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Webhooks } from '@octokit/webhooks';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lambdaContext } from '../../local/lambda-context.ts';
import { startSandbox, type Sandbox } from '../../local/sandbox/index.ts';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { queueArn } from '../../local/create-queues.ts';
import { pollQueue } from '../../local/queue-poller.ts';
import { toSqsEvent } from '../../local/sqs-event.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { startEventBridgeDouble, type EventBridgeDouble } from './eventbridge.ts';
import { createRepo, type TestRepo } from './git.ts';
import { startGitHubApi, type GitHubApiDouble, type GitHubAppDouble } from './github-api.ts';

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
  /** The state table the handlers write, read as they read it. */
  store: DynamoStateStore;
  /** Calls the real webhook handler with a signed push of the repo's HEAD. */
  push(
    before: string,
    after: string,
    changed: { added?: string[]; modified?: string[]; removed?: string[] },
    options?: { deliveryId?: string; branch?: string },
  ): Promise<{ statusCode: number; body: Record<string, unknown> }>;
  deliver(
    event: string,
    payload: unknown,
    headers?: Record<string, string>,
    options?: DeliverOptions,
  ): Promise<{ statusCode: number; body: Record<string, unknown> }>;
  /** Runs the real worker handler on the queue until `done` returns true. */
  work(done: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /**
   * One receive from the job queue handed to the real worker handler, as Lambda's event source
   * mapping would: the records it did not list as failures are deleted. Undefined when no
   * message arrived within `waitSeconds`.
   */
  workOnce(waitSeconds?: number, invocationMs?: number): Promise<{ event: SQSEvent; response: SQSBatchResponse | void } | undefined>;
  /** Runs the real worker on the queue in the background, as local mode does, until `stop()`. */
  startWorker(): BackgroundWorker;
  /** Messages in a queue (visible, in flight and delayed); the job queue by default. */
  queueDepth(queueUrl?: string): Promise<number>;
  stop(): Promise<void>;
}

export interface BackgroundWorker {
  /** What the poller reported while it ran. */
  errors: unknown[];
  stop(): Promise<void>;
}

export interface DeliverOptions {
  /** false: no X-Hub-Signature-256 header. */
  sign?: boolean;
  /** The body sent, instead of JSON of the payload. */
  rawBody?: string;
  /** Sign with this secret instead of the webhook's. */
  secret?: string;
  /** Sign this text instead of the body sent (a body altered after signing). */
  signedBody?: string;
  /** Headers left out of the request (names as given in the defaults, e.g. X-GitHub-Event). */
  omitHeaders?: string[];
}

/** A GitHub App for the double (its public key) and the worker's secret (its private key, PKCS#1 as GitHub hands it out). */
function gitHubApp(): { double: GitHubAppDouble; secret: { appId: string; privateKey: string; installationId: string } } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    double: { appId: '4242', publicKey, installationId: '77', installationToken: 'ghs_pipelineInstallationToken0123456789' },
    secret: { appId: '4242', privateKey, installationId: '77' },
  };
}

/** GitHub's signature header value for `body` (`sha256=` or, for the legacy header, `sha1=`). */
export function signature(body: string, secret = WEBHOOK_SECRET, algorithm: 'sha256' | 'sha1' = 'sha256'): string {
  return `${algorithm}=${createHmac(algorithm, secret).update(body).digest('hex')}`;
}

export interface PipelineOptions {
  maxReceiveCount?: number;
  visibilityTimeoutSeconds?: number;
  /** The worker authenticates as a GitHub App installation instead of with a token (check runs need one). */
  githubApp?: boolean;
}

export async function startPipeline(options: PipelineOptions = {}): Promise<Pipeline> {
  const sandbox = await startSandbox({ controllers: { readyDelayMs: 50 } });
  const services = await startLocalServices({ maxReceiveCount: options.maxReceiveCount, visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2 });
  const app = options.githubApp ? gitHubApp() : undefined;
  const github = await startGitHubApi({ token: GITHUB_TOKEN, ...(app ? { app: app.double } : {}) });
  const eventBridge = await startEventBridgeDouble();
  const repo = await createRepo();
  github.addRepo(OWNER, REPO, repo.dir, { defaultBranch: 'main' });
  const kubeconfig = join(tmpdir(), `pipeline-${randomUUID()}.kubeconfig`);
  await writeFile(kubeconfig, sandbox.kubeconfig());

  Object.assign(process.env, services.env, {
    WEBHOOK_SECRET: JSON.stringify({ webhookSecret: WEBHOOK_SECRET }),
    GITHUB_SECRET: JSON.stringify(app ? app.secret : { token: GITHUB_TOKEN }),
    GITHUB_API_URL: github.url,
    CONFIG_REPO_URL: REPO_URL,
    CONFIG_REPO_BRANCH: 'main',
    CONFIG_DIR: 'driftless',
    EVENT_BUS_NAME: 'driftless',
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
    KUBECONFIG: kubeconfig,
    POWERTOOLS_LOG_LEVEL: 'WARN',
    RETRY_BASE_SECONDS: '1',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const { handler: webhook } = await import('../../functions/webhook/handler.ts');
  const { handler: worker } = await import('../../functions/sync-worker/handler.ts');
  const signer = new Webhooks({ secret: WEBHOOK_SECRET });

  const deliver: Pipeline['deliver'] = async (event, payload, headers = {}, deliverOptions = {}) => {
    const body = deliverOptions.rawBody ?? JSON.stringify(payload);
    const signed = deliverOptions.signedBody ?? body;
    const signatureHeader: Record<string, string> =
      deliverOptions.sign === false
        ? {}
        : { 'X-Hub-Signature-256': deliverOptions.secret ? signature(signed, deliverOptions.secret) : await signer.sign(signed) };
    const allHeaders: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-GitHub-Event': event,
      'X-GitHub-Delivery': randomUUID(),
      'User-Agent': 'GitHub-Hookshot/test',
      ...signatureHeader,
      ...headers,
    };
    for (const name of deliverOptions.omitHeaders ?? []) delete allHeaders[name];
    const request: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/',
      rawQueryString: '',
      headers: allHeaders,
      requestContext: {
        accountId: 'anonymous',
        apiId: 'url',
        domainName: 'local',
        domainPrefix: 'local',
        http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'GitHub-Hookshot/test' },
        requestId: randomUUID(),
        routeKey: '$default',
        stage: '$default',
        time: '',
        timeEpoch: Date.now(),
      },
      body,
      isBase64Encoded: false,
    };
    const response = (await webhook(request, lambdaContext('webhook', 10_000))) as { statusCode: number; body: string };
    return { statusCode: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
  };

  /** The worker handler fed by polling, as local mode runs it, until stopped. */
  function startWorker(): BackgroundWorker {
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
    return {
      errors,
      async stop() {
        controller.abort();
        await polling;
      },
    };
  }

  return {
    sandbox,
    services,
    github,
    eventBridge,
    repo,
    // Built after the environment above is set: the client finds the local DynamoDB through it.
    store: new DynamoStateStore({ client: new DynamoDBClient({}), tableName: process.env.STATE_TABLE ?? '' }),
    deliver,
    push: (before, after, changed, pushOptions = {}) =>
      deliver(
        'push',
        pushPayload(before, after, changed, pushOptions.branch ?? 'main'),
        pushOptions.deliveryId ? { 'X-GitHub-Delivery': pushOptions.deliveryId } : {},
      ),
    async work(done, timeoutMs = 30_000) {
      const background = startWorker();
      const deadline = Date.now() + timeoutMs;
      try {
        while (!(await done())) {
          if (Date.now() > deadline)
            throw new Error(
              `pipeline did not get there in ${timeoutMs} ms${background.errors.length ? `; errors: ${background.errors.map(String).join('; ')}` : ''}`,
            );
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await background.stop();
      }
    },
    async workOnce(waitSeconds = 1, invocationMs?: number) {
      const { Messages } = await services.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: services.queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (!Messages || Messages.length === 0) return undefined;
      const event = toSqsEvent(Messages, { queueArn: await queueArn(services.sqs, services.queueUrl), region: 'us-east-1' });
      const response = (await worker(event, lambdaContext('sync-worker', invocationMs))) as SQSBatchResponse | void;
      const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      const done = event.Records.filter((record) => !failed.has(record.messageId));
      if (done.length > 0) {
        await services.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: services.queueUrl,
            Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
          }),
        );
      }
      return { event, response };
    },
    startWorker,
    async queueDepth(queueUrl = services.queueUrl) {
      const { Attributes = {} } = await services.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      );
      return (
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
      );
    },
    async stop() {
      await Promise.all([sandbox.stop(), services.stop(), github.close(), eventBridge.stop(), repo.remove()]);
    },
  };
}

/** The first of GitHub's own examples of an event's payload, from @octokit/webhooks-examples. */
export function githubExample(event: string): Record<string, unknown> {
  const entry = examples.find((candidate) => candidate.name === event);
  if (!entry) throw new Error(`@octokit/webhooks-examples has no ${event} example`);
  return structuredClone(entry.examples[0]);
}

/** GitHub's own push example with our repository, branch and commits put in. */
export function pushPayload(
  before: string,
  after: string,
  changed: { added?: string[]; modified?: string[]; removed?: string[] },
  branch = 'main',
): Record<string, unknown> {
  const example = structuredClone(examples.find((entry) => entry.name === 'push')!.examples[0]) as Record<string, unknown> & {
    repository: Record<string, unknown>;
  };
  const commit = {
    id: after,
    tree_id: after,
    distinct: true,
    message: 'change',
    timestamp: new Date().toISOString(),
    url: `https://github.com/${OWNER}/${REPO}/commit/${after}`,
    author: { name: 'a', email: 'a@b.c' },
    committer: { name: 'a', email: 'a@b.c' },
    added: changed.added ?? [],
    removed: changed.removed ?? [],
    modified: changed.modified ?? [],
  };
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
    repository: {
      ...example.repository,
      name: REPO,
      full_name: `${OWNER}/${REPO}`,
      clone_url: REPO_URL,
      html_url: `https://github.com/${OWNER}/${REPO}`,
      ssh_url: `git@github.com:${OWNER}/${REPO}.git`,
      default_branch: 'main',
      master_branch: 'main',
    },
  };
}

export interface AppDocumentOptions {
  name: string;
  /** The destination namespace. */
  namespace: string;
  project?: string;
  /** The folder in this repository (REPO_URL); `apps/<name>` by default. */
  path?: string;
  cluster?: string;
  /** The syncPolicy.automated value, as YAML. */
  automated?: string;
  /** syncOptions: [CreateNamespace=true]; on by default. */
  createNamespace?: boolean;
}

/** An Argo CD Application document in the registry folder, its source a folder of this repository. */
export function appDocument(options: AppDocumentOptions): string {
  const createNamespace = (options.createNamespace ?? true) ? '    syncOptions: [CreateNamespace=true]\n' : '';
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${options.name}, namespace: argocd }
spec:
  project: ${options.project ?? 'default'}
  source: { repoURL: ${REPO_URL}, targetRevision: main, path: ${options.path ?? `apps/${options.name}`} }
  destination: { name: ${options.cluster ?? 'sandbox'}, namespace: ${options.namespace} }
  syncPolicy:
    automated: ${options.automated ?? '{ prune: true, selfHeal: true }'}
${createNamespace}`;
}

/** A registry with one cluster and the `web` app (automated, prune, selfHeal) deployed to it. */
export function webRegistry(options: { cluster?: string; kubeconfig?: { context: string; path?: string } } = {}): Record<string, string> {
  const cluster = options.cluster ?? 'sandbox';
  const kubeconfig = options.kubeconfig ?? { context: 'sandbox' };
  return {
    'driftless/clusters.yaml': `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: ${cluster} }\nspec:\n  kubeconfig: ${JSON.stringify(kubeconfig)}\n`,
    'driftless/web.yaml': appDocument({ name: 'web', cluster, namespace: 'shop' }),
  };
}

/** One cluster, the `chart` app (automated) and its Chart.yaml in `chart/`: add the templates. */
export function chartAppFiles(): Record<string, string> {
  return {
    'driftless/clusters.yaml': 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: sandbox }\nspec:\n  kubeconfig: { context: sandbox }\n',
    'driftless/chart.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: chart }\nspec:\n  source: { repoURL: ${REPO_URL}, targetRevision: main, path: chart }\n  destination: { name: sandbox, namespace: default }\n  syncPolicy: { automated: {} }\n`,
    'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
  };
}

/** The `web` app's manifests: a ConfigMap whose `color` tells commits apart, and a Deployment. */
export function webApp(color: string): Record<string, string> {
  return {
    'apps/web/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-config }\ndata: { color: ${color} }\n`,
    'apps/web/deploy.yaml': webDeployment(2),
  };
}

/** The `web` Deployment of nginx pods. */
export function webDeployment(replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "nginx:1.27" }] }
`;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The requests the sandbox's API server logged that would change the cluster. */
export function sandboxWrites(pipeline: Pipeline): ReturnType<Sandbox['requests']['entries']> {
  return pipeline.sandbox.requests.entries().filter((entry) => WRITE_METHODS.has(entry.method));
}

/** The `color` of the web-config ConfigMap in the sandbox, or undefined when there is none. */
export async function liveColor(pipeline: Pipeline): Promise<string | undefined> {
  return (await liveConfigMap(pipeline, 'shop', 'web-config'))?.color;
}

/** The data of a ConfigMap in the sandbox, or undefined when there is none. */
export async function liveConfigMap(pipeline: Pipeline, namespace: string, name: string): Promise<Record<string, string> | undefined> {
  const { connectKubeconfig } = await import('../../shared/kube/connect.ts');
  const client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
  try {
    return (await client.get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${namespace}/configmaps/${name}`)).data;
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}
