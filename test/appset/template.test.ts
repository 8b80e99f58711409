// Templates as Argo CD renders them: a generator's own template merged over the set's (the
// docs' template-override example, Template.md), the post selector (Generators-Post-Selector.md),
// map keys templated, finalizers, and fasttemplate's refusals.
import { describe, expect, it } from 'vitest';
import { compileFastTemplate, renderFastTemplate } from '../../shared/appset/fast-template.ts';
import { generateApplications } from '../../shared/appset/generate.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { byName, noGit, setFrom } from './helpers.ts';

describe('per-generator template', () => {
  it("takes the generator template's fields over the set's, the rest from the set's (the docs' template-override example)", async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  generators:
  - list:
      elements:
        - cluster: engineering-dev
          url: https://kubernetes.default.svc
      template:
        metadata: {}
        spec:
          project: "default"
          source:
            targetRevision: HEAD
            repoURL: https://github.com/argoproj/argo-cd.git
            # New path value is generated here:
            path: 'applicationset/examples/template-override/{{cluster}}-override'
          destination: {}
  template:
    metadata:
      name: '{{cluster}}-guestbook'
      labels:
        team: shop
    spec:
      project: "default"
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: applicationset/examples/template-override/default
      destination:
        server: '{{url}}'
        namespace: guestbook
`);
    const [app] = await generateApplications(set, { clusters: [], git: noGit });
    expect(app.object).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'engineering-dev-guestbook', labels: { team: 'shop' }, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://github.com/argoproj/argo-cd.git',
          targetRevision: 'HEAD',
          path: 'applicationset/examples/template-override/engineering-dev-override',
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
      },
    });
  });

  it('keeps a list the generator sets whole, and merges labels key by key', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: lists}
spec:
  generators:
  - list:
      elements: [{name: web}]
      template:
        metadata:
          labels: {tier: front}
        spec:
          syncPolicy:
            syncOptions: [CreateNamespace=true]
  - list:
      elements: [{name: api}]
  template:
    metadata:
      name: '{{name}}'
      labels: {team: shop, tier: back}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: '{{name}}'}
      destination: {name: in-cluster, namespace: default}
      syncPolicy:
        automated: {prune: true}
        syncOptions: [PruneLast=true, ApplyOutOfSyncOnly=true]
`);
    const apps = byName(await generateApplications(set, { clusters: [], git: noGit }));
    expect(apps.web).toMatchObject({
      metadata: { labels: { team: 'shop', tier: 'front' } },
      spec: { syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] } },
    });
    expect(apps.api).toMatchObject({
      metadata: { labels: { team: 'shop', tier: 'back' } },
      spec: { syncPolicy: { syncOptions: ['PruneLast=true', 'ApplyOutOfSyncOnly=true'] } },
    });
  });
});

describe('post selector', () => {
  it("keeps only the parameter sets its labels select (the docs' env: staging example)", async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  generators:
  - list:
      elements:
        - cluster: engineering-dev
          url: https://kubernetes.default.svc
          env: staging
        - cluster: engineering-prod
          url: https://kubernetes.default.svc
          env: prod
    selector:
      matchLabels:
        env: staging
  template:
    metadata:
      name: '{{cluster}}-guestbook'
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: applicationset/examples/list-generator/guestbook/{{cluster}}
      destination:
        server: '{{url}}'
        namespace: guestbook
`);
    expect((await generateApplications(set, { clusters: [], git: noGit })).map((app) => app.name)).toEqual(['engineering-dev-guestbook']);
  });

  it('matches values no label could hold (a server URL) with matchExpressions', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: urls}
spec:
  generators:
  - list:
      elements:
        - {name: a, server: 'https://kubernetes.default.svc'}
        - {name: b, server: 'https://some-other-cluster'}
        - {name: c, server: 'https://third'}
    selector:
      matchExpressions:
        - key: server
          operator: In
          values: ['https://kubernetes.default.svc', 'https://some-other-cluster']
        - key: name
          operator: NotIn
          values: [b]
  template:
    metadata: {name: '{{name}}'}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: app}
      destination: {server: '{{server}}', namespace: default}
`);
    expect((await generateApplications(set, { clusters: [], git: noGit })).map((app) => app.name)).toEqual(['a']);
  });
});

describe('rendering', () => {
  it('renders mapping keys too, and keeps the finalizers the template sets', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: keys}
spec:
  generators:
  - list:
      elements: [{name: web, team: shop}]
  template:
    metadata:
      name: '{{name}}'
      annotations:
        'notifications.argoproj.io/subscribe.on-sync-failed.{{team}}': '{{team}}-alerts'
      finalizers: [example.com/keep]
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: app}
      destination: {name: in-cluster, namespace: default}
`);
    const [app] = await generateApplications(set, { clusters: [], git: noGit });
    expect(app.object.metadata).toEqual({
      name: 'web',
      annotations: { 'notifications.argoproj.io/subscribe.on-sync-failed.shop': 'shop-alerts' },
      finalizers: ['example.com/keep'],
    });
  });

  it('adds no resources finalizer when the set preserves resources on deletion', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: keep}
spec:
  syncPolicy: {preserveResourcesOnDeletion: true}
  generators:
  - list:
      elements: [{name: web}]
  template:
    metadata: {name: '{{name}}'}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: app}
      destination: {name: in-cluster, namespace: default}
`);
    const [app] = await generateApplications(set, { clusters: [], git: noGit });
    expect(app.object.metadata).toEqual({ name: 'web' });
  });

  it('refuses a {{ without its }}, naming the template field', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: broken}
spec:
  generators:
  - list:
      elements: [{name: web}]
  template:
    metadata: {name: '{{name}}'}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: 'apps/{{name}} {{oops'}
      destination: {name: in-cluster, namespace: default}
`);
    const error = await generateApplications(set, { clusters: [], git: noGit }).catch((caught: unknown) => caught);
    expect(isBadInput(error)).toBe(true);
    expect((error as Error).message).toContain('ApplicationSet/broken (driftless/appset.yaml:1): template: invalid template: cannot find end tag "}}"');
  });

  it('reads fasttemplate as Argo CD: spaces trimmed, unknown and non-string parameters written back, {{ on one line with }} only', () => {
    const params = { name: 'web', 'path.basename': 'api', count: 3 as unknown as string };
    expect(renderFastTemplate(compileFastTemplate('{{ name }}-{{path.basename}}'), params)).toBe('web-api');
    expect(renderFastTemplate(compileFastTemplate('{{count}} {{ missing }} {{}}'), params)).toBe('{{count}} {{ missing }} {{}}');
    expect(renderFastTemplate(compileFastTemplate('a {{name\n}} b'), params)).toBe('a {{name\n}} b');
    expect(renderFastTemplate(compileFastTemplate('{{{name}}}'), params)).toBe('{{{name}}}');
    expect(() => compileFastTemplate('{{name}} and {{ unclosed')).toThrow(/cannot find end tag/);
  });
});
