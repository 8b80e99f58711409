// The api function as API Gateway's HTTP API calls it (payload 2.0, the JWT authorizer's
// claims in requestContext.authorizer.jwt.claims), over a real table (dynalite) holding a
// fleet of 1,000 app × cluster targets and the registry's own argocd-rbac-cm. DynamoDB is
// reached through a counting proxy, so "one registry read and one scan" is what went over the
// wire, not what our code says it did.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoFaultProxy, type DynamoFaultProxy } from '../../local/dynamo-fault-proxy.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { FleetPage } from '../../shared/api/contract.ts';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';

const APPS = 500;
const CLUSTERS = ['east', 'west'];
const name = (index: number) => `app-${String(index).padStart(3, '0')}`;

let services: LocalServices;
let proxy: DynamoFaultProxy;
let handler: (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

function event(method: string, path: string, claims?: Record<string, unknown>, query: Record<string, string> = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey: `${method} /api/{proxy+}`,
    rawPath: path,
    rawQueryString,
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    headers: { accept: 'application/json' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'id',
      routeKey: `${method} /api/{proxy+}`,
      stage: '$default',
      time: '01/Dec/2026:00:00:00 +0000',
      timeEpoch: 0,
      // API Gateway's JWT authorizer hands list claims over flattened: "[a b]".
      authorizer: (claims
        ? { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } }
        : undefined) as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer'],
    },
    isBase64Encoded: false,
  };
}

async function call<T>(request: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<{ status: number; body: T }> {
  const result = await handler(request, lambdaContext('api'));
  return { status: result.statusCode ?? 0, body: (result.body ? JSON.parse(result.body) : undefined) as T };
}

beforeAll(async () => {
  services = await startLocalServices();
  proxy = await startDynamoFaultProxy({ target: services.env.AWS_ENDPOINT_URL_DYNAMODB });
  Object.assign(process.env, services.env, { AWS_ENDPOINT_URL_DYNAMODB: proxy.url, POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' });
  const files = [
    {
      file: 'driftless/clusters.yaml',
      text: CLUSTERS.map(
        (cluster) =>
          `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: ${cluster}, labels: { region: ${cluster} } }\nspec:\n  kubeconfig: { context: ${cluster} }\n`,
      ).join('---\n'),
    },
    {
      file: 'driftless/apps.yaml',
      text: Array.from(
        { length: APPS },
        (_, index) =>
          `apiVersion: driftless.io/v1alpha1\nkind: Application\nmetadata: { name: ${name(index)} }\nspec:\n  source: { repoURL: https://github.com/acme/apps.git, targetRevision: main, path: apps/${name(index)} }\n  destinations:\n${CLUSTERS.map((cluster) => `    - { name: ${cluster}, namespace: ${name(index)} }`).join('\n')}\n`,
      ).join('---\n'),
    },
    {
      file: 'driftless/rbac.yaml',
      text: `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: argocd-rbac-cm }\ndata:\n  scopes: '[cognito:groups]'\n  policy.csv: |\n    g, platform, role:admin\n    p, role:first-hundred, applications, get, default/app-0*, allow\n    g, team-zero, role:first-hundred\n`,
    },
  ];
  const registry = parseRegistryFiles(files);
  const store = new DynamoStateStore({ client: new DynamoDBClient({ endpoint: services.env.AWS_ENDPOINT_URL_DYNAMODB }), tableName: services.env.STATE_TABLE });
  await store.putRegistry(registry, 'c0ffee'.repeat(6) + 'c0ff');
  const targets = Array.from({ length: APPS }, (_, index) => CLUSTERS.map((cluster) => ({ index, cluster }))).flat();
  for (let start = 0; start < targets.length; start += 50) {
    await Promise.all(
      targets.slice(start, start + 50).map(({ index, cluster }) =>
        store.putTargetState({
          app: name(index),
          cluster,
          syncStatus: 'Synced',
          health: index % 2 === 0 ? 'Healthy' : 'Degraded',
          revision: 'a'.repeat(40),
          namespace: name(index),
        }),
      ),
    );
  }
  ({ handler } = (await import('../../functions/api/handler.ts')) as unknown as { handler: typeof handler });
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
  await services?.stop();
});

describe('the api function', () => {
  it('answers 401 to a request without the authorizer’s claims', async () => {
    const { status, body } = await call<{ error: string }>(event('GET', '/api/fleet'));
    expect(status).toBe(401);
    expect(body.error).toMatch(/sign in/);
  });

  it('answers 1,000 rows in one call from one GetItem and one Scan of the table', async () => {
    proxy.stats.requests = {};
    const { status, body } = await call<FleetPage>(event('GET', '/api/fleet', { sub: 'uuid-1', email: 'ops@example.com', 'cognito:groups': '[platform]' }));
    expect(status).toBe(200);
    expect(body.rows).toHaveLength(1000);
    expect(body.total).toBe(1000);
    expect(body.next).toBeUndefined();
    expect(body.healthCounts).toEqual({ Healthy: 500, Degraded: 500 });
    expect(body.rows.slice(0, 3).map((row) => `${row.app}@${row.cluster}`)).toEqual(['app-000@east', 'app-000@west', 'app-001@east']);
    expect(body.rows[0]).toMatchObject({
      revisionUrl: `https://github.com/acme/apps/commit/${'a'.repeat(40)}`,
      clusterLabels: { region: 'east' },
      allowed: { sync: true, rollback: true, suspend: true },
    });
    expect(proxy.stats.requests).toEqual({ GetItem: 1, Scan: 1 });
  });

  it('pages the same rows with limit and the cursor it gives, none twice and none left out', async () => {
    const claims = { sub: 'uuid-1', 'cognito:groups': '[platform]' };
    const seen: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const { body } = await call<FleetPage>(event('GET', '/api/fleet', claims, { limit: '300', ...(cursor ? { cursor } : {}) }));
      seen.push(...body.rows.map((row) => `${row.app}@${row.cluster}`));
      cursor = body.next;
      calls++;
    } while (cursor);
    expect(calls).toBe(4);
    expect(new Set(seen).size).toBe(1000);
  });

  it('lists and counts only what the policy lets the caller get; a user the policy does not name sees nothing', async () => {
    const team = await call<FleetPage>(event('GET', '/api/fleet', { sub: 'uuid-2', 'cognito:groups': '[team-zero]' }));
    expect(team.body.total).toBe(200);
    expect(team.body.rows.every((row) => /^app-0\d\d$/.test(row.app))).toBe(true);
    expect(team.body.healthCounts).toEqual({ Healthy: 100, Degraded: 100 });
    const stranger = await call<FleetPage>(event('GET', '/api/fleet', { sub: 'uuid-3' }));
    expect(stranger.body.total).toBe(0);
  });

  it('refuses a sync the policy does not allow with 403 and the check in the message', async () => {
    const { status, body } = await call<{ error: string }>(
      event('POST', '/api/apps/app-001/clusters/east/sync', { sub: 'uuid-2', 'cognito:groups': '[team-zero]' }),
    );
    expect(status).toBe(403);
    expect(body.error).toMatch(/^permission denied: applications, sync, default\/app-001 for uuid-2 \(groups team-zero\)/);
  });

  it('says who the caller is and which groups the registry’s scopes pick', async () => {
    const { body } = await call(event('GET', '/api/me', { sub: 'uuid-2', email: 'z@example.com', 'cognito:groups': '[team-zero other]' }));
    expect(body).toEqual({ user: 'uuid-2', groups: ['team-zero', 'other'], signInRequired: true });
  });
});
