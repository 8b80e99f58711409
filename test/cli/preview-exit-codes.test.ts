// `driftless preview --base REF --head REF` in a real git checkout, against the backend's
// registry and the sandbox cluster the real pipeline synced at main: exit 0 when the change
// would change nothing on the cluster, 1 when it would, 2 when a target cannot be previewed
// (a render error, with its file and line) or a ref is unknown; refs are resolved by git in
// the checkout, commits need not be pushed, and nothing is written to the cluster.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { REPO_URL, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
let main: string;

beforeAll(async () => {
  pipeline = await startPipeline();
  const files = { ...webRegistry(), ...webApp('blue') };
  main = await pipeline.repo.commit(files);
  expect((await pipeline.push(EMPTY, main, { added: Object.keys(files) })).statusCode).toBe(202);
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.syncStatus === 'Synced');
  // The checkout knows the repository by its GitHub remote, as a clone does.
  await pipeline.repo.git('remote', 'add', 'origin', REPO_URL);
}, 120_000);
afterAll(() => pipeline?.stop());

async function branch(name: string, files: Record<string, string | null>): Promise<string> {
  await pipeline.repo.git('checkout', '--quiet', '-B', name, 'main');
  return pipeline.repo.commit(files);
}

function preview(...args: string[]) {
  return runCli(['preview', '--checkout', pipeline.repo.dir, ...args]);
}

function noWrites(): void {
  const writes = pipeline.sandbox.requests.entries().filter((entry) => entry.method !== 'GET' && entry.query.dryRun !== 'All');
  expect(writes).toEqual([]);
}

describe('driftless preview', () => {
  it('exits 0 when the change renders what the cluster already holds', async () => {
    // A comment changes the file, not the object.
    await branch('comment', { 'apps/web/config.yaml': `# the web app's settings\n${webApp('blue')['apps/web/config.yaml']}` });
    pipeline.sandbox.requests.clear();
    const result = await preview('--base', 'main', '--head', 'comment');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('web@sandbox: no change');
    expect(result.code).toBe(0);
    noWrites();
  });

  it('exits 0 when no app watches the changed paths', async () => {
    await branch('docs', { 'README.md': '# docs\n' });
    const result = await preview('--base', 'main', '--head', 'docs');
    expect(result.stdout).toMatch(/No app watches the paths changed/);
    expect(result.code).toBe(0);
  });

  it('looks at what the head changed since it left the base, as a pull request does', async () => {
    // The base moved on after the branch left it: its change is not the branch's.
    await branch('moved-on', webApp('purple'));
    await branch('readme', { 'README.md': '# just docs\n' });
    const result = await preview('--base', 'moved-on', '--head', 'readme');
    expect(result.stdout).toMatch(/No app watches the paths changed/);
    expect(result.code).toBe(0);
  });

  it('exits 1 with the diff when the change would change the cluster', async () => {
    await branch('green', webApp('green'));
    pipeline.sandbox.requests.clear();
    const result = await preview('--base', 'main', '--head', 'green');
    expect(result.stdout).toContain('web@sandbox: 0 to create, 1 to change, 0 to prune');
    expect(result.stdout).toContain('  change  ConfigMap/shop/web-config');
    expect(result.stdout).toMatch(/^-\s+color: blue$/m);
    expect(result.stdout).toMatch(/^\+\s+color: green$/m);
    expect(result.code).toBe(1);
    noWrites();
  });

  it('takes HEAD as the head by default and prints the report as JSON', async () => {
    await branch('json', webApp('red'));
    const result = await preview('--base', main, '--output', 'json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { head: string; targets: Array<{ app: string; change: Array<{ name: string }> }> };
    expect(report.head).toBe(await pipeline.repo.git('rev-parse', 'HEAD'));
    expect(report.targets.map((target) => [target.app, target.change.map((ref) => ref.name)])).toEqual([['web', ['web-config']]]);
  });

  it('exits 2 naming the file and line when the head does not render', async () => {
    await branch('broken', { 'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-config }\ndata: { color: green\n' });
    const result = await preview('--base', 'main', '--head', 'broken');
    expect(result.stdout).toMatch(/web@sandbox: error \(apps\/web\/config\.yaml:\d+\)/);
    expect(result.code).toBe(2);
  });

  it('reads a ref that looks like a git option as a ref, never as an option (exit 2, nothing written)', async () => {
    const output = join(pipeline.repo.dir, 'written-by-git');
    const hostile = await preview(`--base=--output=${output}`, '--head', 'main');
    expect(hostile.code).toBe(2);
    expect(hostile.stderr).toContain('--output=');
    expect(existsSync(output)).toBe(false);
  });

  it('exits 2 for a ref the checkout does not know, and for a missing --base', async () => {
    const unknown = await preview('--base', 'main', '--head', 'no-such-branch');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no-such-branch');
    const missing = await preview('--head', 'main');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--base');
  });
});
