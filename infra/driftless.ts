// Driftless as one construct: everything a GitOps installation needs, for this repository's
// stack or for any other CDK app.
import { Tags, type Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { COMPONENT_TAG, CostBudget } from './constructs/budget.ts';
import { ClusterAccess, type ManagedCluster } from './constructs/cluster-access.ts';
import { DriftScanner } from './constructs/drift-scanner.ts';
import { createDriftlessKey, grantKeyUse } from './constructs/encryption.ts';
import { EventsBus } from './constructs/events-bus.ts';
import { ChartCredentials } from './constructs/chart-credentials.ts';
import { GithubConnection, type ConfigRepository } from './constructs/github-connection.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { ProjectAccess, type ManagedProject } from './constructs/project-access.ts';
import { WorkerNetwork, type WorkerNetworkProps } from './constructs/network.ts';
import { RenderCache } from './constructs/render-cache.ts';
import { bindAlarmRead } from './constructs/rollout-alarms.ts';
import { SopsKeys, type SopsKeysProps } from './constructs/sops-keys.ts';
import { StateStore } from './constructs/state-store.ts';
import { bindTableKeys, FUNCTION_TABLE_KEYS } from './constructs/table-keys.ts';
import { SyncPipeline } from './constructs/sync-pipeline.ts';
import { WebhookApi } from './constructs/webhook-api.ts';

export interface DriftlessProps {
  readonly github: {
    /**
     * Secrets Manager secret with the GitHub credentials: JSON `{ token }` or
     * `{ appId, privateKey, installationId }`. The worker and the drift scan read it.
     */
    readonly secret: secretsmanager.ISecret;
    /** Secrets Manager secret with the webhook's HMAC key, JSON `{ webhookSecret }`; only the webhook reads it. */
    readonly webhookSecret: secretsmanager.ISecret;
  };
  readonly configRepository: ConfigRepository;
  /**
   * Credentials for private chart repositories and registries: a secret holding a JSON list of
   * Argo CD repository secrets' `stringData` (`url`, `username`, `password`, `type`); only the
   * worker reads it. Default: `driftless/chart-repositories` is created holding `[]`.
   */
  readonly chartCredentialsSecret?: secretsmanager.ISecret;
  /** The EKS clusters Driftless may deploy to. Git's `Cluster` kinds must name clusters from this list. */
  readonly clusters: ManagedCluster[];
  /**
   * Projects whose apps reach clusters with their own IAM role, confined to their namespaces:
   * a role per project and cluster trusting the worker alone, and an access entry on the
   * stack's own clusters. Default: none (every app uses the cluster's connection).
   */
  readonly projects?: ManagedProject[];
  /**
   * The keys SOPS files are decrypted with in AWS: kms:Decrypt for the worker on exactly the
   * listed KMS keys, and the secret holding its age identities. Default: neither (README "SOPS keys").
   */
  readonly sops?: SopsKeysProps;
  /** How often drift is scanned and branch heads are checked. Default 5 minutes. */
  readonly driftSchedule?: Duration;
  /** Default one month. */
  readonly logRetention?: logs.RetentionDays;
  /** Receives the alarms' ALARM and OK notifications. Default: a topic created here (output AlarmTopicArn). */
  readonly alarmTopic?: sns.ITopic;
  /** Subscribed to the alarm topic by e-mail. */
  readonly alarmEmail?: string;
  /** Default 5 minutes (3 to 15). */
  readonly workerTimeout?: Duration;
  /** Default 10. */
  readonly maxConcurrency?: number;
  /** Reserved concurrency of the webhook function. Default 10. */
  readonly webhookConcurrency?: number;
  /** Deliveries before the DLQ. Default 10 (with the backoff, over an hour of retries). */
  readonly maxReceiveCount?: number;
  /** Default `driftless`. */
  readonly eventBusName?: string;
  /** How long renders stay in the cache bucket. Default 30 days. */
  readonly renderCacheExpiry?: Duration;
  /**
   * Puts the worker (the one function that connects to clusters) in a VPC, for clusters with a
   * private API endpoint: subnets, security groups, VPC endpoints, the clusters' security groups
   * to open on 443, a proxy for GitHub. Default: no VPC.
   */
  readonly network?: WorkerNetworkProps;
  /**
   * A monthly AWS Budget (US dollars) on the costs tagged `driftless:component`, telling
   * alarmEmail and the alarm topic at 80 % and 100 % spent and when the forecast passes 100 %.
   * Default: no budget.
   */
  readonly monthlyBudgetUsd?: number;
  /**
   * A customer managed KMS key for the state table, the render bucket (it holds rendered
   * Secrets), the sync queue and its DLQ, the schedule's DLQ and the alarm topic created here;
   * each function may Decrypt and GenerateDataKey with it, nothing more. Its key policy must
   * let CloudWatch and AWS Budgets use it for the topic. Default: AWS owned and managed keys.
   */
  readonly encryptionKey?: kms.IKey;
  /** Creates that key here (yearly rotation, retained). Not with `encryptionKey`. */
  readonly customerManagedKey?: boolean;
  /** Worker memory in MB (CPU scales with it; Helm renders want it). Default 2048 (128 to 10240). */
  readonly workerMemory?: number;
  /** Jobs per worker invocation, default 1 (1 to 10): a batch's targets run at once, so jobs at once = maxConcurrency × this. */
  readonly workerBatchSize?: number;
  /**
   * What a stack deletion does to the state table and the render bucket. Default RETAIN; DESTROY
   * (throwaway stacks) also lifts the table's deletion protection. A bucket that still holds
   * renders is not deleted by CloudFormation either way.
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Extra environment for every function (names Driftless or Lambda use are refused). */
  readonly functionEnvironment?: Record<string, string>;
  /**
   * Architecture of the webhook and the drift scan. Default ARM_64. The worker is always
   * X86_64: kubectl and helm in its layer are x86-64 binaries.
   */
  readonly architecture?: lambda.Architecture;
  /** Handler files relative to the repository root; default `functions/<name>/handler.ts`. */
  readonly entries?: HandlerEntries;
}

export interface HandlerEntries {
  readonly webhook?: string;
  readonly worker?: string;
  readonly driftScan?: string;
  /** The dashboard's api function (infra/constructs/dashboard.ts builds it, not this construct). */
  readonly api?: string;
}

export class Driftless extends Construct {
  /** The customer managed key, when there is one. */
  declare readonly encryptionKey: kms.IKey | undefined;
  declare readonly stateStore: StateStore;
  declare readonly renderCache: RenderCache;
  declare readonly events: EventsBus;
  declare readonly github: GithubConnection;
  declare readonly chartCredentials: ChartCredentials;
  declare readonly clusterAccess: ClusterAccess;
  declare readonly projectAccess: ProjectAccess;
  declare readonly sopsKeys: SopsKeys;
  declare readonly syncPipeline: SyncPipeline;
  declare readonly webhook: WebhookApi;
  declare readonly driftScanner: DriftScanner;
  declare readonly monitoring: Monitoring;
  declare readonly budget: CostBudget | undefined;

  constructor(scope: Construct, id: string, props: DriftlessProps) {
    super(scope, id);
    const logRetention = props.logRetention;
    const entries = props.entries ?? {};

    if (props.encryptionKey && props.customerManagedKey) {
      throw new Error('Driftless: set encryptionKey (a key of yours) or customerManagedKey (a key created here), not both.');
    }
    const key = props.encryptionKey ?? (props.customerManagedKey ? createDriftlessKey(this, 'Key') : undefined);
    this.encryptionKey = key;
    // The key is the state's: its cost is told with the table's.
    if (props.customerManagedKey && key) Tags.of(key).add(COMPONENT_TAG, 'state');

    this.stateStore = new StateStore(this, 'State', { encryptionKey: key, removalPolicy: props.removalPolicy });
    this.renderCache = new RenderCache(this, 'RenderCache', { expiry: props.renderCacheExpiry, encryptionKey: key, removalPolicy: props.removalPolicy });
    this.events = new EventsBus(this, 'Events', { eventBusName: props.eventBusName });
    this.github = new GithubConnection(this, 'GitHub', {
      secret: props.github.secret,
      webhookSecret: props.github.webhookSecret,
      configRepository: props.configRepository,
    });
    this.chartCredentials = new ChartCredentials(this, 'ChartCredentials', { secret: props.chartCredentialsSecret });
    this.clusterAccess = new ClusterAccess(this, 'Clusters', { clusters: props.clusters });
    this.projectAccess = new ProjectAccess(this, 'Projects', { projects: props.projects ?? [], clusterAccess: this.clusterAccess });
    this.sopsKeys = new SopsKeys(this, 'SopsKeys', props.sops);
    const workerNetwork = props.network ? new WorkerNetwork(this, 'Network', props.network) : undefined;
    this.syncPipeline = new SyncPipeline(this, 'Sync', {
      workerNetwork,
      workerTimeout: props.workerTimeout,
      maxConcurrency: props.maxConcurrency,
      maxReceiveCount: props.maxReceiveCount,
      workerMemory: props.workerMemory,
      workerBatchSize: props.workerBatchSize,
      encryptionKey: key,
      logRetention,
      entry: entries.worker,
    });
    this.webhook = new WebhookApi(this, 'Webhook', {
      logRetention,
      entry: entries.webhook,
      reservedConcurrency: props.webhookConcurrency,
      architecture: props.architecture,
    });
    this.driftScanner = new DriftScanner(this, 'DriftScan', {
      schedule: props.driftSchedule,
      architecture: props.architecture,
      encryptionKey: key,
      logRetention,
      entry: entries.driftScan,
    });

    // Webhook: registry reads and delivery dedupe, enqueue, verify signatures (the webhook
    // secret only: it never holds GitHub credentials).
    const webhook = this.webhook.handler;
    bindTableKeys(this.stateStore, webhook, FUNCTION_TABLE_KEYS.webhook);
    this.syncPipeline.bindSender(webhook);
    this.github.bindWebhook(webhook);

    // Worker: everything a sync touches; it consumes the queue through its event source.
    const worker = this.syncPipeline.worker;
    bindTableKeys(this.stateStore, worker, FUNCTION_TABLE_KEYS.worker);
    this.renderCache.bind(worker, 'readWrite');
    this.events.bind(worker);
    this.github.bind(worker);
    this.chartCredentials.bind(worker);
    this.clusterAccess.bind(worker);
    this.projectAccess.bind(worker);
    this.sopsKeys.bind(worker);
    // A RollingSync step's gate may wait on CloudWatch alarms.
    bindAlarmRead(worker);

    // Drift scan: on each schedule it only plans: one scan job per target onto the sync queue
    // (the workers scan, in the target's FIFO group, so a scan never runs beside its sync) and
    // catch-up syncs for branches whose head moved without a webhook (GitHub, one call per
    // repo and branch). So it needs the table, the queue and the GitHub secret, no cluster.
    const driftScan = this.driftScanner.handler;
    bindTableKeys(this.stateStore, driftScan, FUNCTION_TABLE_KEYS.driftScan);
    this.syncPipeline.bindSender(driftScan);
    this.github.bind(driftScan);

    // Every function reads or writes the table and the queue, so each may use the key for data.
    for (const fn of [webhook, worker, driftScan]) grantKeyUse(key, fn.role);
    // Last, so a clash with any variable the binds above set is caught.
    if (props.functionEnvironment) for (const fn of [webhook, worker, driftScan]) fn.addExtraEnvironment(props.functionEnvironment);

    this.monitoring = new Monitoring(this, 'Monitoring', {
      webhook,
      worker,
      driftScan,
      queue: this.syncPipeline.queue,
      deadLetterQueue: this.syncPipeline.deadLetterQueue,
      alarmTopic: props.alarmTopic,
      alarmEmail: props.alarmEmail,
      driftInterval: props.driftSchedule,
      encryptionKey: key,
    });

    // Cost-allocation tags: every resource says which part of Driftless it belongs to, so Cost
    // Explorer and the budget can tell them apart (README "What it costs").
    const components: Array<[Construct, string]> = [
      [this.stateStore, 'state'],
      [this.renderCache, 'render-cache'],
      [this.events, 'events'],
      [this.github, 'github'],
      // Only the worker pulls charts, so their credentials are part of the sync's cost.
      [this.chartCredentials, 'sync'],
      [this.clusterAccess, 'cluster-access'],
      [this.projectAccess, 'cluster-access'],
      // Only the worker decrypts SOPS files: their keys are part of the sync's cost.
      [this.sopsKeys, 'sync'],
      [this.syncPipeline, 'sync'],
      [this.webhook, 'webhook'],
      [this.driftScanner, 'drift-scan'],
      [this.monitoring, 'monitoring'],
      ...(workerNetwork ? [[workerNetwork, 'network'] as [Construct, string]] : []),
    ];
    for (const [construct, component] of components) Tags.of(construct).add(COMPONENT_TAG, component);

    this.budget =
      props.monthlyBudgetUsd === undefined
        ? undefined
        : new CostBudget(this, 'Budget', {
            monthlyLimitUsd: props.monthlyBudgetUsd,
            components: [...new Set(components.map(([, component]) => component))],
            emails: props.alarmEmail ? [props.alarmEmail] : [],
            topic: this.monitoring.alarmTopic,
          });
  }
}
