// The registry's ApplicationSets → the Applications they generate, joined to the registry as if
// they were written out: each generated Application goes through the registry's own schema,
// normalisation and checks (config/validate, normaliseArgoApplication, assembleRegistry: the
// project exists and allows the repository and destination, the cluster is registered …), then
// the set's applicationsSync decides, against the set's apps in force, which version of each
// app the registry keeps (lifecycle.ts). Problems name the set's file and line and the
// generated app; a generated name that another app already has is a problem naming both places.
// Nothing is returned unless every set generated cleanly: one RegistryError lists every problem.
import { assembleRegistry, type Located } from '../config/check.ts';
import type { RegistryDocument } from '../config/documents.ts';
import { RegistryError, type RegistryProblem } from '../config/errors.ts';
import type { AppDraft } from '../config/normalise-app.ts';
import { normaliseArgoApplication } from '../config/normalise-app.ts';
import { reporter, sortProblems } from '../config/problems.ts';
import type { AppSpec, ClusterSpec, DefinedIn, ProjectSpec, Registry } from '../config/types.ts';
import { validateDocument } from '../config/validate.ts';
import { isBadInput } from '../errors/bad-input.ts';
import { carryChildren } from '../app-of-apps/family.ts';
import { resourcesFinalizer, type RegistryApp } from '../app-of-apps/types.ts';
import { setLabel } from './errors.ts';
import { generateApplications } from './generate.ts';
import type { GitFiles } from './git-files.ts';
import { applyApplicationsSync } from './lifecycle.ts';
import { recordingGitFiles } from './watch.ts';
import type { ApplicationSetSpec } from './types.ts';

export interface ExpandContext {
  /** The registry in force: each set's apps there are what its applicationsSync keeps or replaces. */
  previous?: Registry;
  /** Where git generators read directories and files. */
  git: GitFiles;
}

/**
 * `written` (a registry as parseRegistryFiles returns it: sets, no generated apps) with every
 * set's apps added; `written` itself when it has no sets. Throws RegistryError.
 */
export async function expandApplicationSets(written: Registry, context: ExpandContext): Promise<Registry> {
  const sets = written.applicationSets ?? [];
  if (sets.length === 0) return written;
  const problems: RegistryProblem[] = [];
  const clusters = written.clusters.map((cluster) => ({ spec: cluster, document: placeholder(cluster.definedIn, 'Cluster', cluster.name) }));
  const projects = written.projects.map((project) => ({ spec: project, document: placeholder(project.definedIn, 'AppProject', project.name) }));
  const owners = new Owners(written, context.previous);
  const generated: AppSpec[] = [];
  const applicationSets: ApplicationSetSpec[] = [];
  for (const declared of sets) {
    const recording = recordingGitFiles(context.git, declared);
    const apps = await setApps(declared, written.clusters, clusters, projects, { ...context, git: recording.git }, problems);
    const watches = recording.watches();
    const set = watches.length > 0 ? { ...declared, watches } : declared;
    applicationSets.push(set);
    if (!apps) continue;
    for (const app of apps) {
      const clash = owners.claim(app.name, set);
      if (clash) problems.push({ ...setProblemAt(set), field: 'template.metadata.name', message: clash });
      else generated.push(app);
    }
  }
  if (problems.length > 0) throw new RegistryError(sortProblems(problems));
  return { ...written, apps: [...written.apps, ...generated], applicationSets };
}

