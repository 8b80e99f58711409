import { describe, expect, it } from 'vitest';
import { registryOf } from './registry-files.ts';

// The shape of Argo CD's documented example (docs/operator-manual/application.yaml), minus
// the parts Driftless refuses (chart, plugin, jsonnet, fileParameters).
const ARGO_GUESTBOOK = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
  namespace: argocd
  finalizers:
    - resources-finalizer.argocd.argoproj.io
spec:
  project: default
  source:
    repoURL: https://github.com/argoproj/argocd-example-apps.git
    targetRevision: HEAD
    path: guestbook
    helm:
      parameters:
      - name: "ingress.annotations.kubernetes\\\\.io/tls-acme"
        value: "true"
        forceString: true
      releaseName: guestbook
      valueFiles:
      - values-prod.yaml
      values: |
        ingress:
          enabled: true
      version: v2
  destination:
    server: https://kubernetes.default.svc
    namespace: guestbook
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
      allowEmpty: false
    syncOptions:
    - Validate=false
    - CreateNamespace=true
    - PrunePropagationPolicy=foreground
    - PruneLast=true
    retry:
      limit: 5
      backoff:
        duration: 5s
        factor: 2
        maxDuration: 3m
  ignoreDifferences:
  - group: apps
    kind: Deployment
    jsonPointers:
    - /spec/replicas
  - group: "*"
    kind: "*"
    managedFieldsManagers:
    - kube-controller-manager
status:
  sync:
    status: Synced
`;

describe('an Argo CD Application', () => {
  it('is read as it is, its in-cluster server mapped to the cluster registered with that server', () => {
    const registry = registryOf({ 'driftless/apps/guestbook.yaml': ARGO_GUESTBOOK });
    expect(registry.apps).toEqual([
      {
        name: 'guestbook',
        project: 'default',
        source: {
          repoURL: 'https://github.com/argoproj/argocd-example-apps.git',
          targetRevision: 'HEAD',
          path: 'guestbook',
          helm: {
            releaseName: 'guestbook',
            valueFiles: ['values-prod.yaml'],
            values: 'ingress:\n  enabled: true\n',
            parameters: [{ name: 'ingress.annotations.kubernetes\\.io/tls-acme', value: 'true', forceString: true }],
          },
        },
        destinations: [{ cluster: 'prod-eu', namespace: 'guestbook' }],
        syncPolicy: {
          automated: { prune: true, selfHeal: true, allowEmpty: false },
          syncOptions: ['Validate=false', 'CreateNamespace=true', 'PrunePropagationPolicy=foreground', 'PruneLast=true'],
          createNamespace: true,
          retry: { limit: 5, backoff: { durationMs: 5000, factor: 2, maxDurationMs: 180_000 } },
        },
        ignoreDifferences: [
          { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
          { group: '*', kind: '*', managedFieldsManagers: ['kube-controller-manager'] },
        ],
        definedIn: { file: 'driftless/apps/guestbook.yaml', line: 1 },
      },
    ]);
  });

  it('takes valuesObject over values, as Argo CD does', () => {
    const text = ARGO_GUESTBOOK.replace('      version: v2\n', '      version: v2\n      valuesObject:\n        replicas: 3\n');
    expect(registryOf({ 'driftless/a.yaml': text }).apps[0].source.helm?.values).toEqual({ replicas: 3 });
  });

  it('turns its watch-path annotations into repository-relative extra paths', () => {
    const text = ARGO_GUESTBOOK.replace(
      '  namespace: argocd\n',
      '  namespace: argocd\n  annotations:\n    driftless.io/watch-paths: "shared/base, ./charts/common/"\n    argocd.argoproj.io/manifest-generate-paths: ".;../lib;/global"\n',
    );
    expect(registryOf({ 'driftless/a.yaml': text }).apps[0].source.extraPaths).toEqual(['shared/base', 'charts/common', 'guestbook', 'lib', 'global']);
  });

  it('reads an AppProject and a JSON file', () => {
    const project = JSON.stringify({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'team', namespace: 'argocd' },
      spec: { description: 'ignored', sourceRepos: ['https://github.com/argoproj/*'], destinations: [{ namespace: 'guest*', server: '*' }], roles: [] },
    });
    const app = ARGO_GUESTBOOK.replace('project: default', 'project: team');
    const registry = registryOf({ 'driftless/team.json': project, 'driftless/a.yaml': app });
    expect(registry.projects).toEqual([
      {
        name: 'team',
        sourceRepos: ['https://github.com/argoproj/*'],
        destinations: [{ server: '*', namespace: 'guest*' }],
        definedIn: { file: 'driftless/team.json', line: 1 },
      },
    ]);
    expect(registry.apps[0].project).toBe('team');
  });
});

describe('our Application', () => {
  it('fills in Argo CD defaults: project default, HEAD, the whole repository, no automation', () => {
    const registry = registryOf({
      'driftless/web.yaml': `apiVersion: driftless.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  source:
    repoURL: git@github.com:acme/web.git
  destination:
    name: dev
