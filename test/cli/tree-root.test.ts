// `driftless render` (and sync and diff, which build the same request) renders a folder as part
// of its git work tree, or on its own outside git, wherever it is run from: the current
// directory is never the tree, so a symlink beside it is never walked.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runBin } from './run-bin.ts';

const git = promisify(execFile);

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), content);
  }
}

/** A folder to run from, holding a symlink out of it that a walk of the folder would trip on. */
async function homeWithEscapingLink(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'driftless-home-'));
  await symlink('/etc', join(home, 'etc-link'));
  return home;
}

const chart = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'values.yaml': 'color: blue\n',
  'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web }\ndata: { color: {{ .Values.color }} }\n',
};

describe('the tree a folder is rendered in', () => {
  it('is the git work tree the folder is in, not the current directory', async () => {
    const home = await homeWithEscapingLink();
    const repo = join(home, 'repo');
    await git('git', ['init', '--quiet', repo]);
    await writeFiles(repo, { ...Object.fromEntries(Object.entries(chart).map(([file, text]) => [`apps/web/${file}`, text])), 'env/prod.yaml': 'color: red\n' });
    // Run from the home folder, as `cd ~ && driftless render repo/apps/web` does.
    const result = await runBin(['render', 'repo/apps/web', '--name', 'web', '--helm-values', 'repo/env/prod.yaml'], { cwd: home });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Sources are named within the repository, and a value file elsewhere in it is in reach.
    expect(result.stdout).toMatch(/^# Source: apps\/web\/templates\/cm\.yaml$/m);
    expect(parseAllDocuments(result.stdout).map((document) => document.toJS())).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'default' }, data: { color: 'red' } },
    ]);
  });

  it('includes the whole work tree in the symlink check, not only the folder', async () => {
    const home = await homeWithEscapingLink();
    const repo = join(home, 'repo');
    await git('git', ['init', '--quiet', repo]);
    await writeFiles(repo, { 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web }\n' });
    await symlink('/etc/passwd', join(repo, 'passwd'));
    const result = await runBin(['render', '-f', join(repo, 'apps/web')], { cwd: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/symlink pointing outside it: passwd → \/etc\/passwd/);
    expect(result.stderr).not.toMatch(/etc-link/);
  });

  it('is the folder itself outside git', async () => {
    const home = await homeWithEscapingLink();
    await writeFiles(home, { 'plain/app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: plain }\n', 'plain/shared/prod.yaml': 'color: red\n' });
    const result = await runBin(['render', 'plain/app'], { cwd: home });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# Source: cm\.yaml:1$/m);
    // Nothing beside the folder is in the tree: a value file next to it is outside.
    await writeFiles(home, Object.fromEntries(Object.entries(chart).map(([file, text]) => [`plain/chart/${file}`, text])));
    const outside = await runBin(['render', 'plain/chart', '--helm-values', 'plain/shared/prod.yaml'], { cwd: home });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/value file "..\/shared\/prod.yaml" resolves to outside the repository root/);
  });
});