/** The set's apps from now on (applicationsSync applied), or undefined after a problem. */
async function setApps(
  set: ApplicationSetSpec,
  registeredClusters: ClusterSpec[],
  clusters: Array<Located<ClusterSpec>>,
  projects: Array<Located<ProjectSpec>>,
  context: ExpandContext,
  problems: RegistryProblem[],
): Promise<AppSpec[] | undefined> {
  let objects: Array<{ name: string; object: Record<string, unknown> }>;
  try {
    objects = await generateApplications(set, { clusters: registeredClusters, git: context.git });
  } catch (error) {
    if (!isBadInput(error)) throw error;
    problems.push({ ...setProblemAt(set), message: withoutSetLabel(set, (error as Error).message) });
    return undefined;
  }
  const inForce = (context.previous?.apps ?? []).filter((app) => app.applicationSet === set.name);
  const own: RegistryProblem[] = [];
  const drafts: Array<{ draft: AppDraft; object: Record<string, unknown> }> = [];
  for (const { object } of objects) {
    const document = generatedDocument(set, object);
    const valid = validateDocument(document, own);
    if (!valid) continue;
    if (valid.source !== 'argo' || valid.kind !== 'Application') {
      reporter(document, own)([], `the template must make an argoproj.io/v1alpha1 Application, not ${valid.kind}`);
      continue;
    }
    drafts.push({ draft: normaliseArgoApplication(valid.value, document, reporter(document, own)), object });
  }
  // The policy first: an app it keeps as in force is not checked again (Argo CD would not touch it).
  const policy = applyApplicationsSync<Candidate>(
    set.applicationsSync,
    inForce.map((app) => ({ name: app.name, kept: app })),
    drafts.map((entry) => ({ name: entry.draft.app.name, entry })),
  );
  const fresh = policy.apps.flatMap((item) => ('entry' in item ? [item.entry] : []));
  const assembled = assembleRegistry(
    fresh.map(({ draft }) => draft),
    clusters,
    projects,
    own,
  );
  problems.push(...own.map((problem) => ({ ...problem, object: `${problem.object ?? 'Application'} generated by ApplicationSet/${set.name}` })));
  if (own.length > 0) return undefined;
  const objectOf = new Map(fresh.map(({ draft, object }) => [draft.app.name, object]));
  const checked = new Map(assembled.apps.map((app) => [app.name, app]));
  return policy.apps.map((item): AppSpec => {
    if ('kept' in item) return item.kept;
    const app = checked.get(item.name) as AppSpec;
    const object = objectOf.get(item.name) ?? {};
    const finalizer = resourcesFinalizer((object.metadata as { finalizers?: unknown } | undefined)?.finalizers);
    const generatedApp: RegistryApp = { ...app, applicationSet: set.name, ...(finalizer ? { finalizer } : {}) };
    return generatedApp;
  });
}

const GENERATED = 'generated by';

/** An app of the set as the policy weighs it: its version in force, or the one generated now. */
type Candidate = { name: string; kept: AppSpec } | { name: string; entry: { draft: AppDraft; object: Record<string, unknown> } };

/**
 * Who holds each app name: the apps written out, the children of apps of apps the push keeps,
 * and the sets claimed so far; a clash is said naming both places.
 */
class Owners {
  private readonly holders = new Map<string, string>();

  constructor(written: Registry, previous: Registry | undefined) {
    for (const app of written.apps) this.holders.set(app.name, `written out in ${where(app.definedIn)}`);
    // Children of parents the push keeps stay in the registry (refresh-registry carries them).
    for (const app of carryChildren(previous, written).apps as RegistryApp[]) {
      if (app.parent !== undefined && !this.holders.has(app.name))
        this.holders.set(app.name, `a child of ${app.parent} (rendered from ${where(app.definedIn)})`);
    }
  }

  /** Undefined when `name` is free (it is now the set's), else the problem. */
  claim(name: string, set: ApplicationSetSpec): string | undefined {
    const holder = this.holders.get(name);
    const by = `ApplicationSet ${set.name} (${where(set.definedIn)})`;
    if (holder) return `Application "${name}" is ${holder} and ${holder.startsWith(GENERATED) ? 'by' : `${GENERATED}`} ${by}; rename one of them`;
    this.holders.set(name, `${GENERATED} ${by}`);
    return undefined;
  }
}

/** A generated Application as a registry document: its problems point at the set's declaration. */
function generatedDocument(set: ApplicationSetSpec, object: Record<string, unknown>): RegistryDocument {
  const line = set.definedIn.line ?? 1;
  return { file: set.definedIn.file, index: 1, line, value: object, lineOf: () => line };
}

/** An entry already in the registry stands for its document when the checks name it. */
function placeholder(definedIn: DefinedIn, kind: string, name: string): RegistryDocument {
  const line = definedIn.line ?? 1;
  return { file: definedIn.file, index: 1, line, value: { kind, metadata: { name } }, lineOf: () => line };
}

function setProblemAt(set: ApplicationSetSpec): RegistryProblem {
  return { file: set.definedIn.file, line: set.definedIn.line, object: `ApplicationSet/${set.name}`, message: '' };
}

/** The problem's own `file:line: ApplicationSet/x:` prefix says what the error's message starts with. */
function withoutSetLabel(set: ApplicationSetSpec, message: string): string {
  const label = `${setLabel(set)}: `;
  return message.startsWith(label) ? message.slice(label.length) : message;
}

function where(definedIn: DefinedIn): string {
  return definedIn.line === undefined ? definedIn.file : `${definedIn.file}:${definedIn.line}`;
}