`,
    });
    expect(registry.apps[0]).toMatchObject({
      name: 'web',
      project: 'default',
      source: { repoURL: 'git@github.com:acme/web.git', targetRevision: 'HEAD', path: '.' },
      destinations: [{ cluster: 'dev', namespace: '' }],
      syncPolicy: { syncOptions: [], createNamespace: false },
      ignoreDifferences: [],
    });
    expect(registry.apps[0].syncPolicy.automated).toBeUndefined();
    expect(registry.apps[0].syncPolicy.retry).toBeUndefined();
  });

  it('deploys to several clusters, by name or server URL, with extra paths and retry defaults', () => {
    const registry = registryOf({
      'driftless/web.yaml': `apiVersion: driftless.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  source:
    repoURL: https://github.com/acme/web
    targetRevision: main
    path: ./deploy/web/
    kustomize:
      namePrefix: prod-
    extraPaths: [deploy/base]
  destinations:
    - name: prod-eu
      namespace: web
    - server: https://abc.gr7.us-east-1.eks.amazonaws.com/
      namespace: web
  syncPolicy:
    automated: {}
    retry:
      backoff:
        duration: 10
        maxDuration: 1h30m
`,
    });
    const web = registry.apps[0];
    expect(web.destinations).toEqual([
      { cluster: 'prod-eu', namespace: 'web' },
      { cluster: 'prod-us', namespace: 'web' },
    ]);
    expect(web.source).toEqual({
      repoURL: 'https://github.com/acme/web',
      targetRevision: 'main',
      path: 'deploy/web',
      kustomize: { namePrefix: 'prod-' },
      extraPaths: ['deploy/base'],
    });
    expect(web.syncPolicy.automated).toEqual({ prune: false, selfHeal: false, allowEmpty: false });
    expect(web.syncPolicy.retry).toEqual({ limit: 0, backoff: { durationMs: 10_000, factor: 2, maxDurationMs: 5_400_000 } });
  });
});

describe('Cluster and Project', () => {
  it('normalises clusters with labels and access scope', () => {
    const registry = registryOf({});
    expect(registry.clusters.map((cluster) => cluster.name)).toEqual(['prod-eu', 'prod-us', 'dev']);
    expect(registry.clusters[0]).toEqual({
      name: 'prod-eu',
      server: 'https://kubernetes.default.svc',
      eks: { clusterName: 'prod-eu', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/driftless-deployer' },
      labels: { env: 'prod' },
      definedIn: { file: 'driftless/clusters.yaml', line: 1 },
    });
    expect(registry.clusters[1].server).toBe('https://abc.gr7.us-east-1.eks.amazonaws.com');
  });

  it('defaults our Project to any repository and any destination', () => {
    const registry = registryOf({ 'driftless/p.yaml': 'apiVersion: driftless.io/v1alpha1\nkind: Project\nmetadata:\n  name: open\n' });
    expect(registry.projects[0]).toMatchObject({ name: 'open', sourceRepos: ['*'], destinations: [{ cluster: '*', namespace: '*' }] });
  });
});
