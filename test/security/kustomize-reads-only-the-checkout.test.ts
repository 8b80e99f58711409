// Issue 12, items 5, 6 and 7: a kustomization that fetches (loopback bypasses the closed
// proxy, so `http://127.0.0.1:…` reached services on the worker), clones a local repository
// over file://, or loads `../../..` bases from anywhere on the disk. Each reference is refused
// before kustomize runs, naming the kustomization, the field and the value, and the loopback
// server that would have answered sees no request at all.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { KustomizeReferenceError, SourcePathError } from '../../shared/render/errors.ts';
import { runTool, withScratch } from '../../shared/render/exec.ts';
import { render } from '../../shared/render/render.ts';
import { gitEnv } from '../../shared/tools/child-env.ts';
import { runCli } from '../support/cli.ts';
import { startCluster, writesIn, type TestCluster } from '../support/cluster.ts';
import { createRepo, type TestRepo } from '../support/git.ts';

const run = promisify(execFile);
const MARKER = 'other-tenant-data-51d2';
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { k: ${MARKER} }\n`;

let server: Server;
let requests: string[];
let url: string;
let work: string;
let otherRepo: TestRepo;
beforeAll(async () => {
  requests = [];
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.end(cm('fetched'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  work = await mkdtemp(join(tmpdir(), 'kustomize-attack-'));
  // What another tenant keeps on the worker's disk: a folder with a kustomization, and a repository.
  await mkdir(join(work, 'outside'), { recursive: true });
  await writeFile(join(work, 'outside/kustomization.yaml'), 'resources: [cm.yaml]\n');
  await writeFile(join(work, 'outside/cm.yaml'), cm('stolen'));
  otherRepo = await createRepo();
  await otherRepo.commit({ 'base/kustomization.yaml': 'resources: [cm.yaml]\n', 'base/cm.yaml': cm('cloned') });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(work, { recursive: true, force: true });
  await otherRepo?.remove();
});

/** A checkout inside `work`, so `../outside` is a real folder next to it. */
async function checkout(files: Record<string, string>, links: Record<string, string> = {}): Promise<string> {
  const root = await mkdtemp(join(work, 'repo-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  for (const [path, target] of Object.entries(links)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await symlink(target, join(root, path));
  }
  return root;
}

async function refusal(root: string, path = 'app'): Promise<Error> {
  return render({ root, path, destinationNamespace: 'shop', appName: 'web' }).then(
    (result) => {
      throw new Error(`rendered instead of refusing: ${JSON.stringify(result.objects)}`);
    },
    (error: unknown) => error as Error,
  );
}

const local = 'resources: [cm.yaml]\n';
// Every field kustomize loads something from, each with a remote reference in it.
const fields: Array<{ field: string; kustomization: (remote: string) => string }> = [
  { field: 'resources[1]', kustomization: (remote) => `resources:\n  - cm.yaml\n  - ${remote}\n` },
  { field: 'bases[0]', kustomization: (remote) => `bases: [${remote}]\n` },
  { field: 'components[0]', kustomization: (remote) => `${local}components: [${remote}]\n` },
  { field: 'crds[0]', kustomization: (remote) => `${local}crds: [${remote}]\n` },
  { field: 'configurations[0]', kustomization: (remote) => `${local}configurations: [${remote}]\n` },
  { field: 'openapi.path', kustomization: (remote) => `${local}openapi: { path: ${remote} }\n` },
  { field: 'configMapGenerator[0].files[0]', kustomization: (remote) => `configMapGenerator:\n  - name: loot\n    files: [k=${remote}]\n` },
  { field: 'configMapGenerator[0].envs[0]', kustomization: (remote) => `configMapGenerator:\n  - name: loot\n    envs: [${remote}]\n` },
  { field: 'secretGenerator[0].files[0]', kustomization: (remote) => `secretGenerator:\n  - name: loot\n    files: [${remote}]\n` },
  { field: 'secretGenerator[0].env', kustomization: (remote) => `secretGenerator:\n  - name: loot\n    env: ${remote}\n` },
  { field: 'helmCharts[0].repo', kustomization: (remote) => `helmCharts:\n  - name: chart\n    repo: ${remote}\n` },
  { field: 'helmCharts[0].valuesFile', kustomization: (remote) => `helmCharts:\n  - name: chart\n    valuesFile: ${remote}\n` },
  { field: 'generators[0]', kustomization: (remote) => `generators: [${remote}]\n` },
  { field: 'transformers[0]', kustomization: (remote) => `${local}transformers: [${remote}]\n` },
  { field: 'validators[0]', kustomization: (remote) => `${local}validators: [${remote}]\n` },
  { field: 'patches[0].path', kustomization: (remote) => `${local}patches:\n  - path: ${remote}\n` },
  { field: 'patchesStrategicMerge[0]', kustomization: (remote) => `${local}patchesStrategicMerge: [${remote}]\n` },
  { field: 'patchesJson6902[0].path', kustomization: (remote) => `${local}patchesJson6902:\n  - target: { kind: ConfigMap, name: x }\n    path: ${remote}\n` },
  { field: 'replacements[0].path', kustomization: (remote) => `${local}replacements:\n  - path: ${remote}\n` },
];

describe('a kustomization naming a URL', () => {
  it.each(fields)('in $field is refused before kustomize runs, and nothing is fetched', async ({ field, kustomization }) => {
    const remote = `${url}/loot.yaml`;
    const root = await checkout({ 'app/kustomization.yaml': kustomization(remote), 'app/cm.yaml': cm('own') });
    const error = await refusal(root);
    expect(error).toBeInstanceOf(KustomizeReferenceError);
    expect(error).toMatchObject({ file: 'app/kustomization.yaml', field, value: remote });
    expect(error.message).toBe(
      `app/kustomization.yaml: ${field} "${remote}" is a remote reference; rendering reads only the checked-out repository, so vendor it into the repository and name its path`,
    );
    expect(isBadInput(error)).toBe(true);
    expect(requests).toEqual([]);
  });

  it.each([
    `${'http'}://localhost:1/x.yaml`,
    'https://github.com/acme/loot//base?ref=main',
    'github.com/acme/loot/base?ref=main',
    'git@github.com:acme/loot.git//base',
    'ssh://git@github.com/acme/loot.git',
    'git::https://example.com/loot.git',
    'file:///var/task/other-repo//base',
    'gh:acme/loot',
  ])('refuses %s in any form kustomize would fetch', async (remote) => {
    const root = await checkout({ 'app/kustomization.yaml': `resources: ["${remote}"]\n` });
    const error = await refusal(root);
    expect(error).toBeInstanceOf(KustomizeReferenceError);
    expect(error.message).toMatch(/^app\/kustomization\.yaml: resources\[0\] ".*" (is a remote reference|reads as a remote repository)/);
  });

  it('in a local base, found by following the overlay, naming the base kustomization', async () => {
    const root = await checkout({
      'app/kustomization.yaml': 'resources: [../base]\n',
      'base/kustomization.yaml': 'resources: [../components/more]\n',
      'components/more/kustomization.yaml': `configMapGenerator:\n  - name: loot\n    files: [${url}/loot]\n`,
    });
    const error = await refusal(root);
    expect(error).toMatchObject({ file: 'components/more/kustomization.yaml', field: 'configMapGenerator[0].files[0]' });
    expect(requests).toEqual([]);
  });

  it('in a transformer configuration file or inline, builtin plugins included', async () => {
    const inFile = await checkout({
      'app/kustomization.yaml': `${local}transformers: [patcher.yaml]\n`,
      'app/cm.yaml': cm('own'),
      'app/patcher.yaml': `apiVersion: builtin\nkind: PatchTransformer\nmetadata: { name: p }\npath: ${url}/patch.yaml\n`,
    });
    expect(await refusal(inFile)).toMatchObject({ file: 'app/kustomization.yaml', field: 'transformers[0].path' });
    const inline = await checkout({
      'app/kustomization.yaml': `generators:\n  - |\n    apiVersion: builtin\n    kind: ConfigMapGenerator\n    metadata: { name: g }\n    files: [${url}/loot]\n`,
    });
    expect(await refusal(inline)).toMatchObject({ field: 'generators[0].files[0]' });
    expect(requests).toEqual([]);
  });

  it('still renders local references that merely look odd', async () => {
    const root = await checkout({
      'app/kustomization.yaml': 'resources: [./github.com/vendored, ../base]\nconfigMapGenerator:\n  - name: conf\n    files: [settings=conf.d/app.ini]\n',
      'app/github.com/vendored/kustomization.yaml': 'resources: [cm.yaml]\n',
      'app/github.com/vendored/cm.yaml': cm('vendored'),
      'app/conf.d/app.ini': 'a=1\n',
      'base/kustomization.yaml': local,
      'base/cm.yaml': cm('base'),
    });
    const result = await render({ root, path: 'app', destinationNamespace: 'shop', appName: 'web' });
    expect(result.objects.map(({ object }) => object.metadata.name).sort()).toEqual(['base', expect.stringMatching(/^conf-/), 'vendored']);
  });
});

