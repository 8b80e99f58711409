// Tracing is on in Lambda (active tracing, Powertools Tracer) and must cost nothing elsewhere:
// in local mode and tests there is no X-Ray daemon, so the tracer must capture nothing, and
// it is not even built (its X-Ray SDK's async hook slows every promise of the process).
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { functionTracer, traced, tracingMiddleware, tracingWanted } from '../../shared/runtime/tracing.ts';

// The name aws-xray-sdk-core gives the middleware it adds to a captured SDK v3 client.
const XRAY_MIDDLEWARE = 'XRaySDKInstrumentation';
const middlewareOf = (client: DynamoDBClient) => client.middlewareStack.identify().join(' ');

afterEach(() => vi.unstubAllEnvs());

describe('tracing', () => {
  it('is off outside Lambda: no tracer, no middleware, clients left as they are', async () => {
    vi.stubEnv('AWS_EXECUTION_ENV', '');
    const tracer = await functionTracer('webhook');
    expect(tracer).toBeUndefined();
    expect(tracingMiddleware(tracer)).toEqual([]);
    const client = new DynamoDBClient({ region: 'eu-west-1' });
    expect(traced(client)).toBe(client);
    expect(middlewareOf(client)).not.toContain(XRAY_MIDDLEWARE);
  });

  it('is off in Lambda when POWERTOOLS_TRACE_ENABLED is false', async () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
    expect(await functionTracer('worker')).toBeUndefined();
    expect(middlewareOf(traced(new DynamoDBClient({ region: 'eu-west-1' })))).not.toContain(XRAY_MIDDLEWARE);
  });

  it("captures the clients the runtime builds in Lambda, under the function's own service name", async () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', '');
    const tracer = await functionTracer('driftScan');
    expect(tracer?.isTracingEnabled()).toBe(true);
    expect(tracingMiddleware(tracer).map((middleware) => Object.keys(middleware).sort())).toEqual([['after', 'before', 'onError']]);
    expect(middlewareOf(traced(new DynamoDBClient({ region: 'eu-west-1' })))).toContain(XRAY_MIDDLEWARE);
    // Leave tracing off behind for whatever runs next in this worker.
    vi.stubEnv('AWS_EXECUTION_ENV', '');
    await functionTracer('driftScan');
  });

  it("decides as Powertools' Tracer decides, for every environment that rule reads", () => {
    const cases = [
      {},
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'false' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'FALSE' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'true' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_SAM_LOCAL: 'true' },
      { POWERTOOLS_TRACE_ENABLED: 'true' },
    ];
    for (const env of cases) {
      vi.unstubAllEnvs();
      for (const key of ['AWS_EXECUTION_ENV', 'POWERTOOLS_TRACE_ENABLED', 'AWS_SAM_LOCAL']) vi.stubEnv(key, (env as Record<string, string>)[key] ?? '');
      expect({ env, wanted: tracingWanted() }).toEqual({ env, wanted: new Tracer().isTracingEnabled() });
    }
  });
});
