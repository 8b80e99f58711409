// Generation with goTemplate: true, evaluated by Go's text/template + Sprig (helm, through
// go-template.ts), against Argo CD's documentation: cluster values from annotations
// (Generators-Cluster.md), git files feeding elementsYaml (Generators-List.md), two git
// generators with pathParamPrefix and the second's path from the first, and a stage overriding
// global values (Generators-Matrix.md); one helm run for a whole set; templatePatch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApplications } from '../../shared/appset/generate.ts';
import { gitFilesFromFetcher, type DisposableGitFiles } from '../../shared/appset/git-files.ts';
import { goTemplateRuns } from '../../shared/appset/go-template.ts';
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
    'applicationset/examples/list-generator/list-elementsYaml-example.yaml': [
      'key:',
      '  components:',
      '    - name: component1',
      '      chart: podinfo',
      '      version: "6.3.2"',
      '      releaseName: component1',
      '      repoUrl: "https://stefanprodan.github.io/podinfo"',
      '      namespace: component1',
      '    - name: component2',
      '      chart: podinfo',
      '      version: "6.3.3"',
      '      releaseName: component2',
      '      repoUrl: "ghcr.io/stefanprodan/charts"',
      '      namespace: component2',
      '',
    ].join('\n'),
    'apps/app-one.json': '{ "appName": "app-one" }',
    'apps/app-two.json': '{ "appName": "app-two" }',
    'targets/app-one/east-cluster-one.json': '{ "region": "east", "clusterName": "cluster-one" }',
    'targets/app-one/east-cluster-two.json': '{ "region": "east", "clusterName": "cluster-two" }',
    'targets/app-two/east-cluster-one.json': '{ "region": "east", "clusterName": "cluster-one" }',
    'targets/app-two/west-cluster-three.json': '{ "region": "west", "clusterName": "cluster-three" }',
    'values/test/stage.values.yaml': 'stageName: test\ncpuRequest: 100m\ndebugEnabled: true\n',
    'values/staging/stage.values.yaml': 'stageName: staging\n',
    'values/production/stage.values.yaml': 'stageName: production\nmemoryLimit: 512Mi\ndebugEnabled: false\n',
    'values/global.values.yaml': 'cpuRequest: 200m\nmemoryLimit: 256Mi\ndebugEnabled: true\n',
  });
  files = gitFilesFromFetcher(new LocalGitFetcher({ cache }));
});

afterAll(async () => {
  await files.dispose();
  await cache.clear();
  await repo.remove();
});

