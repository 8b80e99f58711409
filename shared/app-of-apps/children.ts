// A parent's child documents → registry entries, through the registry's own schemas and
// checks (config/validate, normalise, assembleRegistry), as if they were written under
// driftless/. Problems name the parent's file and line the render came from. On top of the
// registry's checks: a child may not share its name with another app, nor be one of its own
// ancestors (a cycle), and both places are named.
import { assembleRegistry, type Located } from '../config/check.ts';
import type { RegistryDocument } from '../config/documents.ts';
import type { RegistryProblem } from '../config/errors.ts';
import type { AppDraft } from '../config/normalise-app.ts';
import { normaliseArgoApplication } from '../config/normalise-app.ts';
import { normaliseProject } from '../config/normalise-project.ts';
import { reporter, sortProblems } from '../config/problems.ts';
import type { ClusterSpec, DefinedIn, ProjectSpec, Registry } from '../config/types.ts';
import type { ApplicationSetSpec } from '../appset/types.ts';
import { validateDocument } from '../config/validate.ts';
import type { RenderedObject } from '../render/types.ts';
import { ANNOTATIONS } from '../sync/annotations.ts';
import { ChildrenError } from './errors.ts';
import { ancestorsOf, resourcesFinalizer, type RegistryApp, type RegistryProject } from './types.ts';

export interface Children {
  apps: RegistryApp[];
  projects: RegistryProject[];
  /** The ApplicationSets the render holds (set-children.ts), each naming the parent; absent: none. */
  applicationSets?: ApplicationSetSpec[];
}

/**
 * The children `parent` declares, checked against `registry` (the one in force, whose entries
 * from an earlier render of this parent are replaced, not clashed with). Throws ChildrenError
 * listing every problem; `applicationSets` are refused: childrenWithSets (set-children.ts) generates them first.
 */
export function childrenOf(parent: string, rendered: RenderedObject[], applicationSets: RenderedObject[], registry: Registry): Children {
  const problems: RegistryProblem[] = [];
  for (const set of applicationSets) {
    reporter(documentOf(set), problems)([], `ApplicationSet in the render of ${parent} is generated only at the parent's sync (set-children.ts), not here`);
  }
  const drafts: Array<{ draft: AppDraft; object: RenderedObject }> = [];
  const projects: Array<Located<ProjectSpec>> = [];
  for (const object of rendered) {
    const document = documentOf(object);
    const valid = validateDocument(document, problems);
    if (!valid) continue;
    if (valid.source === 'argo' && valid.kind === 'Application')
      drafts.push({ draft: normaliseArgoApplication(valid.value, document, reporter(document, problems)), object });
    else if (valid.kind === 'AppProject' || valid.kind === 'Project') projects.push({ spec: normaliseProject(valid.value, document), document });
  }
  // Entries this parent declared before are about to be replaced; everything else stays as it is.
  const others = {
    apps: registry.apps.filter((app) => (app as RegistryApp).parent !== parent),
    projects: registry.projects.filter((project) => (project as RegistryProject).parent !== parent),
  };
  const existingProjects = others.projects.map((project) => ({ spec: project, document: placeholder(project.definedIn, 'AppProject', project.name) }));
  const clusters: Array<Located<ClusterSpec>> = registry.clusters.map((cluster) => ({
    spec: cluster,
    document: placeholder(cluster.definedIn, 'Cluster', cluster.name),
  }));
  const assembled = assembleRegistry(
    drafts.map(({ draft }) => draft),
    clusters,
    [...existingProjects, ...projects],
    problems,
  );
  const ancestors = ancestorsOf(registry, parent);
  const parentApp = registry.apps.find((app) => app.name === parent);
  for (const { draft } of drafts) {
    const report = reporter(draft.document, problems);
    const name = draft.app.name;
    const loop = name === parent ? parentApp : ancestors.find((app) => app.name === name);
    if (loop) {
      report(
        ['metadata', 'name'],
        `Application "${name}" would be its own ${loop.name === parent ? 'child' : 'descendant'} (a cycle): it is defined in ${where(loop.definedIn)} and ${parent} renders it again`,
      );
      continue;
    }
    const clash = others.apps.find((app) => app.name === name);
    if (clash)
      report(
        ['metadata', 'name'],
        `Application "${name}" is also defined in ${where(clash.definedIn)}${(clash as RegistryApp).parent ? ` (a child of ${(clash as RegistryApp).parent})` : ''}; rename one of them`,
      );
  }
  if (problems.length > 0) throw new ChildrenError(parent, sortProblems(problems));

  const objects = new Map(drafts.map(({ draft, object }) => [draft.app.name, object]));
  const apps = assembled.apps.map((app): RegistryApp => {
    const metadata = (objects.get(app.name)?.object.metadata ?? {}) as { annotations?: Record<string, string>; finalizers?: unknown };
    const finalizer = resourcesFinalizer(metadata.finalizers);
    const wave = waveAnnotation(metadata.annotations?.[ANNOTATIONS.argoSyncWave]);
    return { ...app, parent, ...(wave !== 0 ? { wave } : {}), ...(finalizer ? { finalizer } : {}) };
  });
  const childProjects = assembled.projects
    .filter((project) => projects.some((located) => located.spec === project))
    .map((project): RegistryProject => ({ ...project, parent }));
  return { apps, projects: childProjects };
}

/** Argo CD reads a wave as an integer and a malformed one as 0. */
function waveAnnotation(value: string | undefined): number {
  if (value === undefined) return 0;
  const wave = Number.parseInt(value.trim(), 10);
  return Number.isFinite(wave) && String(wave) === value.trim() ? wave : 0;
}

/** A rendered object as a registry document: its problems point at the render's source location. */
function documentOf(rendered: RenderedObject): RegistryDocument {
  const line = rendered.source.line ?? 1;
  return { file: rendered.source.file, index: rendered.source.document, line, value: structuredClone(rendered.object), lineOf: () => line };
}

/** An entry already in the registry stands for its document when the checks name it. */
function placeholder(definedIn: DefinedIn, kind: string, name: string): RegistryDocument {
  const line = definedIn.line ?? 1;
  return { file: definedIn.file, index: 1, line, value: { kind, metadata: { name } }, lineOf: () => line };
}

function where(definedIn: DefinedIn): string {
  return definedIn.line === undefined ? definedIn.file : `${definedIn.file}:${definedIn.line}`;
}
