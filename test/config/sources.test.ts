// Chart sources, multi-source applications and `$ref` value files, read as Argo CD documents
// them (user-guide/multiple_sources.md, helm.md): `sources` replaces `source`, a ref source
// without a path only lends its files, `$<ref>/…` is relative to the ref source's root.
import { describe, expect, it } from 'vitest';
import { appSources } from '../../shared/config/app-sources.ts';
import { problemsOf, registryOf } from './registry-files.ts';

// Argo CD's own example of Helm value files from an external Git repository.
const PROMETHEUS = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: prometheus
spec:
  sources:
  - repoURL: 'https://prometheus-community.github.io/helm-charts'
    chart: prometheus
    targetRevision: 15.7.1
    helm:
      valueFiles:
      - $values/charts/prometheus/values.yaml
  - repoURL: 'https://github.com/org/value-files.git'
    targetRevision: dev
    ref: values
  destination:
    name: dev
    namespace: monitoring
`;

function app(text: string) {
  return registryOf({ 'driftless/app.yaml': text }).apps[0];
}

describe('a chart source', () => {
  it('names a chart in a Helm repository at a version or constraint', () => {
    const chart = app(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: nginx}
spec:
  source:
    repoURL: https://charts.bitnami.com/bitnami
    chart: nginx
    targetRevision: 15.*
    helm: {releaseName: web}
  destination: {name: dev, namespace: web}
`);
    expect(chart.source).toEqual({
      repoURL: 'https://charts.bitnami.com/bitnami',
      chart: 'nginx',
      targetRevision: '15.*',
      path: '.',
      helm: { releaseName: 'web' },
    });
    expect(chart.sources).toBeUndefined();
  });

  it('takes an OCI registry as oci://host/path and as a bare host/path', () => {
    const text = (repoURL: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: k}\nspec:\n  source: {repoURL: ${repoURL}, chart: karpenter, targetRevision: 1.0.0}\n  destination: {name: dev}\n`;
    expect(app(text('oci://public.ecr.aws/karpenter')).source.repoURL).toBe('oci://public.ecr.aws/karpenter');
    expect(app(text('public.ecr.aws/karpenter')).source.chart).toBe('karpenter');
  });

  it('refuses a missing version, a chart name that could climb or be a flag, credentials in the URL, and a ref', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: bad}
spec:
  sources:
  - repoURL: https://user:token@charts.example.com
    chart: ../etc
  - repoURL: oci://ghcr.io/acme
    chart: -app
    targetRevision: 1.0.0
    ref: values
    kustomize: {namePrefix: x-}
  destination: {name: dev}
`;
    // The registry refuses what the chart fetcher would, with the fetcher's reasons, at file:line: field.
    const problems = problemsOf({ 'driftless/bad.yaml': text });
    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(/^driftless\/bad\.yaml:6: Application\/bad: spec\.sources\[0\]\.repoURL: .*carries credentials/);
    expect(problems[1]).toMatch(
      /^driftless\/bad\.yaml:6: Application\/bad: spec\.sources\[0\]\.targetRevision: .*is empty; give a version \(1\.2\.3\) or a constraint/,
    );
    expect(problems[2]).toMatch(/^driftless\/bad\.yaml:7: Application\/bad: spec\.sources\[0\]\.chart: chart name "\.\.\/etc"/);
    expect(problems[3]).toMatch(/^driftless\/bad\.yaml:9: Application\/bad: spec\.sources\[1\]\.chart: chart name "-app" starts with "-"/);
    expect(problems.slice(4)).toEqual([
      'driftless/bad.yaml:11: Application/bad: spec.sources[1].ref: a chart source cannot be a ref source (as in Argo CD): set ref on a Git source',
      'driftless/bad.yaml:12: Application/bad: spec.sources[1].kustomize: a chart source is rendered with Helm; kustomize options do not apply',
    ]);
  });

  it('refuses an oci:// Git source: only charts come from OCI registries', () => {
    const text =
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: o}\nspec:\n  source: {repoURL: "oci://ghcr.io/acme/manifests", path: app}\n  destination: {name: dev}\n';
    expect(problemsOf({ 'driftless/o.yaml': text })).toContain(
      'driftless/o.yaml:5: Application/o: spec.source.chart: is required for an oci:// repoURL: only Helm charts are read from OCI registries',
    );
  });
});

