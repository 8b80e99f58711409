// validateApplicationSet: what the registry keeps of a set, and every problem at its line.
import { describe, expect, it } from 'vitest';
import { isApplicationSetDocument } from '../../shared/appset/schema.ts';
import { problemsOf, setFrom } from './helpers.ts';

const TEMPLATE = `  template:
    metadata: {name: '{{name}}'}
    spec:
      project: default
      source: {repoURL: 'https://example.com/r.git', path: apps}
      destination: {name: '{{name}}', namespace: default}`;

function argoSet(spec: string, metadata = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: web${metadata}
spec:
${spec}
${TEMPLATE}
`;
}

const STEPS = `  generators:
  - clusters: {}
  strategy:
    type: RollingSync
    rollingSync:
      steps:
        - matchExpressions:
            - key: env
              operator: In
              values: [dev]
        - matchExpressions:
            - key: env
              operator: In
              values: [prod]
          maxUpdate: 25%`;

describe('validateApplicationSet', () => {
  it('tells ApplicationSets of both kinds from other documents', () => {
    expect(isApplicationSetDocument({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet' })).toBe(true);
    expect(isApplicationSetDocument({ apiVersion: 'driftless.io/v1alpha1', kind: 'ApplicationSet' })).toBe(true);
    expect(isApplicationSetDocument({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' })).toBe(false);
    expect(isApplicationSetDocument(null)).toBe(false);
  });

  it('defaults the sync policy as Argo CD does (sync, resources deleted) and reads no strategy as all at once', () => {
    const set = setFrom(argoSet('  generators:\n  - clusters: {}'));
    expect(set).toMatchObject({
      name: 'web',
      source: 'argo',
      goTemplate: false,
      goTemplateOptions: [],
      applicationsSync: 'sync',
      preserveResourcesOnDeletion: false,
    });
    expect(set.strategy).toBeUndefined();
    expect(set.definedIn).toEqual({ file: 'driftless/appset.yaml', line: 1 });
  });

  it("reads a RollingSync strategy, with soak and alarm gates from annotations on Argo CD's kind", () => {
    const set = setFrom(
      argoSet(
        STEPS,
        `
  annotations:
    driftless.io/rollout-soak.1: 10m
    driftless.io/rollout-alarms.1: 'web-5xx, web-latency'`,
      ),
    );
    expect(set.strategy).toEqual({
      type: 'RollingSync',
      steps: [
        { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }], soakMs: 600_000, alarms: ['web-5xx', 'web-latency'] },
        { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }], maxUpdate: '25%' },
      ],
    });
  });

  it('reads soak and alarms on the steps of our kind', () => {
    const set = setFrom(`apiVersion: driftless.io/v1alpha1
kind: ApplicationSet
metadata: {name: web}
spec:
  generators:
  - clusters: {}
  strategy:
    type: RollingSync
    rollingSync:
      steps:
        - matchExpressions: [{key: env, operator: In, values: [dev]}]
          soak: 90s
          alarms: [web-5xx]
        - matchExpressions: [{key: env, operator: NotIn, values: [dev]}]
          maxUpdate: 1
${TEMPLATE}
`);
    expect(set.source).toBe('ours');
    expect(set.strategy?.steps).toEqual([
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }], soakMs: 90_000, alarms: ['web-5xx'] },
      { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }], maxUpdate: 1 },
    ]);
  });

  it('refuses a gate annotation for a step that does not exist, at its line', () => {
    expect(problemsOf(argoSet(STEPS, `\n  annotations:\n    driftless.io/rollout-soak.3: 10m`))).toEqual([
      'driftless/appset.yaml:6: ApplicationSet/web: metadata.annotations.driftless.io/rollout-soak.3: must end in a step number from 1 to 2 (the RollingSync steps, counted from 1)',
    ]);
  });

  it('refuses operators a RollingSync step does not allow, a bad maxUpdate, and RollingSync without steps', () => {
    const problems = problemsOf(
      argoSet(`  generators:
  - clusters: {}
  strategy:
    type: RollingSync
    rollingSync:
      steps:
        - matchExpressions:
            - key: env
              operator: Exists
              values: []
          maxUpdate: "2"`),
    );
    expect(problems).toEqual([
      'driftless/appset.yaml:14: ApplicationSet/web: spec.strategy.rollingSync.steps[0].matchExpressions[0].operator: must be In or NotIn (the operators Argo CD allows in a RollingSync step)',
      'driftless/appset.yaml:16: ApplicationSet/web: spec.strategy.rollingSync.steps[0].maxUpdate: must be a count or a percentage from 0% to 100%',
    ]);
    expect(problemsOf(argoSet('  generators:\n  - clusters: {}\n  strategy:\n    type: RollingSync'))).toEqual([
      "driftless/appset.yaml:8: ApplicationSet/web: spec.strategy.rollingSync.steps: RollingSync needs at least one step (matchExpressions on the generated apps' labels)",
    ]);
  });

  it.each([
    ['scmProvider', "it needs a Git hosting service's API"],
    ['pullRequest', 'polled for open pull requests'],
    ['clusterDecisionResource', 'use a clusters generator with a selector'],
    ['plugin', 'an HTTP plugin service'],
  ])('refuses the %s generator, saying what it needs and what to use instead', (generator, words) => {
    const problems = problemsOf(argoSet(`  generators:\n  - ${generator}: {x: 1}`));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      `driftless/appset.yaml:7: ApplicationSet/web: spec.generators[0].${generator}: the ${generator} generator is not supported: `,
    );
    expect(problems[0]).toContain(words);
  });

  it('refuses a misspelt generator and an entry with two generators', () => {
    expect(problemsOf(argoSet('  generators:\n  - cluster: {}'))).toEqual([
      'driftless/appset.yaml:7: ApplicationSet/web: spec.generators[0].cluster: unknown field (misspelt? fields are case-sensitive)',
    ]);
    expect(problemsOf(argoSet('  generators:\n  - clusters: {}\n    list: {elements: [{name: a}]}'))).toEqual([
      'driftless/appset.yaml:7: ApplicationSet/web: spec.generators[0]: sets list and clusters: one generator per entry (combine them with matrix or merge)',
    ]);
  });

  it('refuses a matrix of other than two generators and a git generator with both directories and files', () => {
    expect(problemsOf(argoSet('  generators:\n  - matrix:\n      generators:\n      - clusters: {}'))).toEqual([
      'driftless/appset.yaml:8: ApplicationSet/web: spec.generators[0].matrix.generators: a matrix combines exactly two generators',
    ]);
    const git = `  generators:
  - git:
      repoURL: https://example.com/r.git
      revision: HEAD
      directories: [{path: 'apps/*'}]
      files: [{path: 'apps/*/config.json'}]`;
    expect(problemsOf(argoSet(git))).toEqual([
      'driftless/appset.yaml:7: ApplicationSet/web: spec.generators[0].git: set exactly one of directories or files (a list of path patterns)',
    ]);
  });

  it('refuses a matrix or merge nested more than once, as Argo CD does', () => {
    const nested = `  generators:
  - matrix:
      generators:
      - matrix:
          generators:
          - matrix:
              generators:
              - list: {elements: [{name: a}]}
              - list: {elements: [{name: b}]}
          - clusters: {}
      - clusters: {}`;
    expect(problemsOf(argoSet(nested))).toEqual([
      'driftless/appset.yaml:11: ApplicationSet/web: spec.generators[0].matrix.generators[0].matrix.generators[0].matrix: a matrix or merge may be nested only once (as Argo CD allows)',
    ]);
  });

  it('accepts the Argo CD fields it ignores (preservedFields, ignoreApplicationDifferences, applyNestedSelectors, requeueAfterSeconds)', () => {
    const set = setFrom(
      argoSet(`  preservedFields: {annotations: [note]}
  ignoreApplicationDifferences:
  - jsonPointers: [/spec/source/targetRevision]
  applyNestedSelectors: true
  syncPolicy: {preserveResourcesOnDeletion: true, applicationsSync: create-only}
  generators:
  - git: {repoURL: 'https://example.com/r.git', revision: HEAD, directories: [{path: 'apps/*'}], requeueAfterSeconds: 60}`),
    );
    expect(set).toMatchObject({ applicationsSync: 'create-only', preserveResourcesOnDeletion: true });
  });
});
