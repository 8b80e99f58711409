// X-Ray tracing through Powertools Tracer: each handler makes its tracer once per cold start
// (functionTracer), and the runtime wraps every AWS SDK client it builds (traced), so a trace
// shows the calls to DynamoDB, SQS, S3, Secrets Manager and EventBridge under the invocation.
//
// Outside Lambda (local mode, tests) Powertools turns tracing off by itself: it traces only
// where AWS_EXECUTION_ENV is set and POWERTOOLS_TRACE_ENABLED is not "false", and then
// captures nothing, patches nothing and needs no X-Ray daemon.
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Service names in traces: one per function, so the X-Ray service map tells them apart. */
const TRACE_SERVICE_NAMES = {
  webhook: 'driftless-webhook',
  worker: 'driftless-sync-worker',
  driftScan: 'driftless-drift-scan',
  api: 'driftless-api',
} as const;

let current: Tracer | undefined;

/** The function's tracer; the clients the runtime builds afterwards are captured with it. */
export function functionTracer(name: keyof typeof TRACE_SERVICE_NAMES): Tracer {
  current = new Tracer({ serviceName: TRACE_SERVICE_NAMES[name] });
  return current;
}

/** `client`, captured by the function's tracer when tracing is on; as it is otherwise. */
export function traced<T>(client: T): T {
  return current?.isTracingEnabled() ? current.captureAWSv3Client(client) : client;
}
