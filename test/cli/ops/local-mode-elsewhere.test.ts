// Local mode started with a state folder of its own (`npm start -- --state-dir DIR`): the real
// CLI, run from a folder that holds no .driftless, finds it through --state-dir DIR or
// DRIFTLESS_STATE_DIR, and says both when it does not find local mode.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';

const project = new URL('../../..', import.meta.url).pathname;
const BACKEND_VARIABLES = /^(AWS_|STATE_TABLE$|SYNC_QUEUE_URL$|RENDER_BUCKET$|GITHUB_SECRET|DRIFTLESS_STATE_DIR$)/;

let child: ChildProcess;
let output = '';
let dir: string;
let stateDir: string;
let elsewhere: string;
const savedEnv = { ...process.env };
const savedCwd = process.cwd();

function waitFor(pattern: RegExp, timeoutMs = 90_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (pattern.test(output)) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > timeoutMs || child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`no ${pattern} in npm start's output within ${timeoutMs} ms:\n${output}`));
      }
    }, 100);
  });
}

/** process.env without any AWS or Driftless backend variable, plus `extra`; no credentials anywhere. */
function setEnv(extra: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (BACKEND_VARIABLES.test(key)) delete process.env[key];
  Object.assign(
    process.env,
    {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      AWS_REGION: 'eu-west-1',
    },
    extra,
  );
}

async function appsJson(args: string[]): Promise<{ code: number; stderr: string; apps: string[] }> {
  const result = await runCli(['apps', '--output', 'json', ...args]);
  const rows = result.code === 0 ? (JSON.parse(result.stdout) as Array<{ app: string }>) : [];
  return { code: result.code, stderr: result.stderr, apps: rows.map((row) => row.app).sort() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftless-elsewhere-'));
  stateDir = join(dir, 'state-somewhere');
  elsewhere = await mkdtemp(join(tmpdir(), 'driftless-cwd-'));
  child = spawn(
    process.execPath,
    [join(project, 'local/start.ts'), '--port', '0', '--state-dir', stateDir, '--example-dir', join(dir, 'example'), '--drift-interval', '1h'],
    {
      cwd: dir,
      env: { ...process.env, GITHUB_TOKEN: '', GITHUB_WEBHOOK_SECRET: '' },
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(/\[Sync Succeeded\] guestbook@local/);
  // The CLI runs where npm start did not: no .driftless here.
  process.chdir(elsewhere);
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});
afterAll(async () => {
  process.chdir(savedCwd);
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await Promise.all([rm(dir, { recursive: true, force: true }), rm(elsewhere, { recursive: true, force: true })]);
});

describe('the CLI finds local mode started with --state-dir', () => {
  it('through --state-dir DIR', async () => {
    setEnv({});
    const result = await appsJson(['--state-dir', stateDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.apps).toContain('guestbook');
  });

  it('through DRIFTLESS_STATE_DIR', async () => {
    setEnv({ DRIFTLESS_STATE_DIR: stateDir });
    const result = await appsJson([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.apps).toContain('guestbook');
  });

  it('--state-dir goes before STATE_TABLE and SYNC_QUEUE_URL in the environment', async () => {
    setEnv({ STATE_TABLE: 'no-such-table', SYNC_QUEUE_URL: 'http://127.0.0.1:9/000000000000/none.fifo' });
    const result = await appsJson(['--state-dir', stateDir]);
    expect(result.code).toBe(0);
    expect(result.apps).toContain('guestbook');
  });

  it('--local in a folder without local mode names --state-dir and DRIFTLESS_STATE_DIR (exit 3)', async () => {
    setEnv({});
    const result = await runCli(['apps', '--local']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/local mode is not running here: .*endpoints\.json does not exist/);
    expect(result.stderr).toContain('pass --state-dir DIR or set DRIFTLESS_STATE_DIR=DIR');
  });

  it('a --state-dir where local mode does not run says so and how to start it there (exit 3)', async () => {
    setEnv({});
    const missing = join(dir, 'not-started');
    const result = await runCli(['apps', '--state-dir', missing]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `driftless apps: local mode is not running in ${missing}: ${join(missing, 'endpoints.json')} does not exist; start it with npm start -- --state-dir ${missing}, or pass the --state-dir npm start was given (or set DRIFTLESS_STATE_DIR)\n`,
    );
  });

  it('a DRIFTLESS_STATE_DIR where local mode does not run is not silently replaced by AWS (exit 3)', async () => {
    const missing = join(dir, 'not-started-either');
    setEnv({ DRIFTLESS_STATE_DIR: missing });
    const result = await runCli(['apps']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`local mode is not running in ${missing}`);
  });

  it('without either, and without AWS credentials, the hint names both (exit 3)', async () => {
    // No endpoints file here: the CLI goes on to the default stack and finds no credentials.
    setEnv({ AWS_ENDPOINT_URL_CLOUDFORMATION: 'http://127.0.0.1:9' });
    const result = await runCli(['apps']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /no AWS credentials found .*or run npm start for local mode \(started with --state-dir DIR: pass --state-dir DIR or set DRIFTLESS_STATE_DIR=DIR\)/,
    );
  });

  it('--stack and --state-dir together are a usage error (exit 2)', async () => {
    setEnv({});
    const result = await runCli(['apps', '--stack', 'Driftless', '--state-dir', stateDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--stack and --state-dir name two different backends/);
  });
});
