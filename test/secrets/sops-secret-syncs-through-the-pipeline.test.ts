// A SOPS-encrypted Secret in Git goes through the whole pipeline (webhook, SQS, the real
// worker handler, the sandbox cluster) and arrives decrypted, while the render cache (S3 in
// fauxqs), the state table (dynalite), the commit statuses, the events and the logs never
// hold its value, in plain or in base64: the cache keeps sops's encrypted form. Plain Secrets
// beside it are a warning on the commit status, and refused before any write once the project
// says `plainSecrets: deny`. The age key comes from the real age-keygen, the data key is
// wrapped by the real age binary; the file is built by the test encoder, which
// sops-encoder.test.ts checks against sops's own files.
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { buildDependencies } from '../../functions/sync-worker/handler.ts';
import { projectOf } from '../../shared/config/normalise-project.ts';
import { scanTarget } from '../../shared/drift/scan-target.ts';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import { SANDBOX_CLUSTER } from '../support/sandbox-cluster.ts';
import { REPO_URL, startPipeline, type Pipeline } from '../support/pipeline.ts';
import { ageEncrypt, ageKeygen, newDataKey, sopsDocument } from './support/sops-encoder.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const PASSWORD = 's3cr3t-p4ssw0rd-7f3a91';
const PASSWORD_B64 = Buffer.from(PASSWORD).toString('base64');

let pipeline: Pipeline;
let keysDir: string;
let recipient: string;
const written: string[] = [];

beforeAll(async () => {
  keysDir = await mkdtemp(join(tmpdir(), 'sops-pipeline-'));
  recipient = await ageKeygen(join(keysDir, 'keys.txt'));
  // The worker reads its keys as sops does; an empty GnuPG home keeps the user's own out.
  Object.assign(process.env, { SOPS_AGE_KEY_FILE: join(keysDir, 'keys.txt'), GNUPGHOME: keysDir });
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  pipeline = await startPipeline();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await pipeline?.stop();
  await rm(keysDir, { recursive: true, force: true });
});

