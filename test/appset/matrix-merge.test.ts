// The matrix and merge generators against Argo CD's documentation (Generators-Matrix.md,
// Generators-Merge.md), in fasttemplate form, on a real repository read through the real
// fetcher: git directories × clusters, a git files generator feeding the clusters selector, a
// list element feeding a git path, and the merge by `server` of two clusters generators and
// a list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApplications } from '../../shared/appset/generate.ts';
import { gitFilesFromFetcher, type DisposableGitFiles } from '../../shared/appset/git-files.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import { TreeCache } from '../../shared/source/tree-cache.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { byName, cluster, noGit, setFrom } from './helpers.ts';

let repo: TestRepo;
const cache = new TreeCache();
let files: DisposableGitFiles;

beforeAll(async () => {
  repo = await createRepo();
  await repo.commit({
    'applicationset/examples/matrix/cluster-addons/argo-workflows/kustomization.yaml': 'resources: []\n',
    'applicationset/examples/matrix/cluster-addons/prometheus-operator/Chart.yaml': 'name: prometheus-operator\n',
    'examples/git-generator-files-discovery/cluster-config/engineering/dev/config.json': '{"cluster": {"address": "https://1.2.3.4"}}',
    'examples/git-generator-files-discovery/cluster-config/engineering/prod/config.json': '{"cluster": {"address": "https://2.4.6.8"}}',
    'services/web/frontend/kustomization.yaml': 'resources: []\n',
    'services/web/backend/kustomization.yaml': 'resources: []\n',
    'services/api/v1/kustomization.yaml': 'resources: []\n',
  });
  files = gitFilesFromFetcher(new LocalGitFetcher({ cache }));
});

afterAll(async () => {
  await files.dispose();
  await cache.clear();
  await repo.remove();
});

const staging = cluster('staging', { 'argocd.argoproj.io/secret-type': 'cluster', environment: 'staging' }, { server: 'https://1.2.3.4' });
const production = cluster('production', { 'argocd.argoproj.io/secret-type': 'cluster', environment: 'production' }, { server: 'https://2.4.6.8' });

describe('matrix generator', () => {
  it("combines every git folder with every cluster (the docs' cluster-git example)", async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: cluster-git
spec:
  generators:
    - matrix:
        generators:
          - git:
              repoURL: ${repo.dir}
              revision: HEAD
              directories:
                - path: applicationset/examples/matrix/cluster-addons/*
          - clusters:
              selector:
                matchLabels:
                  argocd.argoproj.io/secret-type: cluster
  template:
    metadata:
      name: '{{path.basename}}-{{name}}'
    spec:
      project: '{{metadata.labels.environment}}'
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: '{{path}}'
      destination:
        server: '{{server}}'
        namespace: '{{path.basename}}'
`);
    const apps = byName(await generateApplications(set, { clusters: [staging, production], git: files }));
    expect(Object.keys(apps).sort()).toEqual([
      'argo-workflows-production',
      'argo-workflows-staging',
      'prometheus-operator-production',
      'prometheus-operator-staging',
    ]);
    expect(apps['prometheus-operator-staging'].spec).toEqual({
      project: 'staging',
      source: {
        repoURL: 'https://github.com/argoproj/argo-cd.git',
        targetRevision: 'HEAD',
        path: 'applicationset/examples/matrix/cluster-addons/prometheus-operator',
      },
      destination: { server: 'https://1.2.3.4', namespace: 'prometheus-operator' },
    });
  });

  it("renders the second generator with the first one's parameters: a cluster selector from a git file's path", async () => {
    const dev = cluster('dev-cluster', { 'argocd.argoproj.io/secret-type': 'cluster', 'kubernetes.io/environment': 'dev' }, { server: 'https://1.2.3.4' });
    const prod = cluster('prod-cluster', { 'argocd.argoproj.io/secret-type': 'cluster', 'kubernetes.io/environment': 'prod' }, { server: 'https://2.4.6.8' });
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: cluster-git
spec:
  generators:
    - matrix:
        generators:
          - git:
              repoURL: ${repo.dir}
              revision: HEAD
              files:
                - path: "examples/git-generator-files-discovery/cluster-config/**/config.json"
          - clusters:
              selector:
                matchLabels:
                  argocd.argoproj.io/secret-type: cluster
                  kubernetes.io/environment: '{{path.basename}}'
  template:
    metadata:
      name: '{{name}}-guestbook'
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/applicationset.git
        targetRevision: HEAD
        path: "examples/git-generator-files-discovery/apps/guestbook"
      destination:
        server: '{{server}}'
        namespace: guestbook
      info:
        - name: address
          value: '{{cluster.address}}'
`);
    const apps = byName(await generateApplications(set, { clusters: [dev, prod], git: files }));
    expect(Object.keys(apps).sort()).toEqual(['dev-cluster-guestbook', 'prod-cluster-guestbook']);
    // Each cluster got only its own environment's config.
    expect(apps['prod-cluster-guestbook'].spec).toMatchObject({
      destination: { server: 'https://2.4.6.8' },
      info: [{ name: 'address', value: 'https://2.4.6.8' }],
    });
    expect(apps['dev-cluster-guestbook'].spec).toMatchObject({ info: [{ name: 'address', value: 'https://1.2.3.4' }] });
  });

  it('reads a git path from a list element', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: services
spec:
  generators:
    - matrix:
        generators:
          - list:
              elements:
                - service: web
                  team: shop
                - service: api
                  team: platform
          - git:
              repoURL: ${repo.dir}
              revision: HEAD
              directories:
                - path: 'services/{{service}}/*'
  template:
    metadata:
      name: '{{service}}-{{path.basename}}'
      labels:
        team: '{{team}}'
    spec:
      project: default
      source: {repoURL: '${repo.dir}', targetRevision: HEAD, path: '{{path}}'}
      destination: {name: in-cluster, namespace: '{{service}}'}
`);
    const apps = byName(await generateApplications(set, { clusters: [], git: files }));
    expect(Object.keys(apps)).toEqual(['web-backend', 'web-frontend', 'api-v1']);
    expect(apps['api-v1']).toMatchObject({
      metadata: { labels: { team: 'platform' } },
      spec: { source: { path: 'services/api/v1' }, destination: { namespace: 'api' } },
    });
  });

  it("ignores the children's own templates but applies the matrix's", async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: overrides}
