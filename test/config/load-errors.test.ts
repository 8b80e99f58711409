import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../shared/config/errors.ts';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { problemsOf } from './registry-files.ts';

const WEB = `apiVersion: driftless.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  source:
    repoURL: https://github.com/acme/web
    path: deploy
  destination:
    name: dev
    namespace: web
`;

describe('a registry with mistakes is refused, each problem at file:line: object: field', () => {
  it('names an unknown field in our kind (likely a typo)', () => {
    const text = WEB.replace('    path: deploy\n', '    path: deploy\n    targetRevison: main\n');
    expect(problemsOf({ 'driftless/web.yaml': text })).toEqual([
      'driftless/web.yaml:9: Application/web: spec.source.targetRevison: unknown field (misspelt? fields are case-sensitive)',
    ]);
  });

  it("names a missing repoURL, in ours and in Argo CD's", () => {
    const argo = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: api
spec:
  source:
    path: api
  destination:
    name: dev
`;
    expect(problemsOf({ 'driftless/web.yaml': WEB.replace('    repoURL: https://github.com/acme/web\n', ''), 'driftless/api.yaml': argo })).toEqual([
      'driftless/api.yaml:6: Application/api: spec.source.repoURL: is required',
      'driftless/web.yaml:6: Application/web: spec.source.repoURL: is required',
    ]);
  });

  it('names a bad duration and a backoff whose maximum is below its start', () => {
    const text = `${WEB}  syncPolicy:
    retry:
      limit: 2
      backoff:
        duration: 5 minutes
---
${WEB.replace('name: web', 'name: web2')}  syncPolicy:
    retry:
      backoff:
        duration: 10m
`;
    const problems = problemsOf({ 'driftless/web.yaml': text });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^driftless\/web\.yaml:16: Application\/web: spec\.syncPolicy\.retry\.backoff\.duration: "5 minutes" is not a duration/);
    expect(problems[1]).toBe(
      'driftless/web.yaml:31: Application/web2: spec.syncPolicy.retry.backoff.maxDuration: 180000 ms is shorter than duration (600000 ms)',
    );
  });

  it('names a destination cluster that is not registered', () => {
    expect(problemsOf({ 'driftless/web.yaml': WEB.replace('name: dev', 'name: staging') })).toEqual([
      'driftless/web.yaml:10: Application/web: spec.destination.name: cluster "staging" is not registered (registered: prod-eu, prod-us, dev); add a Cluster document',
    ]);
  });

  it("refuses Argo CD's in-cluster server when no registered cluster stands for it", () => {
    const argo = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: api}
spec:
  source: {repoURL: 'https://github.com/acme/api'}
  destination: {server: 'https://kubernetes.default.svc', namespace: api}
`;
    const files = [
      {
        file: 'driftless/clusters.yaml',
        text: 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: {name: dev}\nspec: {kubeconfig: {context: dev}}\n',
      },
      { file: 'driftless/api.yaml', text: argo },
    ];
    expect(() => parseRegistryFiles(files)).toThrow(
      /driftless\/api\.yaml:6: Application\/api: spec\.destination\.server: https:\/\/kubernetes\.default\.svc is Argo CD's in-cluster address/,
    );
  });

  it('names both files when an app is defined twice, whichever kind each uses', () => {
    const argo = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  source: {repoURL: 'https://github.com/acme/web'}
  destination: {name: dev, namespace: web}
`;
    expect(problemsOf({ 'driftless/a/web.yaml': WEB, 'driftless/b/web.yaml': argo })).toEqual([
      'driftless/b/web.yaml:4: Application/web: metadata.name: Application "web" is also defined in driftless/a/web.yaml:1; keep one of them',
    ]);
  });

  it('names a repository the project does not allow, and a destination it does not allow', () => {
    const project = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: team}
spec:
  sourceRepos: ['https://github.com/acme/*', '!https://github.com/acme/secret*']
  destinations:
  - {name: dev, namespace: 'team-*'}
`;
    const app = WEB.replace('    path: deploy\n', '    path: deploy\n  project: team\n').replace('acme/web', 'acme/secret-sauce');
    expect(problemsOf({ 'driftless/project.yaml': project, 'driftless/web.yaml': app })).toEqual([
      'driftless/web.yaml:7: Application/web: spec.source.repoURL: project "team" does not allow repository https://github.com/acme/secret-sauce (its sourceRepos: https://github.com/acme/*, !https://github.com/acme/secret*)',
      'driftless/web.yaml:10: Application/web: spec.destination: project "team" does not allow cluster "dev" namespace "web"',
    ]);
  });

  it('names an undefined project', () => {
    const app = WEB.replace('    path: deploy\n', '    path: deploy\n  project: nope\n');
    expect(problemsOf({ 'driftless/web.yaml': app })).toEqual([
      'driftless/web.yaml:9: Application/web: spec.project: project "nope" is not defined (define a Project or AppProject, or use "default")',
    ]);
  });

  it('refuses documents of other kinds, saying which document of the file', () => {
    const text = `${WEB}---\napiVersion: v1\nkind: Secret\nmetadata: {name: x}\n---\n- just a list\n`;
    expect(problemsOf({ 'driftless/web.yaml': text })).toEqual([
      'driftless/web.yaml:13: Secret/x: apiVersion v1 kind Secret does not belong in the registry: expected driftless.io/v1alpha1 Application, ApplicationSet, Cluster or Project, argoproj.io/v1alpha1 Application, ApplicationSet or AppProject, or admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy or ValidatingAdmissionPolicyBinding (with v1 ConfigMap parameters)',
      'driftless/web.yaml:17: document 3: expected a mapping with apiVersion and kind (driftless.io/v1alpha1 Application, ApplicationSet, Cluster or Project, argoproj.io/v1alpha1 Application, ApplicationSet or AppProject, or admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy or ValidatingAdmissionPolicyBinding (with v1 ConfigMap parameters))',
    ]);
  });

  it('refuses Argo CD features that would change what gets deployed', () => {
    const argo = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: hydrated}
spec:
  sourceHydrator:
    drySource: {repoURL: https://github.com/acme/dry, path: app}
  source:
    repoURL: https://github.com/acme/web
    directory:
      jsonnet: {tlas: [{name: x, value: y}]}
  destination: {name: dev}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: labels}
spec:
  source:
    repoURL: https://github.com/acme/web
    kustomize:
      commonLabels: {team: a}
      labelWithoutSelector: true
      labelIncludeTemplates: false
  destination: {name: dev}
`;
    expect(problemsOf({ 'driftless/hydrated.yaml': argo })).toEqual([
      'driftless/hydrated.yaml:5: Application/hydrated: spec.sourceHydrator: not supported by Driftless: source hydrator',
      'driftless/hydrated.yaml:10: Application/hydrated: spec.source.directory.jsonnet: not supported by Driftless: jsonnet',
      'driftless/hydrated.yaml:21: Application/labels: spec.source.kustomize.labelWithoutSelector: not supported by Driftless: kustomize labelWithoutSelector; put the labels in kustomization.yaml (labels: with includeSelectors: false)',
    ]);
  });

  it('names a missing source, and says spec.sources would do', () => {
    const argo = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: empty}\nspec:\n  sources: []\n  destination: {name: dev}\n';
    expect(problemsOf({ 'driftless/empty.yaml': argo })).toEqual([
      'driftless/empty.yaml:4: Application/empty: spec.source: is required (or list the sources in spec.sources)',
    ]);
  });

  it('lists every problem of every file at once, in file and line order, and reports syntax errors', () => {
    const error = (() => {
      try {
        parseRegistryFiles([
          { file: 'driftless/z.yaml', text: WEB.replace('name: dev', 'name: nowhere') },
          { file: 'driftless/a.yaml', text: 'apiVersion: [unclosed\n' },
          { file: 'driftless/m.yaml', text: WEB.replace('name: web', 'name: Web_1') },
        ]);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(RegistryError);
    const problems = (error as RegistryError).problems;
    expect(problems.map((problem) => problem.file)).toEqual(['driftless/a.yaml', 'driftless/m.yaml', 'driftless/z.yaml']);
    expect(problems[0].message).toMatch(/^cannot parse/);
    expect(problems[1]).toMatchObject({ line: 4, object: 'Application/Web_1', field: 'metadata.name' });
    expect(problems[2]).toMatchObject({ line: 10, field: 'spec.destination.name' });
    expect((error as RegistryError).message).toMatch(/^the registry has 3 problems; nothing was changed:\n/);
  });

  it('refuses a destination twice on one cluster, a namespace outside the cluster scope, and two source types', () => {
    const scoped =
      'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: {name: shared}\nspec:\n  kubeconfig: {context: shared}\n  accessScope: {type: namespace, namespaces: [team-a]}\n';
    const app = `apiVersion: driftless.io/v1alpha1
kind: Application
metadata: {name: web}
spec:
  source:
    repoURL: https://github.com/acme/web
    helm: {}
    directory: {recurse: true}
  destinations:
  - {name: shared, namespace: team-b}
  - {name: shared, namespace: team-a}
`;
    expect(problemsOf({ 'driftless/shared.yaml': scoped, 'driftless/web.yaml': app })).toEqual([
      'driftless/web.yaml:8: Application/web: spec.source.directory: set at most one of helm, kustomize and directory (found helm and directory)',
      'driftless/web.yaml:10: Application/web: spec.destinations[0].namespace: cluster "shared" is limited to namespaces team-a',
      'driftless/web.yaml:11: Application/web: spec.destinations[1]: cluster "shared" is listed twice; an app deploys to a cluster once (make a second app for another namespace)',
    ]);
  });
});