function registry(plainSecrets?: 'deny'): Record<string, string> {
  return {
    'driftless/clusters.yaml': SANDBOX_CLUSTER,
    'driftless/team.yaml': `apiVersion: driftless.io/v1alpha1
kind: Project
metadata: { name: team }
spec:
  clusterResourceWhitelist: [{ group: '', kind: Namespace }]
  decryption: { sops: { ageRecipients: [${recipient}] } }
${plainSecrets ? `  plainSecrets: ${plainSecrets}\n` : ''}`,
    'driftless/web.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: web }
spec:
  project: team
  source: { repoURL: ${REPO_URL}, targetRevision: main, path: apps/web }
  destination: { name: sandbox, namespace: shop }
  syncPolicy: { automated: { prune: true }, syncOptions: [CreateNamespace=true] }
`,
  };
}

async function encryptedSecret(): Promise<string> {
  const dataKey = newDataKey();
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, type: 'Opaque', data: { password: PASSWORD_B64 } };
  // As Flux's guide has sops encrypt Kubernetes Secrets: only data and stringData.
  return stringify(
    sopsDocument(secret, dataKey, { age: [{ recipient, enc: await ageEncrypt(dataKey, recipient) }] }, { encrypted_regex: '^(data|stringData)$' }),
  );
}

const plainSecret = (token: string) => `apiVersion: v1\nkind: Secret\nmetadata: { name: api-token }\nstringData: { token: ${token} }\n`;

async function live(path: string): Promise<Record<string, unknown> | undefined> {
  const client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
  try {
    return await client.get<Record<string, unknown>>(path);
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}

async function everythingStored(): Promise<{ renders: string[]; table: string }> {
  const s3 = new S3Client({});
  const bucket = process.env.RENDER_BUCKET ?? '';
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const renders: string[] = [];
  for (const { Key } of listed.Contents ?? []) {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    // Renders are stored gzip-compressed (s3-render-cache.ts): read them as the cache does, and raw too.
    renders.push(bytes.toString('utf8'));
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) renders.push(gunzipSync(bytes).toString('utf8'));
  }
  const { Items = [] } = await new DynamoDBClient({}).send(new ScanCommand({ TableName: process.env.STATE_TABLE }));
  return { renders, table: JSON.stringify(Items) };
}

function neverHolds(text: string): void {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(PASSWORD_B64);
}

let first: string;

it('applies the decrypted Secret, and nothing stored, posted, emitted or logged holds its value', async () => {
  const files = { ...registry(), 'apps/web/secret.yaml': await encryptedSecret() };
  first = await pipeline.repo.commit(files);
  expect((await pipeline.push(EMPTY, first, { added: Object.keys(files) })).statusCode).toBe(202);
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first);

  expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ syncStatus: 'Synced', revision: first });
  const secret = await live('/api/v1/namespaces/shop/secrets/db');
  expect((secret?.data as Record<string, string>).password).toBe(PASSWORD_B64);
  expect(secret).not.toHaveProperty('sops');

  const { renders, table } = await everythingStored();
  expect(renders.some((render) => render.includes('ENC[AES256_GCM,'))).toBe(true);
  for (const render of renders) neverHolds(render);
  neverHolds(table);
  neverHolds(JSON.stringify(pipeline.github.statuses));
  neverHolds(JSON.stringify(pipeline.eventBridge.entries));
  neverHolds(written.join(''));
});

it('the drift scan compares the Secret decrypted: in sync as applied, drifted once its value is changed on the cluster', async () => {
  const scan = async () => {
    const { registry } = (await pipeline.store.getRegistry())!;
    const app = registry.apps.find((candidate) => candidate.name === 'web')!;
    const cluster = registry.clusters.find((candidate) => candidate.name === 'sandbox')!;
    const job = {
      kind: 'drift-scan' as const,
      app: 'web',
      cluster: 'sandbox',
      revision: first,
      enqueuedAt: new Date().toISOString(),
      schedulePeriod: Date.now(),
    };
    return scanTarget(job, app, cluster, await buildDependencies(process.env), projectOf(registry, app.project));
  };
  expect(await scan()).toMatchObject({ outcome: 'scanned', report: { status: 'InSync' } });

  const client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
  try {
    await client.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/shop/secrets/db',
      body: { data: { password: Buffer.from('changed-by-hand').toString('base64') } },
      contentType: 'application/merge-patch+json',
    });
  } finally {
    client.close();
  }
  const drifted = await scan();
  expect(drifted).toMatchObject({ outcome: 'scanned', report: { status: 'Drifted', objects: [{ kind: 'Secret', name: 'db', state: 'modified' }] } });
  neverHolds(JSON.stringify(drifted));
  neverHolds((await everythingStored()).table);
});

let second: string;

it('reports a plain Secret beside it as a warning on the commit status', async () => {
  second = await pipeline.repo.commit({ 'apps/web/plain.yaml': plainSecret('tok-1') });
  await pipeline.push(first, second, { added: ['apps/web/plain.yaml'] });
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === second);

  const status = pipeline.github.statuses.filter((entry) => entry.sha === second).at(-1);
  expect(status).toMatchObject({ state: 'success', context: 'driftless/web@sandbox' });
  expect(status?.description).toContain('warning: plain Secrets in Git');
  expect((await pipeline.store.getTarget('web', 'sandbox'))?.message).toContain('Secret/shop/api-token (apps/web/plain.yaml (document 1, line 1))');
  // The decrypted Secret is not "plain".
  expect((await pipeline.store.getTarget('web', 'sandbox'))?.message).not.toContain('Secret/shop/db');
  expect(await live('/api/v1/namespaces/shop/secrets/api-token')).toBeDefined();
});

it('refuses the sync before any write once the project denies plain Secrets', async () => {
  const third = await pipeline.repo.commit({ ...registry('deny'), 'apps/web/plain.yaml': plainSecret('tok-2') });
  await pipeline.push(second, third, { modified: ['driftless/team.yaml', 'apps/web/plain.yaml'] });
  await pipeline.work(async () => pipeline.github.statuses.some((entry) => entry.sha === third && entry.state === 'failure'));

  const status = pipeline.github.statuses.filter((entry) => entry.sha === third).at(-1);
  expect(status?.description).toMatch(/^project team denies plain Secrets \(plainSecrets: deny\), nothing was applied/);
  const token = await live('/api/v1/namespaces/shop/secrets/api-token');
  expect(Buffer.from((token?.data as Record<string, string>).token, 'base64').toString()).toBe('tok-1');
  neverHolds(written.join(''));
});