spec:
  generators:
    - matrix:
        template:
          metadata: {}
          spec:
            project: from-matrix
        generators:
          - list:
              elements: [{app: web}]
              template:
                metadata: {}
                spec: {project: from-child}
          - clusters: {}
  template:
    metadata: {name: '{{app}}-{{name}}'}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: '{{app}}'}
      destination: {server: '{{server}}', namespace: default}
`);
    const [app] = await generateApplications(set, { clusters: [staging], git: noGit });
    expect(app.name).toBe('web-staging');
    expect(app.object.spec).toMatchObject({ project: 'from-matrix', destination: { server: 'https://1.2.3.4' } });
  });
  it('nests a merge inside a matrix', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: nested}
spec:
  generators:
    - matrix:
        generators:
          - merge:
              mergeKeys: [app]
              generators:
                - list:
                    elements: [{app: web, tier: front}, {app: api, tier: back}]
                - list:
                    elements: [{app: api, tier: core}]
          - clusters:
              selector:
                matchLabels: {environment: production}
  template:
    metadata: {name: '{{app}}-{{name}}', labels: {tier: '{{tier}}'}}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: '{{app}}'}
      destination: {server: '{{server}}', namespace: default}
`);
    const apps = byName(await generateApplications(set, { clusters: [staging, production], git: noGit }));
    expect(Object.keys(apps)).toEqual(['web-production', 'api-production']);
    expect(apps['api-production'].metadata).toMatchObject({ labels: { tier: 'core' } });
    expect(apps['web-production'].metadata).toMatchObject({ labels: { tier: 'front' } });
  });
});

describe('merge generator', () => {
  it("overrides the base generator's parameters by mergeKeys (the docs' Kafka and Redis example)", async () => {
    const kafkaOff = cluster('staging', { environment: 'staging', 'use-kafka': 'false' }, { server: 'https://1.2.3.4' });
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: cluster-git
spec:
  generators:
    - merge:
        mergeKeys:
          - server
        generators:
          - clusters:
              values:
                kafka: 'true'
                redis: 'false'
          - clusters:
              selector:
                matchLabels:
                  use-kafka: 'false'
              values:
                kafka: 'false'
          - list:
              elements:
                - server: https://2.4.6.8
                  values.redis: 'true'
  template:
    metadata:
      name: '{{name}}'
    spec:
      project: '{{metadata.labels.environment}}'
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: app
        helm:
          parameters:
            - name: kafka
              value: '{{values.kafka}}'
            - name: redis
              value: '{{values.redis}}'
      destination:
        server: '{{server}}'
        namespace: default
`);
    const apps = byName(await generateApplications(set, { clusters: [kafkaOff, production], git: noGit }));
    const parameters = (name: string) => (apps[name].spec as { source: { helm: { parameters: unknown } } }).source.helm.parameters;
    expect(Object.keys(apps).sort()).toEqual(['production', 'staging']);
    expect(parameters('staging')).toEqual([
      { name: 'kafka', value: 'false' },
      { name: 'redis', value: 'false' },
    ]);
    expect(parameters('production')).toEqual([
      { name: 'kafka', value: 'true' },
      { name: 'redis', value: 'true' },
    ]);
    expect(apps.production.spec).toMatchObject({ project: 'production', destination: { server: 'https://2.4.6.8' } });
  });

  it('refuses a generator whose parameter sets are not unique by mergeKeys', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: dup}
spec:
  generators:
    - merge:
        mergeKeys: [server]
        generators:
          - list:
              elements:
                - {server: 'https://1.2.3.4', name: a}
                - {server: 'https://1.2.3.4', name: b}
          - list:
              elements: [{server: 'https://1.2.3.4', name: c}]
  template:
    metadata: {name: '{{name}}'}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: app}
      destination: {server: '{{server}}', namespace: default}
`);
    const error = await generateApplications(set, { clusters: [], git: noGit }).catch((caught: unknown) => caught);
    expect(isBadInput(error)).toBe(true);
    expect((error as Error).message).toContain(
      'generators[0] (merge): generators[0] of the merge produced two parameter sets with the same merge key values {"server":"https://1.2.3.4"}',
    );
  });
});
