import { describe, expect, it } from 'vitest';
import { matchPush } from '../../shared/config/match.ts';
import type { PushChange } from '../../shared/config/match.ts';
import type { AppSpec, Registry } from '../../shared/config/types.ts';
import { registryOf } from './registry-files.ts';

function app(name: string, source: Partial<AppSpec['source']>, clusters = ['dev']): AppSpec {
  return {
    name,
    project: 'default',
    source: { repoURL: 'https://github.com/acme/deploy.git', targetRevision: 'HEAD', path: '.', ...source },
    destinations: clusters.map((cluster) => ({ cluster, namespace: name })),
    syncPolicy: { syncOptions: [], createNamespace: false },
    ignoreDifferences: [],
    definedIn: { file: `driftless/${name}.yaml`, line: 1 },
  };
}

function registry(...apps: AppSpec[]): Registry {
  return { apps, clusters: [], projects: [] };
}

function push(changedFiles: string[] | 'all', overrides: Partial<PushChange> = {}): PushChange {
  return { repoURL: 'https://github.com/acme/deploy.git', branch: 'main', headSha: 'a'.repeat(40), changedFiles, defaultBranch: 'main', ...overrides };
}

const names = (targets: Array<{ app: string; cluster: string }>) => targets.map((target) => `${target.app}@${target.cluster}`);

describe('matchPush', () => {
  it('targets every destination cluster of an app whose path holds a changed file', () => {
    const apps = registry(app('web', { path: 'apps/web' }, ['eu', 'us']), app('api', { path: 'apps/api' }));
    expect(matchPush(apps, push(['apps/web/deployment.yaml', 'README.md']))).toEqual([
      { app: 'web', cluster: 'eu', namespace: 'web' },
      { app: 'web', cluster: 'us', namespace: 'web' },
    ]);
  });

  it('does not take a folder for a prefix of another (apps/web is not apps/web2)', () => {
    const apps = registry(app('web', { path: 'apps/web' }), app('web2', { path: 'apps/web2' }));
    expect(names(matchPush(apps, push(['apps/web2/x.yaml'])))).toEqual(['web2@dev']);
    expect(names(matchPush(apps, push(['apps/web.yaml'])))).toEqual([]);
  });

  it('treats path "." as the whole repository and compares normalised paths', () => {
    const apps = registry(app('all', { path: '.' }), app('web', { path: 'apps/web' }));
    expect(names(matchPush(apps, push(['./apps//web/x.yaml'])))).toEqual(['all@dev', 'web@dev']);
  });

  it('syncs an app when one of its extra paths, or a Helm value file outside its path, changed', () => {
    const apps = registry(
      app('web', { path: 'apps/web', extraPaths: ['shared/base'] }),
      app('chart', { path: 'charts/app', helm: { valueFiles: ['values.yaml', '../../env/prod.yaml', '/global/values.yaml'] } }),
    );
    expect(names(matchPush(apps, push(['shared/base/kustomization.yaml'])))).toEqual(['web@dev']);
    expect(names(matchPush(apps, push(['env/prod.yaml'])))).toEqual(['chart@dev']);
    expect(names(matchPush(apps, push(['global/values.yaml'])))).toEqual(['chart@dev']);
    expect(names(matchPush(apps, push(['shared/other.yaml'])))).toEqual([]);
  });

  it('matches HEAD only on the default branch, guessing main or master when it is unknown', () => {
    const apps = registry(app('web', { targetRevision: 'HEAD' }));
    expect(names(matchPush(apps, push('all', { branch: 'main' })))).toEqual(['web@dev']);
    expect(names(matchPush(apps, push('all', { branch: 'feature' })))).toEqual([]);
    expect(names(matchPush(apps, push('all', { branch: 'trunk', defaultBranch: 'trunk' })))).toEqual(['web@dev']);
    expect(names(matchPush(apps, push('all', { branch: 'main', defaultBranch: 'trunk' })))).toEqual([]);
    expect(names(matchPush(apps, push('all', { branch: 'master', defaultBranch: undefined })))).toEqual(['web@dev']);
    expect(names(matchPush(apps, push('all', { branch: 'develop', defaultBranch: undefined })))).toEqual([]);
  });

  it('matches a branch by name or by refs/heads/, never a tag or a sha', () => {
    const apps = registry(
      app('by-name', { targetRevision: 'release' }),
      app('by-ref', { targetRevision: 'refs/heads/release' }),
      app('tag', { targetRevision: 'v1.2.0' }),
      app('tag-ref', { targetRevision: 'refs/tags/release' }),
      app('sha', { targetRevision: '0123456789abcdef0123456789abcdef01234567' }),
    );
    expect(names(matchPush(apps, push('all', { branch: 'release' })))).toEqual(['by-name@dev', 'by-ref@dev']);
    expect(names(matchPush(apps, push('all', { branch: 'v1.2.0' })))).toEqual(['tag@dev']);
  });

  it('recognises one repository in all the forms its URL is written', () => {
    const forms = [
      'https://github.com/acme/deploy',
      'https://github.com/acme/deploy.git',
      'https://GitHub.com/ACME/Deploy/',
      'git@github.com:acme/deploy.git',
      'ssh://git@github.com/acme/deploy',
    ];
    const apps = registry(
      ...forms.map((repoURL, index) => app(`form${index}`, { repoURL })),
      app('other', { repoURL: 'https://github.com/acme/deploy-tools' }),
    );
    expect(names(matchPush(apps, push('all', { repoURL: 'https://github.com/Acme/deploy.git' })))).toEqual(forms.map((_, index) => `form${index}@dev`));
  });

  it('compares local repositories by their resolved absolute paths', () => {
    const apps = registry(app('local', { repoURL: 'file:///srv/git/deploy' }), app('other', { repoURL: '/srv/git/other' }));
    expect(names(matchPush(apps, push('all', { repoURL: '/srv/git/../git/deploy' })))).toEqual(['local@dev']);
  });

  it('matches nothing when no changed file concerns an app', () => {
    expect(matchPush(registry(app('web', { path: 'apps/web' })), push([]))).toEqual([]);
  });
});