describe('generation with goTemplate', () => {
  it("templates cluster values from the cluster's annotations and name, all in one helm run", async () => {
    const clusters = [
      cluster('staging-1', { type: 'staging' }, { server: 'https://1.2.3.4', annotations: { 'my-custom-annotation': 'release-7' } }),
      cluster('prod-1', { type: 'production' }, { server: 'https://2.4.6.8' }),
    ];
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
  - clusters:
      selector:
        matchLabels:
          type: 'staging'
      values:
        revision: '{{index .metadata.annotations "my-custom-annotation"}}'
        clusterName: '{{.name}}'
  - clusters:
      selector:
        matchLabels:
          type: 'production'
      values:
        revision: stable
        clusterName: '{{.name}}'
  template:
    metadata:
      name: '{{.name}}-guestbook'
    spec:
      project: "my-project"
      source:
        repoURL: https://github.com/argoproj/argocd-example-apps/
        targetRevision: '{{.values.revision}}'
        path: guestbook
      destination:
        name: '{{.values.clusterName}}'
        namespace: guestbook
`);
    const before = goTemplateRuns();
    const apps = byName(await generateApplications(set, { clusters, git: noGit }));
    expect(Object.keys(apps).sort()).toEqual(['prod-1-guestbook', 'staging-1-guestbook']);
    expect(apps['staging-1-guestbook'].spec).toMatchObject({ source: { targetRevision: 'release-7' }, destination: { name: 'staging-1' } });
    expect(apps['prod-1-guestbook'].spec).toMatchObject({ source: { targetRevision: 'stable' }, destination: { name: 'prod-1' } });
    // The values of both generators in one run, then every template string in one more (the
    // values must render before the templates can use them).
    expect(goTemplateRuns() - before).toBe(2);
  });

  it("gathers the matching clusters into one parameter set with flatList (the docs' flat-list-guestbook)", async () => {
    const clusters = [
      cluster('cluster1', { type: 'staging' }, { server: 'https://1.2.3.4' }),
      cluster('cluster2', { type: 'staging' }),
      cluster('prod', { type: 'production' }),
    ];
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: flat}
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
  - clusters:
      selector:
        matchLabels:
          type: 'staging'
      flatList: true
  template:
    metadata:
      name: 'flat-list-guestbook'
    spec:
      project: "my-project"
      source:
        repoURL: https://github.com/argoproj/argocd-example-apps/
        targetRevision: 'HEAD'
        path: helm-guestbook
        helm:
          values: |
            clusters:
            {{- range .clusters }}
              - name: {{ .name }}
            {{- end }}
      destination:
        server: 'my-cluster'
        namespace: guestbook
`);
    const apps = await generateApplications(set, { clusters, git: noGit });
    expect(apps.map((app) => app.name)).toEqual(['flat-list-guestbook']);
    expect(apps[0].object.spec).toMatchObject({ source: { helm: { values: 'clusters:\n  - name: cluster1\n  - name: cluster2\n' } } });
  });

  it("feeds a git file's list into elementsYaml (the docs' dynamically generated elements)", async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: elements-yaml
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
  - matrix:
      generators:
      - git:
          repoURL: ${repo.dir}
          revision: HEAD
          files:
          - path: applicationset/examples/list-generator/list-elementsYaml-example.yaml
      - list:
          elements: []
          elementsYaml: "{{ .key.components | toJson }}"
  template:
    metadata:
      name: '{{.name}}'
    spec:
      project: default
      syncPolicy:
        automated:
          selfHeal: true
        syncOptions:
        - CreateNamespace=true
      sources:
        - chart: '{{.chart}}'
          repoURL: '{{.repoUrl}}'
          targetRevision: '{{.version}}'
          helm:
            releaseName: '{{.releaseName}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{.namespace}}'
`);
    const apps = byName(await generateApplications(set, { clusters: [], git: files }));
    expect(Object.keys(apps)).toEqual(['component1', 'component2']);
    expect(apps.component2.spec).toEqual({
      project: 'default',
      syncPolicy: { automated: { selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
      sources: [{ chart: 'podinfo', repoURL: 'ghcr.io/stefanprodan/charts', targetRevision: '6.3.3', helm: { releaseName: 'component2' } }],
      destination: { server: 'https://kubernetes.default.svc', namespace: 'component2' },
    });
  });

  it("runs a second git generator whose path comes from the first, both with a pathParamPrefix (the docs' two-gits example)", async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: two-gits-with-path-param-prefix
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - matrix:
        generators:
          - git:
              repoURL: ${repo.dir}
              revision: HEAD
              files:
                - path: "apps/*.json"
              pathParamPrefix: app
          - git:
              repoURL: ${repo.dir}
              revision: HEAD
              files:
                - path: "targets/{{.appName}}/*.json"
              pathParamPrefix: target
  template:
    metadata:
      name: '{{.appName}}-{{.clusterName}}'
      labels:
        region: '{{.region}}'
        app-file: '{{.app.path.filename}}'
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', targetRevision: HEAD, path: '{{.target.path.path}}'}
      destination: {name: '{{.clusterName}}', namespace: '{{.target.path.basename}}'}
`);
    const apps = byName(await generateApplications(set, { clusters: [], git: files }));
    expect(Object.keys(apps).sort()).toEqual(['app-one-cluster-one', 'app-one-cluster-two', 'app-two-cluster-one', 'app-two-cluster-three']);
    expect(apps['app-two-cluster-three']).toMatchObject({
      metadata: { labels: { region: 'west', 'app-file': 'app-two.json' } },
      spec: { source: { path: 'targets/app-two' }, destination: { name: 'cluster-three', namespace: 'app-two' } },
    });
  });

  it("lets the first generator's parameters override the second's (the docs' stage over global values)", async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: parameter-override-example
spec:
  goTemplate: true
  generators:
    - matrix:
        generators:
          - git:
              repoURL: ${repo.dir}
              revision: HEAD
              files:
                - path: "values/**/stage.values.yaml"
          - git:
              repoURL: ${repo.dir}
              revision: HEAD
              files:
                - path: "values/global.values.yaml"
  template:
    metadata:
      name: 'example-{{.stageName}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/example/example-app.git
        targetRevision: HEAD
        path: .
        helm:
          parameters:
            - {name: cpuRequest, value: '{{.cpuRequest}}'}
            - {name: memoryLimit, value: '{{.memoryLimit}}'}
            - {name: debugEnabled, value: '{{.debugEnabled}}'}
      destination:
        server: https://kubernetes.default.svc
        namespace: default
`);
    const apps = byName(await generateApplications(set, { clusters: [], git: files }));
    const values = (name: string) =>
      Object.fromEntries(
        (apps[name].spec as { source: { helm: { parameters: Array<{ name: string; value: string }> } } }).source.helm.parameters.map((p) => [p.name, p.value]),
      );
    expect(values('example-test')).toEqual({ cpuRequest: '100m', memoryLimit: '256Mi', debugEnabled: 'true' });
    expect(values('example-staging')).toEqual({ cpuRequest: '200m', memoryLimit: '256Mi', debugEnabled: 'true' });
    expect(values('example-production')).toEqual({ cpuRequest: '200m', memoryLimit: '512Mi', debugEnabled: 'false' });
  });

  it('renders a thousand elements of two generators, and the templatePatch, in one helm run', async () => {
    const elements = Array.from({ length: 1000 }, (_, index) => `      - name: app-${index}`).join('\n');
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: many}
spec:
  goTemplate: true
  generators:
  - list:
      elements:
${elements}
  - list:
      elements: [{name: extra}]
      template:
        metadata: {}
        spec: {project: other}
  template:
    metadata: {name: '{{.name}}'}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: 'apps/{{.name | upper}}'}
      destination: {name: in-cluster, namespace: '{{.name}}'}
  templatePatch: |
    metadata:
      annotations:
        generated-for: '{{.name}}'
`);
    const before = goTemplateRuns();
    const apps = await generateApplications(set, { clusters: [], git: noGit });
    expect(goTemplateRuns() - before).toBe(1);
    expect(apps).toHaveLength(1001);
    expect(apps[999].object).toMatchObject({
      metadata: { annotations: { 'generated-for': 'app-999' } },
      spec: { source: { path: 'apps/APP-999' }, destination: { namespace: 'app-999' } },
    });
    expect(apps[1000].object).toMatchObject({ metadata: { name: 'extra' }, spec: { project: 'other', source: { path: 'apps/EXTRA' } } });
  });

  it("applies templatePatch, rendered with each element's parameters", async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: patched}
