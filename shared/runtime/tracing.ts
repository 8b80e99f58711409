// X-Ray tracing through Powertools Tracer: each handler makes its tracer once per cold start
// (functionTracer), and the runtime wraps every AWS SDK client it builds (traced), so a trace
// shows the calls to DynamoDB, SQS, S3, Secrets Manager and EventBridge under the invocation.
//
// Outside Lambda (local mode, tests) tracing is off, by Powertools' own rule (tracingWanted),
// and then the Tracer is not even imported: it loads aws-xray-sdk-core, whose cls-hooked
// context installs an async hook with destroy tracking at load, and that made every promise
// of the process dearer whether anything was traced or not (a fifth of a local worker's CPU).
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';

/** Service names in traces: one per function, so the X-Ray service map tells them apart. */
const TRACE_SERVICE_NAMES = {
  webhook: 'driftless-webhook',
  worker: 'driftless-sync-worker',
  driftScan: 'driftless-drift-scan',
  api: 'driftless-api',
} as const;

let current: Tracer | undefined;

/**
 * Powertools Tracer's rule for whether it traces (Tracer.setTracingEnabled): off when
 * POWERTOOLS_TRACE_ENABLED is "false", under the Amplify mock or SAM local, or outside a Lambda
 * execution environment (no AWS_EXECUTION_ENV). test/functions/tracing.test.ts holds it to the
 * Tracer's own answer.
 */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() === 'false') return false;
  const executionEnv = env.AWS_EXECUTION_ENV ?? '';
  if (executionEnv === '' || executionEnv === 'AWS_Lambda_amplify-mock') return false;
  return (env.AWS_SAM_LOCAL ?? '') === '';
}

/** The function's tracer when tracing is on, else undefined; the clients the runtime builds afterwards are captured with it. */
export async function functionTracer(name: keyof typeof TRACE_SERVICE_NAMES): Promise<Tracer | undefined> {
  if (!tracingWanted()) {
    current = undefined;
    return undefined;
  }
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  current = new Tracer({ serviceName: TRACE_SERVICE_NAMES[name] });
  return current;
}

/** The handler's tracing middleware for middy's `use`: Powertools' captureLambdaHandler with a tracer, none (an empty list) without. */
export function tracingMiddleware(tracer: Tracer | undefined): MiddlewareObj[] {
  return tracer ? [captureLambdaHandler(tracer)] : [];
}

/** `client`, captured by the function's tracer when tracing is on; as it is otherwise. */
export function traced<T>(client: T): T {
  return current?.isTracingEnabled() ? current.captureAWSv3Client(client) : client;
}