describe('spec.sources', () => {
  it("reads Argo CD's example: the chart renders with a value file from the ref source, which renders nothing itself", () => {
    const prometheus = app(PROMETHEUS);
    expect(prometheus.sources).toEqual([
      {
        repoURL: 'https://prometheus-community.github.io/helm-charts',
        chart: 'prometheus',
        targetRevision: '15.7.1',
        path: '.',
        helm: { valueFiles: ['$values/charts/prometheus/values.yaml'] },
      },
      { repoURL: 'https://github.com/org/value-files.git', targetRevision: 'dev', path: '.', ref: 'values', valuesOnly: true },
    ]);
    // The primary source is the first one in Git: the app's commits, statuses and config syncs are its.
    expect(prometheus.source).toEqual(prometheus.sources?.[1]);
  });

  it('keeps several Git sources in order, and ignores spec.source beside them, as Argo CD does', () => {
    const billing = app(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: billing}
spec:
  source: {repoURL: https://github.com/mycompany/ignored.git, path: nowhere}
  sources:
    - repoURL: https://github.com/mycompany/billing-app.git
      path: manifests
      targetRevision: 8.5.1
    - repoURL: https://github.com/mycompany/common-settings.git
      path: configmaps-billing
      targetRevision: HEAD
  destination: {name: dev, namespace: billing}
`);
    expect(appSources(billing).map((source) => `${source.repoURL} ${source.targetRevision} ${source.path}`)).toEqual([
      'https://github.com/mycompany/billing-app.git 8.5.1 manifests',
      'https://github.com/mycompany/common-settings.git HEAD configmaps-billing',
    ]);
    expect(billing.source.path).toBe('manifests');
  });

  it('lets a ref source with a path render too', () => {
    const text = PROMETHEUS.replace('    ref: values\n', '    ref: values\n    path: extra\n');
    expect(app(text).sources?.[1]).toEqual({ repoURL: 'https://github.com/org/value-files.git', targetRevision: 'dev', path: 'extra', ref: 'values' });
  });

  it('is refused with file, line and field when a $ref names no ref source, a ref is taken twice, or a value file names no file', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: refs}
spec:
  sources:
  - repoURL: https://charts.example.com
    chart: app
    targetRevision: 1.0.0
    helm:
      valueFiles:
      - $values/ok.yaml
      - $vals/typo.yaml
      - $values
      - $values/../../etc/passwd
  - {repoURL: 'https://github.com/acme/values.git', ref: values}
  - {repoURL: 'https://github.com/acme/other.git', ref: values, path: deploy}
  destination: {name: dev}
`;
    expect(problemsOf({ 'driftless/refs.yaml': text })).toEqual([
      'driftless/refs.yaml:12: Application/refs: spec.sources[0].helm.valueFiles[1]: "$vals/typo.yaml" names no ref source: "$vals" is not among $values',
      'driftless/refs.yaml:13: Application/refs: spec.sources[0].helm.valueFiles[2]: "$values" must name a file inside the ref source\'s repository, as $values/path/values.yaml',
      'driftless/refs.yaml:14: Application/refs: spec.sources[0].helm.valueFiles[3]: "$values/../../etc/passwd" must name a file inside the ref source\'s repository, as $values/path/values.yaml',
      'driftless/refs.yaml:16: Application/refs: spec.sources[2].ref: ref "values" is also the ref of spec.sources[1]; give each ref source its own name',
    ]);
  });

  it('refuses a $ref value file in a single-source app, and an app of ref sources only', () => {
    const single = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: single}
spec:
  source:
    repoURL: https://github.com/acme/web
    path: chart
    helm: {valueFiles: [$values/prod.yaml]}
  destination: {name: dev}
`;
    const onlyRefs = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: only-refs}
spec:
  sources:
  - {repoURL: 'https://github.com/acme/values.git', ref: values}
  destination: {name: dev}
`;
    expect(problemsOf({ 'driftless/single.yaml': single, 'driftless/only-refs.yaml': onlyRefs })).toEqual([
      'driftless/only-refs.yaml:5: Application/only-refs: spec.sources: every source is a ref source without a path: nothing would be deployed (set path on the source to render, or add a chart or Git source)',
      'driftless/single.yaml:8: Application/single: spec.source.helm.valueFiles[0]: "$values/prod.yaml" names a ref source, and this app has none: only spec.sources can hold ref sources (a Git source with ref: values)',
    ]);
  });

  it('checks every source, the chart repository included, against the project', () => {
    const project = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: team}
spec:
  sourceRepos: ['https://github.com/org/*', 'public.ecr.aws/team/*']
  destinations: [{name: dev, namespace: '*'}]
`;
    const text = PROMETHEUS.replace('spec:\n', 'spec:\n  project: team\n');
    expect(problemsOf({ 'driftless/team.yaml': project, 'driftless/app.yaml': text })).toEqual([
      'driftless/app.yaml:8: Application/prometheus: spec.sources[0].repoURL: project "team" does not allow repository https://prometheus-community.github.io/helm-charts (its sourceRepos: https://github.com/org/*, public.ecr.aws/team/*)',
    ]);
    const oci = text.replace("'https://prometheus-community.github.io/helm-charts'", 'oci://public.ecr.aws/team/charts');
    expect(registryOf({ 'driftless/team.yaml': project, 'driftless/app.yaml': oci }).apps[0].sources?.[0].repoURL).toBe('oci://public.ecr.aws/team/charts');
  });

  it('is read the same way in our kind, strictly: exactly one of source and sources, no unknown field', () => {
    const ours = `apiVersion: driftless.io/v1alpha1
kind: Application
metadata: {name: ours}
spec:
  sources:
  - {repoURL: 'https://charts.example.com', chart: app, targetRevision: '1.*', helm: {valueFiles: [$cfg/app.yaml]}}
  - {repoURL: 'https://github.com/acme/config.git', targetRevision: main, ref: cfg, extraPaths: [shared]}
  destination: {name: dev}
`;
    expect(app(ours).sources).toEqual([
      { repoURL: 'https://charts.example.com', chart: 'app', targetRevision: '1.*', path: '.', helm: { valueFiles: ['$cfg/app.yaml'] } },
      { repoURL: 'https://github.com/acme/config.git', targetRevision: 'main', path: '.', ref: 'cfg', valuesOnly: true, extraPaths: ['shared'] },
    ]);
    const both = ours.replace('spec:\n', "spec:\n  source: {repoURL: 'https://github.com/acme/web'}\n").replace('ref: cfg,', 'ref: cfg, plugin: {name: x},');
    expect(problemsOf({ 'driftless/ours.yaml': both })).toEqual([
      'driftless/ours.yaml:4: Application/ours: spec: set exactly one of source or sources',
      'driftless/ours.yaml:8: Application/ours: spec.sources[1].plugin: unknown field (misspelt? fields are case-sensitive)',
    ]);
  });
});

describe('source.plugin', () => {
  it('stays refused, saying what to do instead', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: cmp}
spec:
  source:
    repoURL: https://github.com/acme/web
    path: app
    plugin:
      name: argocd-vault-plugin
  destination: {name: dev}
`;
    expect(problemsOf({ 'driftless/cmp.yaml': text })).toEqual([
      'driftless/cmp.yaml:8: Application/cmp: spec.source.plugin: not supported by Driftless: config management plugins: render with the plugin in CI and commit its output (a folder of manifests the app points at, ' +
        "or a branch, as Argo CD's source hydrator does), or use Helm or Kustomize, which Driftless runs itself",
    ]);
  });
});

