// The list generator against Argo CD's documentation (Generators-List.md): the guestbook
// example with its second element uncommented, the v0.1.0 `values` form, elementsYaml, and
// fasttemplate's rule that element values are strings.
import { describe, expect, it } from 'vitest';
import { generateApplications } from '../../shared/appset/generate.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { byName, noGit, setFrom } from './helpers.ts';

const GUESTBOOK = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
  namespace: argocd
spec:
  generators:
  - list:
      elements:
      - cluster: engineering-dev
        url: https://kubernetes.default.svc
      - cluster: engineering-prod
        url: https://kubernetes.default.svc
        foo: bar
  template:
    metadata:
      name: '{{cluster}}-guestbook'
    spec:
      project: "my-project"
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: applicationset/examples/list-generator/guestbook/{{cluster}}
      destination:
        server: '{{url}}'
        namespace: guestbook
`;

describe('list generator', () => {
  it('generates one Application per element, the element fields replacing their {{tags}}', async () => {
    const apps = await generateApplications(setFrom(GUESTBOOK), { clusters: [], git: noGit });
    expect(apps.map((app) => app.name)).toEqual(['engineering-dev-guestbook', 'engineering-prod-guestbook']);
    expect(byName(apps)['engineering-prod-guestbook']).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'engineering-prod-guestbook', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: {
        project: 'my-project',
        source: {
          repoURL: 'https://github.com/argoproj/argo-cd.git',
          targetRevision: 'HEAD',
          path: 'applicationset/examples/list-generator/guestbook/engineering-prod',
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
      },
    });
  });

  it("reads an element's values mapping as values.<key> (the v0.1.0 form)", async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: legacy}
spec:
  generators:
  - list:
      elements:
      - cluster: engineering-dev
        url: https://kubernetes.default.svc
        values:
          additional: value
  template:
    metadata:
      name: '{{cluster}}-{{values.additional}}'
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: '{{ values.additional }}'}
      destination: {server: '{{url}}', namespace: default}
`);
    const [app] = await generateApplications(set, { clusters: [], git: noGit });
    expect(app.name).toBe('engineering-dev-value');
    expect((app.object.spec as { source: { path: string } }).source.path).toBe('value');
  });

  it('appends the elements of elementsYaml after elements', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: yaml-elements}
spec:
  generators:
  - list:
      elements:
      - name: first
      elementsYaml: |
        - name: second
        - name: third
  template:
    metadata: {name: '{{name}}'}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: 'apps/{{name}}'}
      destination: {name: in-cluster, namespace: default}
`);
    const apps = await generateApplications(set, { clusters: [], git: noGit });
    expect(apps.map((app) => app.name)).toEqual(['first', 'second', 'third']);
  });

  it('refuses a non-string element value with fasttemplate, naming the generator and the field', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: numbers}
spec:
  generators:
  - list:
      elements:
      - name: web
        replicas: 3
  template:
    metadata: {name: '{{name}}'}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: 'apps'}
      destination: {name: in-cluster, namespace: default}
`);
    const error = await generateApplications(set, { clusters: [], git: noGit }).catch((caught: unknown) => caught);
    expect(isBadInput(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^ApplicationSet\/numbers \(driftless\/appset\.yaml:1\): generators\[0\] \(list\): elements\[0\]\.replicas is number, not a string/,
    );
  });

  it('leaves a tag whose parameter no generator sets as written, spaces included', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: unknown-tags}
spec:
  generators:
  - list:
      elements:
      - name: web
  template:
    metadata:
      name: '{{name}}'
      annotations:
        note: 'owner is {{ owner }} and {{}}'
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: '{{ name }}/{{nope}}'}
      destination: {name: in-cluster, namespace: default}
`);
    const [app] = await generateApplications(set, { clusters: [], git: noGit });
    expect(app.object.metadata).toMatchObject({ annotations: { note: 'owner is {{ owner }} and {{}}' } });
    expect((app.object.spec as { source: { path: string } }).source.path).toBe('web/{{nope}}');
  });

  it('refuses two elements that render the same Application name, naming both parameter sets', async () => {
    const set = setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: clash}
spec:
  generators:
  - list:
      elements:
      - app: web
        env: dev
      - app: web
        env: prod
  template:
    metadata: {name: '{{app}}'}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: '{{env}}'}
      destination: {name: in-cluster, namespace: default}
`);
    const error = await generateApplications(set, { clusters: [], git: noGit }).catch((caught: unknown) => caught);
    expect(isBadInput(error)).toBe(true);
    expect((error as Error).message).toContain('two parameter sets generate the Application "web": {"app":"web","env":"dev"} and {"app":"web","env":"prod"}');
  });
});
