// The "wrong webhook secret" alarm (infra/constructs/monitoring.ts) reads two EMF metrics the
// webhook prints: a GitHub-looking delivery refused for its signature counts as
// WebhookSignatureRejected, one that passes as WebhookSignatureAccepted. Run through the real
// middy handler (Powertools Metrics writes the EMF line to stdout when the invocation ends).
import { createHmac, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../local/lambda-context.ts';

const HOOK = 'hook-secret-7f21';
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;

beforeAll(async () => {
  vi.stubEnv('WEBHOOK_SECRET', JSON.stringify({ webhookSecret: HOOK }));
  vi.stubEnv('STATE_TABLE', 'table');
  // Nothing listens here: a ping and a refused delivery never reach the table or the queue.
  vi.stubEnv('SYNC_QUEUE_URL', 'http://127.0.0.1:9/queue');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Driftless');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'driftless');
  vi.stubEnv('POWERTOOLS_DEV', '');
  ({ handler } = (await import('../../functions/webhook/handler.ts')) as unknown as { handler: Handler });
});
afterAll(() => vi.unstubAllEnvs());

const sign = (body: string, key: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

function delivery(signature: string, body: string): APIGatewayProxyEventV2 {
  return {
    headers: {
      'User-Agent': 'GitHub-Hookshot/a1b2c3d',
      'Content-Type': 'application/json',
      'X-GitHub-Event': 'ping',
      'X-GitHub-Delivery': randomUUID(),
      'X-Hub-Signature-256': signature,
    },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

/** Runs one invocation and returns its status and the EMF documents it printed. */
async function invoke(event: APIGatewayProxyEventV2): Promise<{ statusCode?: number; emf: Array<Record<string, unknown>> }> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    const response = await handler(event, lambdaContext('webhook', 10_000));
    const emf = lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    return { statusCode: response.statusCode, emf };
  } finally {
    write.mockRestore();
  }
}

/** Metric names the EMF documents declare, with their values. */
function metricsOf(emf: Array<Record<string, unknown>>): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const document of emf) {
    const aws = document._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
    for (const directive of aws.CloudWatchMetrics) {
      expect(directive.Namespace).toBe('Driftless');
      // The alarm's metric carries the service dimension (monitoring.ts driftlessMetric).
      expect(directive.Dimensions).toEqual([['service']]);
      expect(document.service).toBe('driftless');
      for (const metric of directive.Metrics) found[metric.Name] = document[metric.Name];
    }
  }
  return found;
}

describe('webhook signature metrics', () => {
  const body = '{"zen":"Design for failure.","hook_id":1}';

  it('counts a GitHub-looking delivery with a wrong signature as WebhookSignatureRejected', async () => {
    const { statusCode, emf } = await invoke(delivery(sign(body, 'not-the-secret'), body));
    expect(statusCode).toBe(401);
    expect(metricsOf(emf)).toEqual({ WebhookSignatureRejected: 1 });
  });

  it('counts one with the right signature as WebhookSignatureAccepted', async () => {
    const { statusCode, emf } = await invoke(delivery(sign(body, HOOK), body));
    expect(statusCode).toBe(200);
    expect(metricsOf(emf)).toEqual({ WebhookSignatureAccepted: 1 });
  });
});
