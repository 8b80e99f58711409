// Tracing is on in Lambda (active tracing, Powertools Tracer) and must cost nothing elsewhere:
// in local mode and tests there is no X-Ray daemon, so the tracer must capture nothing.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { functionTracer, traced } from '../../shared/runtime/tracing.ts';

// The name aws-xray-sdk-core gives the middleware it adds to a captured SDK v3 client.
const XRAY_MIDDLEWARE = 'XRaySDKInstrumentation';
const middlewareOf = (client: DynamoDBClient) => client.middlewareStack.identify().join(' ');

afterEach(() => vi.unstubAllEnvs());

describe('tracing', () => {
  it('is off outside Lambda: the tracer is disabled and clients are left as they are', () => {
    vi.stubEnv('AWS_EXECUTION_ENV', '');
    const tracer = functionTracer('webhook');
    expect(tracer.isTracingEnabled()).toBe(false);
    const client = new DynamoDBClient({ region: 'eu-west-1' });
    expect(traced(client)).toBe(client);
    expect(middlewareOf(client)).not.toContain(XRAY_MIDDLEWARE);
  });

  it('is off in Lambda when POWERTOOLS_TRACE_ENABLED is false', () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
    expect(functionTracer('worker').isTracingEnabled()).toBe(false);
    expect(middlewareOf(traced(new DynamoDBClient({ region: 'eu-west-1' })))).not.toContain(XRAY_MIDDLEWARE);
  });

  it("captures the clients the runtime builds in Lambda, under the function's own service name", () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', '');
    const tracer = functionTracer('driftScan');
    expect(tracer.isTracingEnabled()).toBe(true);
    expect(middlewareOf(traced(new DynamoDBClient({ region: 'eu-west-1' })))).toContain(XRAY_MIDDLEWARE);
    // Leave a disabled tracer behind for whatever runs next in this worker.
    vi.stubEnv('AWS_EXECUTION_ENV', '');
    functionTracer('driftScan');
  });
});
