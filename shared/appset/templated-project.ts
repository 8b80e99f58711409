// The one rule of a set's project that Argo CD leaves to its admins and we enforce: a project
// templated from what a git generator reads. Those parameters come from the folders and files of
// a repository whose writers (an app team, a delegated folder) need not be the registry's; letting
// them pick the project would let them reach namespaces, clusters and kinds beyond their own
// (Argo CD's Git generator docs warn of exactly this and ask for admin-approved pull requests).
// So in a set with a git generator, `spec.project` is written out or a plain reference to
// parameters the registry's writers control (a cluster's labels, a list element): not to a git
// directory's `path…`, not to `values…` (templated with the path), and not at all beside a git
// files generator, whose files may set any parameter.
import type { FieldPath } from '../config/documents.ts';
import type { GeneratorEntry } from './generators/context.ts';
import { generatorType } from './generators/evaluate.ts';

const ACTION = /\{\{(.*?)\}\}/g;
/** `{{ name.a.b }}` (fasttemplate) or `{{ .name.a.b }}` (Go): a reference and nothing else. */
const PLAIN_REFERENCE = /^\s*\.?([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*$/;
const FROM_GIT = new Set(['path', 'values']);

/** Why the set's project (or a generator's template's) is refused, and where; undefined when it is fine. */
export function templatedProjectProblem(spec: { generators: unknown[]; template: Record<string, unknown> }): { field: FieldPath; message: string } | undefined {
  const reads = spec.generators.map(gitKind).reduce<GitKind>((all, kind) => merge(all, kind), 'none');
  if (reads === 'none') return undefined;
  const places: Array<{ field: FieldPath; project: unknown }> = [{ field: ['spec', 'template', 'spec', 'project'], project: projectOf(spec.template) }];
  for (const [index, generator] of spec.generators.entries()) {
    const type = generatorType(generator as GeneratorEntry);
    const body = (generator as GeneratorEntry)[type] as { template?: Record<string, unknown> } | undefined;
    places.push({ field: ['spec', 'generators', index, type, 'template', 'spec', 'project'], project: projectOf(body?.template) });
  }
  for (const { field, project } of places) {
    if (typeof project !== 'string' || !project.includes('{{')) continue;
    const why = reads === 'files' ? 'a git files generator may set any parameter' : refusedReference(project);
    if (why)
      return {
        field,
        message: `is templated from what a git generator reads (${why}): whoever writes that repository could pick any project; write the project out, or template it from cluster or list parameters`,
      };
  }
  return undefined;
}

type GitKind = 'none' | 'directories' | 'files';

function gitKind(generator: unknown): GitKind {
  if (typeof generator !== 'object' || generator === null) return 'none';
  const entry = generator as Record<string, unknown>;
  const git = entry.git as { files?: unknown[] } | undefined;
  if (git) return git.files && git.files.length > 0 ? 'files' : 'directories';
  const nested = (entry.matrix ?? entry.merge) as { generators?: unknown[] } | undefined;
  return (nested?.generators ?? []).map(gitKind).reduce<GitKind>((all, kind) => merge(all, kind), 'none');
}

function merge(a: GitKind, b: GitKind): GitKind {
  return a === 'files' || b === 'files' ? 'files' : a === 'directories' || b === 'directories' ? 'directories' : 'none';
}

/** The first action of `project` that is not a plain reference to a parameter outside git's, described. */
function refusedReference(project: string): string | undefined {
  for (const [, action] of project.matchAll(ACTION)) {
    const reference = PLAIN_REFERENCE.exec(action ?? '');
    if (!reference) return `{{${action}}} is more than a parameter reference`;
    if (reference[1]!.split('.').some((segment) => FROM_GIT.has(segment))) return `{{${action}}} names a git generator's parameter`;
  }
  return undefined;
}

function projectOf(template: Record<string, unknown> | undefined): unknown {
  return (template?.spec as Record<string, unknown> | undefined)?.project;
}
