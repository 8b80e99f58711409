// ApplicationSets in the registry: a set under driftless/ generates Applications that join the
// registry as if written out (same checks), each naming its set and keeping its labels; every
// problem names the set's file and line and the generated app. Generated from the list
// generator (Argo CD's List Generator page: one Application per element, `{{key}}` replaced).
import { describe, expect, it } from 'vitest';
import { expandApplicationSets } from '../../shared/appset/expand.ts';
import { formatProblem, RegistryError } from '../../shared/config/errors.ts';
import type { AppSpec, Registry } from '../../shared/config/types.ts';
import { registryOf } from '../config/registry-files.ts';
import { noGit } from './registry-support.ts';

// After Argo CD's List Generator example, pointed at the clusters of registry-files.ts.
const GUESTBOOK = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  generators:
    - list:
        elements:
          - cluster: dev
            env: development
          - cluster: prod-eu
            env: production
  template:
    metadata:
      name: '{{cluster}}-guestbook'
      labels:
        env: '{{env}}'
      finalizers:
        - resources-finalizer.argocd.argoproj.io
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: applicationset/examples/list-generator/guestbook/{{cluster}}
      destination:
        name: '{{cluster}}'
        namespace: guestbook
`;

const WRITTEN = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  labels:
    team: shop
spec:
  project: default
  source:
    repoURL: https://github.com/acme/web
    path: deploy
  destination:
    name: dev
    namespace: web
`;

async function expand(files: Record<string, string>, previous?: Registry): Promise<Registry> {
  return expandApplicationSets(registryOf(files), { previous, git: noGit() });
}

