// Dependencies built from environment variables, once per cold start. The same code serves
// Lambda (names from the CDK stack, credentials from the role) and local mode (which sets the
// same variables plus AWS_ENDPOINT_URL_* pointing at the embedded services).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Octokit } from '@octokit/rest';
import type { ClusterSpec } from '../config/types.ts';
import { RoutingBranchHeads } from '../drift/heads.ts';
import { EventBridgeSink } from '../events/eventbridge-sink.ts';
import { JsonLinesSink } from '../events/json-lines-sink.ts';
import type { EventSink } from '../events/sink.ts';
import { createGitHubClient, gitHubHost } from '../github/client.ts';
import { GitHubBranchHeads, LocalGitBranchHeads } from '../github/heads.ts';
import { gitHubAuth, parseGitHubSecret, parseWebhookSecret, type GitHubSecret } from '../github/secret.ts';
import { ConsoleCheckRunPoster, GitHubCheckRunPoster } from '../github/check-runs.ts';
import { DeploymentPoster } from '../github/deployments.ts';
import { GitHubStatusPoster, type CommitStatusPoster } from '../github/status.ts';
import type { KubeClient } from '../kube/client.ts';
import { connectKubeconfig } from '../kube/connect.ts';
import { connectEks } from '../kube/eks.ts';
import type { AssumedRole } from '../kube/eks-token.ts';
import { SqsJobQueue } from '../queue/sqs-job-queue.ts';
import type { ChartFetcher } from '../source/chart/chart-fetcher.ts';
import { chartFetcherFromEnv } from '../source/chart/environment.ts';
import { GitHubTarballFetcher } from '../source/github-tarball.ts';
import { LocalGitFetcher } from '../source/local-git.ts';
import { RoutingFetcher } from '../source/routing.ts';
import { SharedCopies } from '../source/shared-copies.ts';
import { DynamoStateStore } from '../state/dynamo-store.ts';
import { S3RenderCache } from '../storage/s3-render-cache.ts';
import { S3SourceArchives } from '../storage/s3-source-archives.ts';
import { RuntimeConfigError } from './errors.ts';
import { traced } from './tracing.ts';

export type Environment = Record<string, string | undefined>;

export function required(env: Environment, name: string): string {
  const value = env[name];
  if (!value) throw new RuntimeConfigError(`environment variable ${name} is not set`);
  return value;
}

/**
 * The GitHub credentials (token or App): from Secrets Manager (GITHUB_SECRET_ARN) in AWS, from
 * GITHUB_SECRET (JSON) in local mode. The worker, the drift scan and the CLI read them; the
 * webhook never does.
 */
export async function loadGitHubSecret(env: Environment): Promise<GitHubSecret> {
  if (env.GITHUB_SECRET_ARN) return parseGitHubSecret(await secretString(env.GITHUB_SECRET_ARN));
  return parseGitHubSecret(required(env, 'GITHUB_SECRET'));
}

/**
 * The webhook's HMAC key: from Secrets Manager (WEBHOOK_SECRET_ARN) in AWS, from WEBHOOK_SECRET
 * (JSON) in local mode. Only the webhook reads it, and it reads nothing else of GitHub's.
 */
export async function loadWebhookSecret(env: Environment): Promise<string> {
  if (env.WEBHOOK_SECRET_ARN) return parseWebhookSecret(await secretString(env.WEBHOOK_SECRET_ARN));
  return parseWebhookSecret(required(env, 'WEBHOOK_SECRET'));
}

async function secretString(arn: string): Promise<string> {
  const client = traced(new SecretsManagerClient({}));
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!SecretString) throw new RuntimeConfigError(`secret ${arn} has no string value`);
  return SecretString;
}

export function stateStore(env: Environment): DynamoStateStore {
  return new DynamoStateStore({ client: traced(new DynamoDBClient({})), tableName: required(env, 'STATE_TABLE') });
}