spec:
  goTemplate: true
  generators:
  - list:
      elements:
      - {name: web, autoSync: true}
      - {name: api, autoSync: false}
  template:
    metadata: {name: '{{.name}}'}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: 'apps/{{.name}}'}
      destination: {name: in-cluster, namespace: default}
  templatePatch: |
    {{- if .autoSync }}
    spec:
      syncPolicy:
        automated:
          prune: true
    {{- end }}
`);
    const apps = byName(await generateApplications(set, { clusters: [], git: noGit }));
    expect(apps.web.spec).toMatchObject({ syncPolicy: { automated: { prune: true } } });
    expect(apps.api.spec).not.toHaveProperty('syncPolicy');
  });

  it('fails with missingkey=error on a parameter no generator sets, naming the set', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: strict}
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
  - list:
      elements: [{name: web}]
  template:
    metadata: {name: '{{.name}}-{{.nope}}'}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: apps}
      destination: {name: in-cluster, namespace: default}
`);
    const error = await generateApplications(set, { clusters: [], git: noGit }).catch((caught: unknown) => caught);
    expect(isBadInput(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^ApplicationSet\/strict \(driftless\/appset\.yaml:1\): template: template "\{\{\.name\}\}-\{\{\.nope\}\}" does not render: .*nope/,
    );
  });
});