describe('matchPush with several sources', () => {
  // Built through the loader, so the sources are what an Argo CD document turns into.
  const multi = registryOf({
    'driftless/app.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: shop}
spec:
  sources:
  - {repoURL: 'https://charts.example.com', chart: shop, targetRevision: 2.0.0, helm: {valueFiles: [$values/envs/dev/shop.yaml, defaults.yaml]}}
  - {repoURL: 'https://github.com/acme/values.git', targetRevision: main, ref: values}
  - {repoURL: 'https://github.com/acme/deploy.git', targetRevision: HEAD, path: apps/shop-extras}
  - {repoURL: 'https://github.com/acme/deploy.git', targetRevision: release, path: apps/shop-release}
  destination: {name: dev, namespace: shop}
`,
  });
  const values = (files: string[] | 'all', branch = 'main') => names(matchPush(multi, push(files, { repoURL: 'https://github.com/acme/values.git', branch })));

  it("syncs the app on a push to a ref source's repository that changes a value file read from it", () => {
    expect(values(['envs/dev/shop.yaml'])).toEqual(['shop@dev']);
    expect(values('all')).toEqual(['shop@dev']);
  });

  it("ignores the ref source's other files and other branches: it renders nothing of its own", () => {
    expect(values(['envs/prod/shop.yaml', 'README.md'])).toEqual([]);
    expect(values(['envs/dev/shop.yaml'], 'feature')).toEqual([]);
  });

  it("syncs on a push to any Git source's folder, each on its own branch; a chart's own value files are in no Git repository", () => {
    expect(names(matchPush(multi, push(['apps/shop-extras/cm.yaml'])))).toEqual(['shop@dev']);
    expect(names(matchPush(multi, push(['apps/shop-release/cm.yaml'])))).toEqual([]);
    expect(names(matchPush(multi, push(['apps/shop-release/cm.yaml'], { branch: 'release' })))).toEqual(['shop@dev']);
    expect(names(matchPush(multi, push(['defaults.yaml'])))).toEqual([]);
  });
});
