// Embedded AWS services for tests: dynalite (DynamoDB) and fauxqs (SQS + S3 on one port),
// each started in-process on a free port, once per test file.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { startFauxqs as startFauxqsServer } from 'fauxqs';

export interface EmbeddedService {
  endpoint: string;
  stop(): Promise<void>;
}

interface DynaliteOptions {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

// dynalite is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: DynaliteOptions) => Server;

export async function startDynalite(): Promise<EmbeddedService> {
  // Tables become ACTIVE at once, so tests do not wait out dynalite's default 500 ms.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** One endpoint serves SQS and S3 (path-style: see `s3ClientConfig`). */
export async function startFauxqs(): Promise<EmbeddedService> {
  const server = await startFauxqsServer({ port: 0, logger: false });
  return { endpoint: server.address, stop: () => server.stop() };
}

export interface AwsClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export function awsClientConfig(endpoint: string): AwsClientConfig {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
}

/** S3 on an IP endpoint needs path-style addressing: `bucket.127.0.0.1` does not resolve. */
export function s3ClientConfig(endpoint: string): AwsClientConfig & { forcePathStyle: true } {
  return { ...awsClientConfig(endpoint), forcePathStyle: true };
}
