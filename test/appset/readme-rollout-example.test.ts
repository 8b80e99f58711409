// The README's worked rollout example is a registry that loads: its two YAML documents, with the
// other two clusters it mentions, generate the three apps the text names, with the steps and
// gates it describes (expected values from the README's own words and Argo CD's clusters
// generator rules, not from this code).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { expandApplicationSets } from '../../shared/appset/expand.ts';
import { parseRegistryFiles } from '../../shared/config/load.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function workedExample(): string {
  const section = readme.slice(readme.indexOf('### A worked example: dev → staging → prod'));
  const start = section.indexOf('```yaml\n') + '```yaml\n'.length;
  return section.slice(start, section.indexOf('```\n', start));
}

const cluster = (name: string) =>
  `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: ${name}\n  labels: { env: ${name} }\nspec:\n  eks: { clusterName: ${name}, region: eu-west-1 }\n`;

it('the README worked example generates guestbook-dev, -staging and -prod with three RollingSync steps and their gates', async () => {
  const written = parseRegistryFiles([
    { file: 'driftless/example.yaml', text: workedExample() },
    { file: 'driftless/more-clusters.yaml', text: `${cluster('dev')}---\n${cluster('prod')}` },
  ]);
  const registry = await expandApplicationSets(written, {
    git: { directories: () => Promise.reject(new Error('no git')), files: () => Promise.reject(new Error('no git')) },
  });
  const apps = registry.apps.map((app) => ({ name: app.name, set: app.applicationSet, env: app.labels?.env, cluster: app.destinations[0]?.cluster }));
  expect(apps.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
    { name: 'guestbook-dev', set: 'guestbook', env: 'dev', cluster: 'dev' },
    { name: 'guestbook-prod', set: 'guestbook', env: 'prod', cluster: 'prod' },
    { name: 'guestbook-staging', set: 'guestbook', env: 'staging', cluster: 'staging' },
  ]);
  const steps = registry.applicationSets?.[0]?.strategy?.steps ?? [];
  expect(steps.map((step) => step.matchExpressions.map((expression) => expression.values).flat())).toEqual([['dev'], ['staging'], ['prod']]);
  // "dev stays Healthy 10 minutes" and "staging's alarm is OK before prod".
  expect(steps.map((step) => ({ soakMs: step.soakMs, alarms: step.alarms }))).toEqual([
    { soakMs: 10 * 60_000, alarms: undefined },
    { soakMs: undefined, alarms: ['guestbook-staging-5xx'] },
    { soakMs: undefined, alarms: undefined },
  ]);
});
