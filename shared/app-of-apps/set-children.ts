// An app of apps whose render holds ApplicationSets: each set is read with the registry's
// schema (shared/appset/schema.ts) and generated (generateApplications) at the parent's sync,
// and the Applications it generates are the parent's children like the ones it renders
// written out: the same checks (childrenOf: projects, clusters, clashes, cycles), a wave from
// their sync-wave annotation, their finalizer. Each records its set; the set's
// applicationsSync decides, against the set's children in force, what is created, updated and
// kept (lifecycle.ts). The sets are the parent's too (ApplicationSetSpec.parent): stored with
// its children and replaced by its next render.
// A child a set no longer generates leaves as the set says (worker/adopt-children.ts:
// preserveResourcesOnDeletion keeps its resources). Not followed here (a set under driftless/
// has it): re-evaluation on a push to what its git generators read; they are read again at each
// of the parent's syncs.
import type { RegistryDocument } from '../config/documents.ts';
import type { RegistryProblem } from '../config/errors.ts';
import { reporter, sortProblems } from '../config/problems.ts';
import type { DefinedIn, Registry } from '../config/types.ts';
import { isBadInput } from '../errors/bad-input.ts';
import type { KubeObject } from '../kube/object.ts';
import type { RenderedObject } from '../render/types.ts';
import { setLabel } from '../appset/errors.ts';
import { generateApplications } from '../appset/generate.ts';
import type { GitFiles } from '../appset/git-files.ts';
import { applyApplicationsSync } from '../appset/lifecycle.ts';
import { validateApplicationSet } from '../appset/schema.ts';
import type { ApplicationSetSpec } from '../appset/types.ts';
import { childrenOf, type Children } from './children.ts';
import { ChildrenError } from './errors.ts';
import type { RegistryApp } from './types.ts';

/** childrenOf with the render's ApplicationSets generated into children. Throws ChildrenError. */
export async function childrenWithSets(
  parent: string,
  rendered: RenderedObject[],
  applicationSets: RenderedObject[],
  registry: Registry,
  git: GitFiles,
): Promise<Children> {
  if (applicationSets.length === 0) return childrenOf(parent, rendered, [], registry);
  const problems: RegistryProblem[] = [];
  const sets: ApplicationSetSpec[] = [];
  const others = new Map((registry.applicationSets ?? []).filter((set) => set.parent !== parent).map((set) => [set.name, set]));
  for (const object of applicationSets) {
    const document = documentOf(object);
    const report = reporter(document, problems);
    const set = validateApplicationSet(document, report);
    if (!set) continue;
    const clash = others.get(set.name) ?? sets.find((earlier) => earlier.name === set.name);
    if (clash)
      report(
        ['metadata', 'name'],
        `ApplicationSet "${set.name}" is also defined in ${where(clash.definedIn)}${clash.parent ? ` (rendered by ${clash.parent})` : ''}; rename one of them`,
      );
    else sets.push({ ...set, parent });
  }
  // Each generated Application is a child document at its set's place in the render.
  const generated = new Map<string, string>();
  const documents: RenderedObject[] = [];
  for (const [index, set] of sets.entries()) {
    const at = applicationSets.find((object) => object.object.metadata?.name === set.name) ?? applicationSets[index];
    try {
      for (const { name, object } of await generateApplications(set, { clusters: registry.clusters, git })) {
        generated.set(name, set.name);
        documents.push({ object: object as unknown as KubeObject, source: at.source });
      }
    } catch (error) {
      if (!isBadInput(error)) throw error;
      const label = `${setLabel(set)}: `;
      const message = (error as Error).message;
      reporter(documentOf(at), problems)([], message.startsWith(label) ? message.slice(label.length) : message);
    }
  }
  if (problems.length > 0) throw new ChildrenError(parent, sortProblems(problems));
  const children = childrenOf(parent, [...rendered, ...documents], [], registry);
  const own = children.apps.filter((app) => !generated.has(app.name));
  const setApps = sets.flatMap((set) => {
    const inForce = registry.apps.filter((app) => (app as RegistryApp).parent === parent && app.applicationSet === set.name);
    const fresh = children.apps.filter((app) => generated.get(app.name) === set.name).map((app): RegistryApp => ({ ...app, applicationSet: set.name }));
    return applyApplicationsSync(set.applicationsSync, inForce as RegistryApp[], fresh).apps;
  });
  return { ...children, apps: [...own, ...setApps], applicationSets: sets };
}

/** A rendered object as a registry document: its problems point at the render's source location. */
function documentOf(rendered: RenderedObject): RegistryDocument {
  const line = rendered.source.line ?? 1;
  return { file: rendered.source.file, index: rendered.source.document, line, value: structuredClone(rendered.object), lineOf: () => line };
}

function where(definedIn: DefinedIn): string {
  return definedIn.line === undefined ? definedIn.file : `${definedIn.file}:${definedIn.line}`;
}
