// Which form of `driftless sync` a command line is: a registered app through the queue, or a
// folder straight to a cluster (-f PATH, or the older PATH --name spelling).
import { describe, expect, it } from 'vitest';
import { syncForm } from '../../cli/commands/sync-form.ts';
import { UsageError } from '../../cli/errors.ts';

describe('driftless sync: app or folder', () => {
  it.each([
    [['web']],
    [['web', '--wait']],
    [['web', '--cluster', 'prod', '--revision', 'main']],
    // A revision or a timeout with a slash or a dot is a value, not a folder.
    [['web', '-r', 'feature/login']],
    [['web', '--revision', 'release/1.2', '--timeout', '90', '-o', 'json']],
    [['-c', 'prod', 'web']],
    [['web', '--local']],
    [['web', '--stack', 'Driftless', '--region', 'eu-west-1']],
  ])('%j is a registered app', (args) => {
    expect(syncForm(args)).toBe('app');
  });

  it.each([
    [['-f', 'apps/web', '--name', 'web', '--namespace', 'shop']],
    [['--filename', '.', '--name', 'web', '-n', 'shop']],
    [['--filename=apps/web', '--name=web', '--namespace=shop', '--prune']],
    [['-fapps/web', '--name', 'web', '--namespace', 'shop']],
    // An app name after -f is for the folder command to refuse, not a reason to go to the queue.
    [['-f', 'apps/web', 'web']],
  ])('%j is a folder', (args) => {
    expect(syncForm(args)).toBe('folder');
  });

  it.each([
    [['./apps/web', '--name', 'web', '--namespace', 'shop']],
    [['/tmp/app', '--name', 'web', '--namespace', 'shop', '--kubeconfig', 'k']],
    [['.', '--name', 'web', '--namespace', 'shop']],
    // Folder-only flags mean the folder form, whatever the positional looks like.
    [['web', '--name', 'web', '--namespace', 'shop']],
    [['web', '--prune']],
    [['web', '--dry-run']],
    [['apps', '--kubeconfig', 'cfg', '--context', 'kind']],
    // A path without folder flags is still a folder: no app name has a slash.
    [['apps/web']],
  ])('%j is the old folder spelling', (args) => {
    expect(syncForm(args)).toBe('folder-without-f');
  });

  it('nothing to sync is a usage error that names both forms', () => {
    expect(() => syncForm([])).toThrow(UsageError);
    expect(() => syncForm(['--wait'])).toThrow(/APP .* or -f PATH/);
  });

  it('app-sync flags beside -f are a usage error that names them', () => {
    expect(() => syncForm(['-f', 'apps/web', '--cluster', 'prod', '--wait'])).toThrow(/--cluster, --wait belong to sync APP/);
    expect(() => syncForm(['-f', 'apps/web', '--local'])).toThrow(/--local belongs to sync APP/);
  });

  it('an unknown flag is a usage error', () => {
    expect(() => syncForm(['web', '--frobnicate'])).toThrow(/--frobnicate/);
  });
});
