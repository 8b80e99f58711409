// Builders for the ApplicationSet tests: a set from the YAML a user would write (through the
// registry's document parser and validateApplicationSet, so line numbers are real), Clusters
// as the registry holds them, and a GitFiles that refuses to be used.
import { parseRegistryFile } from '../../shared/config/documents.ts';
import { formatProblem, type RegistryProblem } from '../../shared/config/errors.ts';
import { reporter } from '../../shared/config/problems.ts';
import type { ClusterSpec } from '../../shared/config/types.ts';
import type { GitFiles } from '../../shared/appset/git-files.ts';
import { validateApplicationSet } from '../../shared/appset/schema.ts';
import type { ApplicationSetSpec } from '../../shared/appset/types.ts';

export function validate(yaml: string, file = 'driftless/appset.yaml'): { set?: ApplicationSetSpec; problems: RegistryProblem[] } {
  const parsed = parseRegistryFile(file, yaml);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const problems: RegistryProblem[] = [];
  const set = validateApplicationSet(parsed.documents[0], reporter(parsed.documents[0], problems));
  return { set, problems };
}

/** The set the YAML declares; fails the test with the problems otherwise. */
export function setFrom(yaml: string, file?: string): ApplicationSetSpec {
  const { set, problems } = validate(yaml, file);
  if (!set) throw new Error(`expected a valid ApplicationSet:\n${problems.map(formatProblem).join('\n')}`);
  return set;
}

/** Problems as `file:line: object: field: message`. */
export function problemsOf(yaml: string): string[] {
  return validate(yaml).problems.map(formatProblem);
}

export function cluster(name: string, labels: Record<string, string> = {}, extra: Partial<ClusterSpec> = {}): ClusterSpec {
  return { name, labels, kubeconfig: { context: name }, definedIn: { file: `driftless/clusters/${name}.yaml`, line: 1 }, ...extra };
}

export const noGit: GitFiles = {
  directories: () => Promise.reject(new Error('this test reads no Git repository')),
  files: () => Promise.reject(new Error('this test reads no Git repository')),
};

/** Application name → object, for assertions that do not depend on order. */
export function byName(apps: Array<{ name: string; object: Record<string, unknown> }>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(apps.map((app) => [app.name, app.object]));
}
