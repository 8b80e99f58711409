// Which apps a preview covers: those whose watched paths in the changed repository the change
// touches. With the pull request's base branch, only apps that follow it, as a push to that
// branch would sync them (an app on HEAD follows the repository's default branch, as in Argo
// CD); without one, every app of the repository, whatever it tracks.
import { describe, expect, it } from 'vitest';
import { touchedTargets } from '../../shared/preview/select-targets.ts';
import { registryOf } from '../config/registry-files.ts';

const REPO = 'https://github.com/acme/gitops.git';

function app(name: string, targetRevision: string, path = `apps/${name}`): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${name} }
spec:
  source: { repoURL: ${REPO}, targetRevision: ${targetRevision}, path: ${path} }
  destination: { name: prod-eu, namespace: ${name} }
`;
}

// The clusters of registry-files.ts (prod-eu among them).
const registry = registryOf({
  'driftless/apps.yaml': [app('on-main', 'main'), app('on-release', 'refs/heads/release'), app('on-head', 'HEAD'), app('on-tag', 'v1.2.0')].join('---\n'),
});
const everything = ['apps/on-main/a.yaml', 'apps/on-release/a.yaml', 'apps/on-head/a.yaml', 'apps/on-tag/a.yaml'];
const apps = (files: string[], base?: string, defaultBranch?: string) => touchedTargets(registry, REPO, files, base, defaultBranch).map((t) => t.app);

describe('touchedTargets', () => {
  it('without a base branch: every app of the repository the change touches, in registry order', () => {
    expect(apps(everything)).toEqual(['on-main', 'on-release', 'on-head', 'on-tag']);
    expect(apps(['apps/on-release/deploy.yaml', 'README.md'])).toEqual(['on-release']);
  });

  it('with a base branch: only the apps a push to it would sync', () => {
    expect(apps(everything, 'release')).toEqual(['on-release']);
    expect(apps(everything, 'main')).toEqual(['on-main', 'on-head']);
    expect(apps(everything, 'trunk', 'trunk')).toEqual(['on-head']);
    expect(apps(everything, 'main', 'trunk')).toEqual(['on-main']);
  });

  it('touches nothing for another repository or paths no app watches', () => {
    expect(touchedTargets(registry, 'https://github.com/acme/other.git', everything)).toEqual([]);
    expect(apps(['docs/index.md'])).toEqual([]);
  });
});
