// What the worker needs from the outside world, each behind an interface owned by shared/:
// the Lambda handler builds the AWS and GitHub implementations, local mode the embedded ones.
import type { ClusterSpec } from '../config/types.ts';
import type { EventSink } from '../events/sink.ts';
import type { DoraSink } from '../dora/sink.ts';
import type { PreviewPublisher } from '../github/preview-check.ts';
import type { CommitStatusPoster } from '../github/status.ts';
import type { KubeClient } from '../kube/client.ts';
import type { AssumedRole } from '../kube/eks-token.ts';
import type { JobQueue } from '../queue/queue.ts';
import type { ChartFetcher } from '../source/chart/chart-fetcher.ts';
import type { SourceFetcher } from '../source/fetcher.ts';
import type { StateStore } from '../state/store.ts';
import type { RenderCache } from '../storage/render-cache.ts';
import type { SopsKeyRing } from '../secrets/keys/key-ring.ts';
import type { AlarmReader } from '../rollout/alarms.ts';

/** The slice of a structured logger the worker uses; Powertools' Logger is one as it is. */
export interface WorkerLogger {
  info(message: string, ...extra: Array<Record<string, unknown>>): void;
  warn(message: string, ...extra: Array<Record<string, unknown>>): void;
  error(message: string, ...extra: Array<Record<string, unknown>>): void;
}

export interface WorkerDependencies {
  store: StateStore;
  queue: JobQueue;
  renders: RenderCache;
  sources: SourceFetcher;
  /** Charts of chart sources, from Helm repositories and OCI registries, cached per chart and version. */
  charts: ChartFetcher;
  statuses: CommitStatusPoster;
  /** Where pull-request previews are shown (check runs on GitHub); absent: printed on the console. */
  previews?: PreviewPublisher;
  events: EventSink;
  /**
   * A client for a registered cluster; implementations cache one per cluster and role. With a
   * role (the app's project's, shared/project/roles.ts) the client acts as that role; without,
   * as the cluster's own connection.
   */
  connect(cluster: ClusterSpec, role?: AssumedRole): Promise<KubeClient>;
  /** Who holds leases taken by this worker (container id + request id). */
  owner: string;
  /** The queue's maxReceiveCount: the last attempt records the failure before the DLQ. */
  maxReceiveCount: number;
  /** Where the registry lives in the config repository. */
  configRepo?: { repoURL: string; dir: string };
  logger: WorkerLogger;
  now?: () => Date;
  /** The SOPS keys this worker holds; absent: the process's own (sops-keys.ts), read on the first SOPS document. */
  sopsKeys?: SopsKeyRing;
  /** Where each finished sync's DORA signals go (CloudWatch in Lambda); absent: none are worked out. */
  dora?: DoraSink;
  /** The CloudWatch alarms rollout gates wait on; absent: from the environment (shared/rollout/alarms.ts alarmReaderFor). */
  alarms?: AlarmReader;
}

export interface JobContext {
  /** ApproximateReceiveCount of the message. */
  receiveCount: number;
  /** Milliseconds left in this invocation (Lambda's getRemainingTimeInMillis). */
  remainingMs(): number;
}