describe('a kustomization reading outside the checkout', () => {
  it('refuses a ../../.. base that leaves the tree, though the folder exists and has a kustomization', async () => {
    const root = await checkout({ 'app/kustomization.yaml': 'resources: [../../outside]\n' });
    const error = await refusal(root);
    expect(error).toBeInstanceOf(KustomizeReferenceError);
    expect(error.message).toBe('app/kustomization.yaml: resources[0] "../../outside" leaves the repository; name a path inside the repository');
    expect(error.message).not.toContain(MARKER);
  });

  it('refuses an absolute path, in resources and in generator files', async () => {
    const folder = await checkout({ 'app/kustomization.yaml': `resources: [${join(work, 'outside')}]\n` });
    expect((await refusal(folder)).message).toMatch(/resources\[0\] ".*outside" is an absolute path/);
    const file = await checkout({ 'app/kustomization.yaml': `secretGenerator:\n  - name: s\n    files: [key=/etc/hostname]\n` });
    expect(await refusal(file)).toMatchObject({ field: 'secretGenerator[0].files[0]', value: '/etc/hostname' });
  });

  it('refuses a base reached through a symlink that leaves the tree', async () => {
    const root = await checkout({ 'app/kustomization.yaml': 'resources: [../linked]\n' }, { linked: join(work, 'outside') });
    const error = await refusal(root);
    expect(error).toBeInstanceOf(SourcePathError);
    expect(error.message).toMatch(/symlink pointing outside it: linked/);
  });

  it('refuses a file:// git base, and the git kustomize would run may not use file:// anyway', async () => {
    const base = `file://${otherRepo.dir}//base`;
    const root = await checkout({ 'app/kustomization.yaml': `resources: ["${base}"]\n` });
    expect(await refusal(root)).toMatchObject({ field: 'resources[0]', value: base });
    // The second wall, without the first: kustomize itself, in the tools' environment.
    const outcome = await withScratch((scratch) => runTool('kubectl', ['kustomize', '--', join(root, 'app')], { cwd: join(root, 'app'), scratch }));
    expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/transport 'file' not allowed/) });
    expect(JSON.stringify(outcome)).not.toContain(MARKER);
  });

  it("gives tools a git that may use no transport and inherits none of the worker's credentials", async () => {
    const home = await mkdtemp(join(work, 'home-'));
    process.env.AWS_SECRET_ACCESS_KEY = MARKER;
    try {
      const env = gitEnv(home);
      expect(Object.values(env).join('\n')).not.toContain(MARKER);
      const clone = run('git', ['clone', '--quiet', otherRepo.dir, join(home, 'copy')], { env });
      await expect(clone).rejects.toMatchObject({ stderr: expect.stringMatching(/transport 'file' not allowed/) });
      const { stdout } = await run('env', [], { env });
      expect(stdout).not.toContain(MARKER);
    } finally {
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });
});