async function problemsOf(files: Record<string, string>, previous?: Registry): Promise<string[]> {
  try {
    await expand(files, previous);
  } catch (error) {
    if (error instanceof RegistryError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('expected the registry to be refused');
}

function app(registry: Registry, name: string): AppSpec & { finalizer?: string } {
  const found = registry.apps.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no app ${name} among ${registry.apps.map((candidate) => candidate.name).join(', ')}`);
  return found;
}

describe('an ApplicationSet under driftless/', () => {
  it('is kept in registry.applicationSets by the synchronous parse, which generates nothing', () => {
    const registry = registryOf({ 'driftless/guestbook.yaml': GUESTBOOK });
    expect(registry.applicationSets?.map((set) => [set.name, set.source, set.applicationsSync, set.definedIn])).toEqual([
      ['guestbook', 'argo', 'sync', { file: 'driftless/guestbook.yaml', line: 1 }],
    ]);
    expect(registry.apps).toEqual([]);
  });

  it('generates one app per list element, naming its set, with its labels and finalizer, as a written app reads', async () => {
    const registry = await expand({ 'driftless/guestbook.yaml': GUESTBOOK, 'driftless/web.yaml': WRITTEN });
    expect(registry.apps.map((candidate) => candidate.name)).toEqual(['web', 'dev-guestbook', 'prod-eu-guestbook']);
    expect(app(registry, 'dev-guestbook')).toEqual({
      name: 'dev-guestbook',
      project: 'default',
      source: {
        repoURL: 'https://github.com/argoproj/argo-cd.git',
        targetRevision: 'HEAD',
        path: 'applicationset/examples/list-generator/guestbook/dev',
      },
      destinations: [{ cluster: 'dev', namespace: 'guestbook' }],
      syncPolicy: { syncOptions: [], createNamespace: false },
      ignoreDifferences: [],
      labels: { env: 'development' },
      applicationSet: 'guestbook',
      finalizer: 'resources-finalizer.argocd.argoproj.io',
      definedIn: { file: 'driftless/guestbook.yaml', line: 1 },
    });
    expect(app(registry, 'prod-eu-guestbook').destinations).toEqual([{ cluster: 'prod-eu', namespace: 'guestbook' }]);
    expect(app(registry, 'prod-eu-guestbook').labels).toEqual({ env: 'production' });
    // An Application written out keeps its labels too, and names no set.
    expect(app(registry, 'web').labels).toEqual({ team: 'shop' });
    expect(app(registry, 'web').applicationSet).toBeUndefined();
  });

  it('a registry without sets comes back as it went in', async () => {
    const written = registryOf({ 'driftless/web.yaml': WRITTEN });
    expect(await expandApplicationSets(written, { git: noGit() })).toBe(written);
    expect('applicationSets' in written).toBe(false);
  });
});

describe('problems of a set name its file and line and the generated app', () => {
  it('a generated app its project forbids (repository and destination)', async () => {
    const project = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: team
spec:
  sourceRepos:
    - https://github.com/acme/*
  destinations:
    - name: dev
      namespace: '*'
`;
    const set = `# the team's guestbooks\n${GUESTBOOK.replace('project: default', 'project: team')}`;
    expect(await problemsOf({ 'driftless/guestbook.yaml': set, 'driftless/team.yaml': project })).toEqual([
      'driftless/guestbook.yaml:2: Application/dev-guestbook generated by ApplicationSet/guestbook: spec.source.repoURL: project "team" does not allow repository https://github.com/argoproj/argo-cd.git (its sourceRepos: https://github.com/acme/*)',
      'driftless/guestbook.yaml:2: Application/prod-eu-guestbook generated by ApplicationSet/guestbook: spec.source.repoURL: project "team" does not allow repository https://github.com/argoproj/argo-cd.git (its sourceRepos: https://github.com/acme/*)',
      'driftless/guestbook.yaml:2: Application/prod-eu-guestbook generated by ApplicationSet/guestbook: spec.destination: project "team" does not allow cluster "prod-eu" namespace "guestbook"',
    ]);
  });

  it('a generated app whose cluster is not registered', async () => {
    const set = GUESTBOOK.replace('- cluster: prod-eu', '- cluster: staging');
    expect(await problemsOf({ 'driftless/guestbook.yaml': set })).toEqual([
      'driftless/guestbook.yaml:1: Application/staging-guestbook generated by ApplicationSet/guestbook: spec.destination.name: cluster "staging" is not registered (registered: prod-eu, prod-us, dev); add a Cluster document',
    ]);
  });

  it('a generator the registry refuses, at its own line', async () => {
    const set = GUESTBOOK.replace('    - list:\n', '    - scmProvider:\n        github:\n          organization: acme\n    - list:\n');
    const problems = await problemsOf({ 'driftless/guestbook.yaml': set });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^driftless\/guestbook\.yaml:7: ApplicationSet\/guestbook: spec\.generators\[0\]\.scmProvider: .*not supported/);
  });

  it('a generator that cannot generate (elementsYaml that is not YAML), at the set', async () => {
    const set = GUESTBOOK.replace(/ {8}elements:\n(.*\n){4}/, "        elementsYaml: '[unclosed'\n");
    const problems = await problemsOf({ 'driftless/guestbook.yaml': set });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^driftless\/guestbook\.yaml:1: ApplicationSet\/guestbook: generators\[0\] \(list\): elementsYaml does not parse/);
  });

  it('a generated name that an app written out has: both places named', async () => {
    const written = WRITTEN.replace('name: web', 'name: dev-guestbook');
    expect(await problemsOf({ 'driftless/guestbook.yaml': GUESTBOOK, 'driftless/apps.yaml': `---\n${written}` })).toEqual([
      'driftless/guestbook.yaml:1: ApplicationSet/guestbook: template.metadata.name: Application "dev-guestbook" is written out in driftless/apps.yaml:2 and generated by ApplicationSet guestbook (driftless/guestbook.yaml:1); rename one of them',
    ]);
  });

  it("a generated name that an app of apps' child has: both places named", async () => {
    const root = WRITTEN.replace('name: web', 'name: root');
    const files = { 'driftless/guestbook.yaml': GUESTBOOK, 'driftless/root.yaml': root };
    // The registry in force: root's render made dev-guestbook its child.
    const inForce = registryOf({ 'driftless/root.yaml': root });
    const child = { ...inForce.apps[0], name: 'dev-guestbook', parent: 'root', definedIn: { file: 'apps/root/children.yaml', line: 3 } };
    const previous: Registry = { ...inForce, apps: [...inForce.apps, child] };
    expect(await problemsOf(files, previous)).toEqual([
      'driftless/guestbook.yaml:1: ApplicationSet/guestbook: template.metadata.name: Application "dev-guestbook" is a child of root (rendered from apps/root/children.yaml:3) and generated by ApplicationSet guestbook (driftless/guestbook.yaml:1); rename one of them',
    ]);
  });

  it('two sets generating one name: both sets named', async () => {
    const other = GUESTBOOK.replace('name: guestbook\n', 'name: guestbook-dev\n').replace(/ {10}- cluster: prod-eu\n {12}env: production\n/, '');
    expect(await problemsOf({ 'driftless/a.yaml': GUESTBOOK, 'driftless/b.yaml': `# dev only\n\n${other}` })).toEqual([
      'driftless/b.yaml:3: ApplicationSet/guestbook-dev: template.metadata.name: Application "dev-guestbook" is generated by ApplicationSet guestbook (driftless/a.yaml:1) and by ApplicationSet guestbook-dev (driftless/b.yaml:3); rename one of them',
    ]);
  });

  it('two sets of one name: the usual "also defined in"', () => {
    expect(() => registryOf({ 'driftless/a.yaml': GUESTBOOK, 'driftless/b.yaml': GUESTBOOK })).toThrow(
      'driftless/b.yaml:4: ApplicationSet/guestbook: metadata.name: ApplicationSet "guestbook" is also defined in driftless/a.yaml:1; keep one of them',
    );
  });

  it('an ApplicationSet of our own kind is read too', () => {
    const ours = GUESTBOOK.replace('argoproj.io/v1alpha1', 'driftless.io/v1alpha1');
    expect(registryOf({ 'driftless/guestbook.yaml': ours }).applicationSets?.map((set) => set.source)).toEqual(['ours']);
  });
});

