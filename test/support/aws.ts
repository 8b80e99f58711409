// AWS SDK client configuration for tests. The services themselves are local mode's own,
// started once per test file with `startLocalServices` (local/services.ts): dynalite, and
// fauxqs for SQS and S3, with the table, the queues and the bucket already created.

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

/** Counts the commands the client sends, by name (e.g. `SendMessageBatchCommand`). */
export function countCommands(client: {
  middlewareStack: { add(middleware: CountingMiddleware, options: { step: 'initialize'; name: string }): void };
}): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return counts;
}

type CountingMiddleware = <A, R>(next: (args: A) => R, context: { commandName?: string }) => (args: A) => R;
