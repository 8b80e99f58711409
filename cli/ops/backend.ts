// The state table and the job queue of the resolved endpoints, with clients configured from
// the endpoints' variables (not from process.env: local mode's come from a file), and the
// translation of AWS SDK failures into errors that say what to do.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readFleet, type Fleet } from '../../shared/operations/fleet.ts';
import { OperationError } from '../../shared/operations/errors.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { resolveEndpoints, type EndpointOptions, type Endpoints } from './endpoints.ts';
import { BackendError, NoCredentialsError, NO_CREDENTIALS_HINT, OpsError } from './errors.ts';

export type { Fleet };

/** Region and keys of the endpoints, for any AWS client the backend's commands build. */
export interface AwsSettings {
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface Backend {
  endpoints: Endpoints;
  /** Region and keys as the table's and queue's clients have them (restore's S3 client takes them too). */
  aws: AwsSettings;
  store: DynamoStateStore;
  queue: SqsJobQueue;
  /** The registry and every app target's state, read together. */
  fleet(): Promise<Fleet>;
  close(): void;
}

export async function openBackend(options: EndpointOptions = {}): Promise<Backend> {
  const endpoints = await resolveEndpoints(options);
  const env = endpoints.env;
  const aws: AwsSettings = {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    // Local mode's file carries its own dummy keys; elsewhere the SDK's chain decides.
    credentials:
      endpoints.source === 'local' && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
        : undefined,
  };
  const common = { ...aws, maxAttempts: 2 };
  const dynamo = new DynamoDBClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB });
  const sqs = new SQSClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_SQS, useQueueUrlAsEndpoint: !env.AWS_ENDPOINT_URL_SQS });
  const store = new DynamoStateStore({ client: dynamo, tableName: env.STATE_TABLE ?? '' });
  return {
    endpoints,
    aws,
    store,
    queue: new SqsJobQueue({ client: sqs, queueUrl: env.SYNC_QUEUE_URL ?? '' }),
    fleet: () => readFleet(store),
    close() {
      dynamo.destroy();
      sqs.destroy();
    },
  };
}

/** An AWS SDK or network failure as a BackendError (exit 3); anything else unchanged. */
export function backendFailure(error: unknown, endpoints: Endpoints | undefined): unknown {
  if (error instanceof OpsError || error instanceof OperationError) return error;
  const failure = error as { name?: string; code?: string; message?: string; $metadata?: unknown; cause?: { code?: string } };
  const where = endpoints?.description ?? 'the backend';
  const message = (failure.message ?? String(error)).split('\n')[0];
  const name = failure.name ?? '';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) return new NoCredentialsError(message, { cause: error });
  if (/ExpiredToken|UnrecognizedClient|InvalidClientTokenId|InvalidSignature|SignatureDoesNotMatch/.test(name)) {
    return new BackendError(`AWS refused the credentials (${name}): ${NO_CREDENTIALS_HINT}`, { cause: error });
  }
  if (/AccessDenied/.test(name))
    return new BackendError(`access denied reading ${where}: ${message}; use credentials that may read the Driftless table and send to its queue`, {
      cause: error,
    });
  if (name === 'ResourceNotFoundException' || name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue') {
    return new BackendError(`${where}: ${message}; is the stack deployed in this region (pass --stack/--region), or is local mode still running?`, {
      cause: error,
    });
  }
  const code = failure.code ?? failure.cause?.code ?? '';
  if (
    /ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN/.test(code) ||
    /ECONNREFUSED|ENOTFOUND|socket hang up|fetch failed/.test(message) ||
    name === 'TimeoutError'
  ) {
    const hint = endpoints?.source === 'local' ? 'is npm start still running? (its endpoints file may be stale)' : 'check the network and the region';
    return new BackendError(`cannot reach ${where}: ${message}; ${hint}`, { cause: error });
  }
  if (failure.$metadata !== undefined) return new BackendError(`${where}: ${name}: ${message}`, { cause: error });
  return error;
}
