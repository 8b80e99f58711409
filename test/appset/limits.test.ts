// One ApplicationSet generates at most MAX_PARAMETER_SETS (20,000) Applications: a matrix whose
// product is larger is refused before the product is built, and so are generators whose sum is;
// 10,000 (the fleet the engine is built for) is not.
import { expect, it } from 'vitest';
import { generateApplications } from '../../shared/appset/generate.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { noGit, setFrom } from './helpers.ts';

const elements = (prefix: string, count: number) => `[${Array.from({ length: count }, (_, index) => `{ ${prefix}: "${prefix}${index}" }`).join(', ')}]`;

const set = (generators: string) =>
  setFrom(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: big }
spec:
  generators:
${generators}
  template:
    metadata: { name: 'app-{{a}}-{{b}}' }
    spec:
      project: default
      source: { repoURL: https://github.com/acme/apps.git, path: apps }
      destination: { name: prod, namespace: apps }
`);

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

it('refuses a matrix of 200 × 200 list elements (40,000) as bad input naming the generator', async () => {
  const matrix = `    - matrix:
        generators:
          - list: { elements: ${elements('a', 200)} }
          - list: { elements: ${elements('b', 200)} }`;
  const error = await refusal(generateApplications(set(matrix), { clusters: [], git: noGit }));
  expect(error && isBadInput(error)).toBe(true);
  expect(error?.message).toMatch(/generators\[0\] \(matrix\).*generates 40000 parameter sets, more than the 20000 one ApplicationSet may have/);
});

it('refuses generators whose sum is over the limit, and generates 10,000 from a 100 × 100 matrix', async () => {
  const two = `    - list: { elements: ${elements('a', 15_000).replace(/\{ a: "(a\d+)" \}/g, '{ a: "$1", b: "x" }')} }
    - list: { elements: ${elements('b', 6_000).replace(/\{ b: "(b\d+)" \}/g, '{ a: "y", b: "$1" }')} }`;
  const error = await refusal(generateApplications(set(two), { clusters: [], git: noGit }));
  expect(error?.message).toMatch(/generators: generates 21000 parameter sets/);
  const matrix = `    - matrix:
        generators:
          - list: { elements: ${elements('a', 100)} }
          - list: { elements: ${elements('b', 100)} }`;
  expect(await generateApplications(set(matrix), { clusters: [], git: noGit })).toHaveLength(10_000);
});