describe('applicationsSync against the apps in force', () => {
  it('create-only keeps an app in force as it was, and one the set no longer generates', async () => {
    const before = await expand({ 'driftless/guestbook.yaml': GUESTBOOK });
    const changed = GUESTBOOK.replace('  template:\n', '  syncPolicy:\n    applicationsSync: create-only\n  template:\n')
      .replace('namespace: guestbook', 'namespace: guestbook-v2')
      .replace(/ {10}- cluster: prod-eu\n {12}env: production\n/, '          - cluster: prod-us\n            env: production\n');
    const after = await expand({ 'driftless/guestbook.yaml': changed }, before);
    expect(after.apps.map((candidate) => candidate.name)).toEqual(['dev-guestbook', 'prod-us-guestbook', 'prod-eu-guestbook']);
    expect(app(after, 'dev-guestbook')).toEqual(app(before, 'dev-guestbook'));
    expect(app(after, 'prod-eu-guestbook')).toEqual(app(before, 'prod-eu-guestbook'));
    expect(app(after, 'prod-us-guestbook').destinations).toEqual([{ cluster: 'prod-us', namespace: 'guestbook-v2' }]);
  });

  it("a deleted set's apps leave whatever its policy (Argo CD's owner references delete them)", async () => {
    const createOnly = GUESTBOOK.replace('  template:\n', '  syncPolicy:\n    applicationsSync: create-only\n  template:\n');
    const before = await expand({ 'driftless/guestbook.yaml': createOnly, 'driftless/web.yaml': WRITTEN });
    const after = await expand({ 'driftless/web.yaml': WRITTEN }, before);
    expect(after.apps.map((candidate) => candidate.name)).toEqual(['web']);
  });

  it('sync (the default) updates and drops', async () => {
    const before = await expand({ 'driftless/guestbook.yaml': GUESTBOOK });
    const changed = GUESTBOOK.replace('namespace: guestbook', 'namespace: guestbook-v2').replace(/ {10}- cluster: prod-eu\n {12}env: production\n/, '');
    const after = await expand({ 'driftless/guestbook.yaml': changed }, before);
    expect(after.apps.map((candidate) => [candidate.name, candidate.destinations])).toEqual([
      ['dev-guestbook', [{ cluster: 'dev', namespace: 'guestbook-v2' }]],
    ]);
  });
});
