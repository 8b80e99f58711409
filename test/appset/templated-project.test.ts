// A project templated from what a git generator reads is refused: the writers of that repository
// could otherwise pick any project (Argo CD's Git generator docs warn of this; we refuse it).
// Written out, or from cluster and list parameters (Argo CD's own matrix example templates it
// from a cluster label beside a git directories generator), it is fine.
import { expect, it } from 'vitest';
import { problemsOf, setFrom } from './helpers.ts';

const set = (generators: string, project: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: teams
spec:
  generators:
${generators}
  template:
    metadata:
      name: '{{path.basename}}'
    spec:
      project: ${project}
      source: { repoURL: https://github.com/acme/teams.git, targetRevision: main, path: '{{path}}' }
      destination: { name: prod, namespace: '{{path.basename}}' }
`;

/** `text` with `by` more spaces on every line. */
const indent = (text: string, by: number) => text.replace(/^/gm, ' '.repeat(by));

const GIT = `    - git:
        repoURL: https://github.com/acme/teams.git
        revision: main
        directories: [{ path: 'teams/*' }]`;

it("refuses a project templated from a git directory's path, at the project line", () => {
  expect(problemsOf(set(GIT, "'{{path.basename}}'"))).toEqual([
    expect.stringMatching(
      /^driftless\/appset\.yaml:15: .*spec\.template\.spec\.project: is templated from what a git generator reads \(\{\{path\.basename\}\} names a git generator's parameter\): whoever writes that repository could pick any project/,
    ),
  ]);
});

it('refuses any templated project beside a git files generator, and Go actions that are more than a reference', () => {
  const files = GIT.replace("directories: [{ path: 'teams/*' }]", "files: [{ path: 'teams/*/team.json' }]");
  expect(problemsOf(set(files, "'{{team}}'"))).toEqual([expect.stringContaining('a git files generator may set any parameter')]);
  expect(problemsOf(set(GIT, '\'{{ index . "path" }}\''))).toEqual([expect.stringContaining('is more than a parameter reference')]);
});

it("accepts a project from a cluster label beside a git directories generator (Argo CD's matrix example)", () => {
  const matrix = `    - matrix:
        generators:
          - clusters: {}
${indent(GIT, 6)}`;
  expect(setFrom(set(matrix, "'{{metadata.labels.environment}}'")).name).toBe('teams');
});

it('refuses it inside a matrix with a git child too', () => {
  const matrix = `    - matrix:
        generators:
          - list: { elements: [{ team: a }] }
${indent(GIT, 6)}`;
  expect(problemsOf(set(matrix, "'{{path[0]}}'"))).toEqual([expect.stringContaining('{{path[0]}} is more than a parameter reference')]);
});

it('accepts a written-out project with a git generator, and a templated one without git', () => {
  expect(setFrom(set(GIT, 'teams')).name).toBe('teams');
  expect(setFrom(set('    - list: { elements: [{ project: a }] }', "'{{project}}'")).name).toBe('teams');
});