describe("Argo CD's zero values", () => {
  it('reads null as absent: a parameter without a value is empty, null lists and sections are not there', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: nulls
  annotations: null
spec:
  project: null
  source:
    repoURL: https://github.com/acme/web
    targetRevision: null
    path: chart
    helm:
      releaseName: null
      valueFiles: null
      values: null
      parameters:
      - name: image.tag
        value: null
      - name: replicas
    kustomize: null
    directory: null
  destination:
    name: dev
    namespace: null
  syncPolicy: null
  ignoreDifferences: null
`;
    const nulls = app(text);
    expect(nulls.project).toBe('default');
    expect(nulls.source).toEqual({
      repoURL: 'https://github.com/acme/web',
      targetRevision: 'HEAD',
      path: 'chart',
      // Go's zero value for HelmParameter.Value: both become `--set name=`.
      helm: {
        parameters: [
          { name: 'image.tag', value: '' },
          { name: 'replicas', value: '' },
        ],
      },
    });
    expect(nulls.destinations).toEqual([{ cluster: 'dev', namespace: '' }]);
    expect(nulls.syncPolicy).toEqual({ syncOptions: [], createNamespace: false });
    expect(nulls.ignoreDifferences).toEqual([]);
  });

  it('tells automated: null (off) from automated: {} (on), and keeps nulls inside Helm values', () => {
    const text = (automated: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: auto}
spec:
  source:
    repoURL: https://github.com/acme/web
    helm:
      valuesObject:
        ingress: null
  destination: {name: dev}
  syncPolicy:
    automated: ${automated}
    retry: null
`;
    expect(app(text('null')).syncPolicy.automated).toBeUndefined();
    expect(app(text('{}')).syncPolicy.automated).toEqual({ prune: false, selfHeal: false, allowEmpty: false });
    expect(app(text('{prune: null, selfHeal: true}')).syncPolicy.automated).toEqual({ prune: false, selfHeal: true, allowEmpty: false });
    // In Helm, a null value removes the chart's default: it is data, not an absent field.
    expect(app(text('{}')).source.helm?.values).toEqual({ ingress: null });
  });
});
