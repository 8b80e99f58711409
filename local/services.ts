// The AWS services of local mode, embedded: DynamoDB (dynalite, optionally persisted to a
// folder) and SQS + S3 (fauxqs), with the table, queues and bucket created, and the
// environment variables that point the real handlers and AWS SDK clients at them.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { createQueues } from './create-queues.ts';
import { createTable } from './create-table.ts';

const require = createRequire(import.meta.url);
// dynalite is CommonJS without type declarations.
const dynalite = require('dynalite') as (options: { path?: string; createTableMs?: number }) => Server;

export interface LocalServices {
  /** STATE_TABLE, SYNC_QUEUE_URL, RENDER_BUCKET, AWS_ENDPOINT_URL_* and dummy credentials. */
  env: Record<string, string>;
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  stop(): Promise<void>;
}

export interface LocalServicesOptions {
  /** Folder for dynalite's LevelDB files; in memory when absent. */
  stateDir?: string;
  maxReceiveCount?: number;
  visibilityTimeoutSeconds?: number;
}

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startLocalServices(options: LocalServicesOptions = {}): Promise<LocalServices> {
  const dynamo = dynalite({ path: options.stateDir, createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(0, '127.0.0.1', () => resolve());
  });
  const dynamoEndpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  const fauxqs = await startFauxqs({ port: 0, logger: false });

  const table = 'driftless-state';
  const bucket = 'driftless-renders';
  const client = { region: REGION, credentials: CREDENTIALS };
  const dynamoClient = new DynamoDBClient({ ...client, endpoint: dynamoEndpoint });
  await createTable(dynamoClient, table).catch((error: Error) => {
    // A persisted state folder already has the table.
    if (error.name !== 'ResourceInUseException') throw error;
  });
  dynamoClient.destroy();
  const sqs = new SQSClient({ ...client, endpoint: fauxqs.address, useQueueUrlAsEndpoint: false });
  const queues = await createQueues(sqs, 'driftless-sync-jobs', {
    maxReceiveCount: options.maxReceiveCount ?? 5,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
  });
  const s3 = new S3Client({ ...client, endpoint: fauxqs.address, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();

  return {
    env: {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_SQS: fauxqs.address,
      AWS_ENDPOINT_URL_S3: fauxqs.address,
      STATE_TABLE: table,
      SYNC_QUEUE_URL: queues.queueUrl,
      RENDER_BUCKET: bucket,
      MAX_RECEIVE_COUNT: String(options.maxReceiveCount ?? 5),
    },
    sqs,
    queueUrl: queues.queueUrl,
    queueArn: queues.queueArn,
    dlqUrl: queues.dlqUrl,
    async stop() {
      sqs.destroy();
      await fauxqs.stop();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}
