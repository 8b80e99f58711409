// Which errors are the user's to fix (the worker records "cannot sync", the CLI exits 2) and
// which are ours or transient (retried, alarmed). The split is the issue's: a missing helm or
// kubectl binary and an EKS cluster that is not ready are never the user's manifests.
import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidDurationError, RegistryError, RegistryReadError } from '../../shared/config/errors.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { InvalidRepoURLError, GitHubApiError } from '../../shared/github/errors.ts';
import { EksAuthError, EksClusterError, KubeConfigError, KubeConnectionError } from '../../shared/kube/errors.ts';
import { HelmTemplateError, ManifestSyntaxError, RenderError, SourcePathError, ToolUnavailableError } from '../../shared/render/errors.ts';
import { RevisionNotFoundError, SourceFetchError } from '../../shared/source/errors.ts';
import { InvalidAnnotationError, SyncInputError } from '../../shared/sync/errors.ts';

describe('isBadInput', () => {
  it('marks what the user wrote: manifests, options, annotations, registry, kubeconfig, revision, repo URL', () => {
    const userFaults = [
      new RenderError('render'),
      new SourcePathError('apps/web escapes the repository'),
      new ManifestSyntaxError('apps/web/a.yaml', 3, 'bad indentation'),
      new HelmTemplateError('apps/web/Chart.yaml', 'nil pointer'),
      new SyncInputError('input'),
      new InvalidAnnotationError('Deployment/shop/web', 'argocd.argoproj.io/sync-wave', 'x', 'is not a number'),
      new ConfigError('config'),
      new RegistryError([{ file: 'driftless/web.yaml', message: 'no source' }]),
      new RegistryReadError('driftless', 'ENOENT'),
      new InvalidDurationError('5x', 'unknown unit'),
      new KubeConfigError('context "x" names no cluster'),
      new RevisionNotFoundError('https://github.com/acme/gitops.git', 'no-such-branch'),
      new InvalidRepoURLError('ftp://x', 'unsupported scheme'),
    ];
    expect(userFaults.map((error) => [error.name, isBadInput(error)]).filter(([, bad]) => !bad)).toEqual([]);
  });

  it('does not mark our faults or transient trouble: a missing tool, EKS not ready, STS, the network, GitHub', () => {
    const ours = [
      new ToolUnavailableError('cannot start helm at /opt/helm/helm'),
      new EksClusterError('prod', 'eu-west-1', 'has no API endpoint yet (status CREATING)'),
      new EksAuthError('cannot assume role arn:aws:iam::1:role/x'),
      new KubeConnectionError('connect ECONNREFUSED'),
      new SourceFetchError('socket hang up'),
      new GitHubApiError('GitHub answered 502', 502),
      new Error('anything else'),
    ];
    expect(ours.map((error) => [error.name, isBadInput(error)]).filter(([, bad]) => bad)).toEqual([]);
  });

  it('judges an unmarked wrapper by its cause, and a marked one by its own mark', () => {
    expect(isBadInput(new Error('sync failed', { cause: new ManifestSyntaxError('a.yaml', 1, 'x') }))).toBe(true);
    expect(isBadInput(new Error('sync failed', { cause: new Error('deeper', { cause: new KubeConfigError('x') }) }))).toBe(true);
    expect(isBadInput(new ToolUnavailableError('cannot start helm', { cause: new RenderError('never mind') }))).toBe(false);
  });

  it('is false for things that are not errors', () => {
    expect([undefined, null, 'RenderError', { badInput: true }].map(isBadInput)).toEqual([false, false, false, false]);
  });
});