export function sqsClient(env: Environment): SQSClient {
  // Against a local endpoint, send to it rather than to the host in the queue URL.
  return traced(new SQSClient({ useQueueUrlAsEndpoint: !env.AWS_ENDPOINT_URL_SQS }));
}

export function jobQueue(env: Environment, client = sqsClient(env)): SqsJobQueue {
  return new SqsJobQueue({ client, queueUrl: required(env, 'SYNC_QUEUE_URL') });
}

export function renderCache(env: Environment): S3RenderCache {
  // Path-style addressing works against both S3 and local emulators.
  return new S3RenderCache({ client: traced(new S3Client({ forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3) })), bucket: required(env, 'RENDER_BUCKET') });
}

export function eventSink(env: Environment): EventSink {
  if (env.EVENT_BUS_NAME) return new EventBridgeSink({ client: traced(new EventBridgeClient({})), busName: env.EVENT_BUS_NAME });
  return new JsonLinesSink({ file: required(env, 'EVENTS_FILE'), stream: process.stdout });
}

/** An Octokit when the secret carries credentials; GITHUB_API_URL points it elsewhere (tests, GHES). */
export function gitHub(env: Environment, secret: GitHubSecret): Octokit | undefined {
  if (secret.token === undefined && secret.appId === undefined) return undefined;
  return createGitHubClient(gitHubAuth(secret), { baseUrl: env.GITHUB_API_URL });
}

/**
 * The web host whose repositories the GitHub client reads: GITHUB_HOST when set, else the one
 * GITHUB_API_URL serves (github.com, or a GitHub Enterprise host). A repoURL on another host
 * is refused, never fetched from this GitHub under the same owner and name.
 */
export function gitHubHostOf(env: Environment): string {
  return env.GITHUB_HOST?.trim().toLowerCase() || gitHubHost(env.GITHUB_API_URL);
}

export interface StatusPosterOptions {
  /** The credentials `octokit` was built from: a GitHub App's (an appId) posts check runs. */
  secret?: GitHubSecret;
  /** Where a deployment GitHub refused is reported (it never fails a sync). */
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * Where the worker says what a target's sync did:
 *   - as a GitHub App: one check run per app × cluster × commit (GitHub lets only apps write them);
 *   - with a token: commit statuses, as ever;
 *   - without GitHub (local mode): the console, each status line followed by its check run's.
 * On GitHub, deployments too (deploymentsEnabled). DASHBOARD_URL puts a dashboard link on runs
 * and deployments; DEPLOYMENT_ENVIRONMENT names the environments (`{cluster}/{app}`).
 */
export function statusPoster(octokit: Octokit | undefined, env: Environment = {}, options: StatusPosterOptions = {}): CommitStatusPoster {
  const dashboardUrl = env.DASHBOARD_URL || undefined;
  if (!octokit) return new ConsoleCheckRunPoster(process.stdout, { dashboardUrl });
  const host = gitHubHostOf(env);
  const app = options.secret?.appId !== undefined;
  const poster = app ? new GitHubCheckRunPoster(octokit, { host, dashboardUrl }) : new GitHubStatusPoster(octokit, { host });
  if (!deploymentsEnabled(env, app)) return poster;
  const warn = options.warn ?? ((message, fields) => console.warn(JSON.stringify({ level: 'WARN', message, ...fields })));
  try {
    return new DeploymentPoster(poster, octokit, { host, dashboardUrl, environmentTemplate: env.DEPLOYMENT_ENVIRONMENT || undefined, warn });
  } catch (error) {
    throw new RuntimeConfigError((error as Error).message);
  }
}

/**
 * GITHUB_DEPLOYMENTS=1 turns GitHub Deployments on, =0 off; unset, they are on for a GitHub App
 * (the recommended set-up grants Deployments: write) and off for a token, which keeps doing
 * exactly what it did.
 */
export function deploymentsEnabled(env: Environment, app: boolean): boolean {
  const setting = env.GITHUB_DEPLOYMENTS?.trim().toLowerCase();
  if (setting === undefined || setting === '') return app;
  if (['1', 'true', 'on', 'yes'].includes(setting)) return true;
  if (['0', 'false', 'off', 'no'].includes(setting)) return false;
  throw new RuntimeConfigError(`GITHUB_DEPLOYMENTS is ${JSON.stringify(env.GITHUB_DEPLOYMENTS)}: use 1 (on) or 0 (off)`);
}

/**
 * Repositories on the worker's disk are read only where LOCAL_REPOSITORIES=allow, which local
 * mode (local/start.ts) sets and the stack never does: in AWS a path repoURL is bad input.
 * With RENDER_BUCKET, GitHub commits are shared through it (under sources/): a push of a
 * thousand apps downloads its commit about once, not once per worker. Local repositories are
 * not: they are on the disk every local worker reads already.
 */
export function sourceFetcher(octokit: Octokit | undefined, env: Environment = {}): RoutingFetcher {
  const shared =
    octokit && env.RENDER_BUCKET
      ? new SharedCopies(
          new S3SourceArchives({ client: traced(new S3Client({ forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3) })), bucket: env.RENDER_BUCKET }),
        )
      : undefined;
  return new RoutingFetcher({
    github: octokit ? new GitHubTarballFetcher(octokit, { host: gitHubHostOf(env), shared }) : undefined,
    local: env.LOCAL_REPOSITORIES === 'allow' ? new LocalGitFetcher() : undefined,
  });
}

