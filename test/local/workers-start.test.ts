// `npm start -- --workers 3` end to end: the real webhook, worker processes, dynalite and the
// sandbox. Four apps of one config commit sync three at a time: their history entries
// (startedAt → finishedAt, recorded by the workers) overlap in time, which one job at a time
// could never produce.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import type { HistoryEntry } from '../../shared/state/types.ts';

const run = promisify(execFile);
const project = new URL('../..', import.meta.url).pathname;
const APPS = ['alpha', 'bravo', 'charlie', 'delta'];
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@t.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@t.invalid',
};

let child: ChildProcess;
let output = '';
let dir: string;

async function configRepo(repo: string): Promise<void> {
  await mkdir(join(repo, 'driftless/apps'), { recursive: true });
  await writeFile(
    join(repo, 'driftless/cluster.yaml'),
    'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: local }\nspec:\n  kubeconfig: { context: sandbox }\n',
  );
  for (const app of APPS) {
    await writeFile(
      join(repo, `driftless/apps/${app}.yaml`),
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: ${app} }\nspec:\n  project: default\n  source: { repoURL: ${repo}, targetRevision: main, path: apps/${app} }\n  destination: { name: local, namespace: ${app} }\n  syncPolicy:\n    automated: {}\n    syncOptions: [CreateNamespace=true]\n`,
    );
    await mkdir(join(repo, `apps/${app}`), { recursive: true });
    // A Deployment the sandbox makes ready after its delay: each sync waits for health a while.
    await writeFile(
      join(repo, `apps/${app}/deployment.yaml`),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec: { containers: [{ name: web, image: "nginx:1.27" }] }\n',
    );
  }
  const git = (...args: string[]) => run('git', args, { cwd: repo, env: GIT_ENV });
  await git('init', '--quiet', '--initial-branch=main');
  await git('add', '--all');
  await git('commit', '--quiet', '-m', 'four apps');
}

function waitFor(pattern: RegExp, timeoutMs = 90_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (pattern.test(output)) {
        clearInterval(timer);
        clearTimeout(timeout);
        resolve();
      }
    }, 100);
    const timeout = setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`no ${pattern} in npm start's output within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftless-workers-start-'));
  await configRepo(join(dir, 'repo'));
  child = spawn(
    process.execPath,
    [
      join(project, 'local/start.ts'),
      '--port',
      '0',
      '--state-dir',
      join(dir, 'state'),
      '--config-repo',
      join(dir, 'repo'),
      '--drift-interval',
      '1h',
      '--workers',
      '3',
    ],
    { cwd: dir, env: { ...process.env, GITHUB_TOKEN: '', GITHUB_WEBHOOK_SECRET: '' } },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
}, 30_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

it('says how many jobs it runs at once, and in how many processes', async () => {
  await waitFor(/^workers: 3 \((1 process × 3 jobs|2 \+ 1 jobs in 2 processes|3 processes × 1 job)\)$/m);
});

it('syncs apps of one push on several workers at once', async () => {
  for (const app of APPS) await waitFor(new RegExp(`\\[Sync Succeeded\\] ${app}@local`));
  const endpoints = JSON.parse(await readFile(join(dir, 'state/endpoints.json'), 'utf8')) as Record<string, string>;
  const store = new DynamoStateStore({
    client: new DynamoDBClient({
      endpoint: endpoints.AWS_ENDPOINT_URL_DYNAMODB,
      region: endpoints.AWS_REGION,
      credentials: { accessKeyId: endpoints.AWS_ACCESS_KEY_ID, secretAccessKey: endpoints.AWS_SECRET_ACCESS_KEY },
    }),
    tableName: endpoints.STATE_TABLE,
  });
  const entries: HistoryEntry[] = [];
  for (const app of APPS) entries.push(...(await store.listHistory(app, 'local', 5)));
  expect(entries.map((entry) => entry.app).sort()).toEqual([...APPS].sort());
  const span = (entry: HistoryEntry) => [Date.parse(entry.startedAt), Date.parse(entry.finishedAt)] as const;
  const overlaps = entries.filter((a) =>
    entries.some((b) => {
      if (a === b) return false;
      const [aStart, aEnd] = span(a);
      const [bStart, bEnd] = span(b);
      return aStart < bEnd && bStart < aEnd;
    }),
  );
  expect(overlaps.length, entries.map((entry) => `${entry.app} ${entry.startedAt} → ${entry.finishedAt}`).join('\n')).toBeGreaterThanOrEqual(2);
}, 120_000);