describe('the symlink check (item 7)', () => {
  it('checks a .git folder below the root: a link hidden there is refused', async () => {
    const root = await checkout({ 'app/kustomization.yaml': 'resources: [vendor/.git/loot/cm.yaml]\n' }, { 'app/vendor/.git/loot': join(work, 'outside') });
    const error = await refusal(root);
    expect(error).toBeInstanceOf(SourcePathError);
    expect(error.message).toMatch(/symlink pointing outside it: app\/vendor\/\.git\/loot/);
  });

  it('checks a .git symlink below the root', async () => {
    const root = await checkout({ 'app/kustomization.yaml': local, 'app/cm.yaml': cm('own') }, { 'app/.git': join(work, 'outside') });
    expect((await refusal(root)).message).toMatch(/symlink pointing outside it: app\/\.git/);
  });

  it("still skips the tree's own .git folder (git's internals, never rendered)", async () => {
    const root = await checkout(
      { 'app/kustomization.yaml': local, 'app/cm.yaml': cm('own'), '.git/HEAD': 'ref: refs/heads/main\n' },
      { '.git/alternate': '/usr' },
    );
    const result = await render({ root, path: 'app', destinationNamespace: 'shop', appName: 'web' });
    expect(result.objects.map(({ object }) => object.metadata.name)).toEqual(['own']);
  });
});

describe('through `driftless sync`', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(() => cluster?.stop());

  it('a loopback generator source: exit 2, nothing fetched, nothing applied', async () => {
    const kubeconfig = join(work, 'kubeconfig');
    await writeFile(kubeconfig, cluster.sandbox.kubeconfig());
    const root = await checkout({ 'kustomization.yaml': `${local}configMapGenerator:\n  - name: loot\n    files: [k=${url}/loot]\n`, 'cm.yaml': cm('own') });
    cluster.sandbox.requests.clear();
    const result = await runCli(['sync', root, '--name', 'web', '--namespace', 'default', '--kubeconfig', kubeconfig]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`kustomization.yaml: configMapGenerator[0].files[0] "${url}/loot" is a remote reference`);
    expect(result.stdout + result.stderr).not.toContain(MARKER);
    expect(requests).toEqual([]);
    expect(writesIn(cluster)).toEqual([]);
  });
});