/** Branch heads for the drift scan, under the same rules as sourceFetcher: the GitHub host, local repositories only where allowed. */
export function branchHeads(octokit: Octokit | undefined, env: Environment): RoutingBranchHeads {
  return new RoutingBranchHeads({
    github: octokit ? new GitHubBranchHeads(octokit, { host: gitHubHostOf(env) }) : undefined,
    local: env.LOCAL_REPOSITORIES === 'allow' ? new LocalGitBranchHeads() : undefined,
  });
}

/**
 * Charts of chart sources, from Helm repositories and OCI registries (shared/source/chart/
 * environment.ts reads its variables: CHART_CACHE_DIR, RENDER_BUCKET for archives shared by
 * every worker, the repository credentials, CHART_LOOPBACK in local mode).
 */
export function chartFetcher(env: Environment): ChartFetcher {
  // Its clients built here, as the others, so they are traced too.
  return chartFetcherFromEnv(env, {
    s3: traced(new S3Client({ forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3) })),
    secretsManager: traced(new SecretsManagerClient({})),
  });
}

/**
 * One client per registered cluster and role for the life of the container: the cluster's own,
 * and one per project role session (a session names its app, so that is one per app with a role).
 */
export function clusterConnector(env: Environment): (cluster: ClusterSpec, role?: AssumedRole) => Promise<KubeClient> {
  const clients = new Map<string, Promise<KubeClient>>();
  return (cluster, role) => {
    // A kubeconfig context is one identity already (local mode): a project's IAM role has no meaning there.
    const asRole = cluster.eks ? role : undefined;
    const key = asRole ? `${cluster.name}|${asRole.roleArn}|${asRole.sessionName}` : cluster.name;
    let client = clients.get(key);
    if (!client) {
      client = connect(cluster, env, asRole);
      clients.set(key, client);
      client.catch(() => clients.delete(key));
    }
    return client;
  };
}

async function connect(cluster: ClusterSpec, env: Environment, role: AssumedRole | undefined): Promise<KubeClient> {
  if (cluster.eks) return connectEks({ clusterName: cluster.eks.clusterName, region: cluster.eks.region, roleArn: cluster.eks.roleArn, tokenRole: role });
  if (cluster.kubeconfig) return connectKubeconfig({ kubeconfig: cluster.kubeconfig.path ?? env.KUBECONFIG, context: cluster.kubeconfig.context });
  throw new RuntimeConfigError(`cluster ${cluster.name} has neither eks nor kubeconfig settings`);
}
