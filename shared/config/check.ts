// The checks that need the whole registry: unique names, destinations resolved to registered
// clusters, and every app inside what its project allows (Argo CD's AppProject rules: globs,
// `!` to deny, the built-in `default` project allowing everything unless redefined). What the
// app deploys is checked against the same project at sync time (shared/project/).
import { InvalidRepoURLError } from '../github/errors.ts';
import { destinationPermitted, globMatch } from '../project/destinations.ts';
import type { RegistryDocument } from './documents.ts';
import type { RegistryProblem } from './errors.ts';
import type { AppDraft, DestinationRef } from './normalise-app.ts';
import { normaliseServer } from './normalise-cluster.ts';
import { DEFAULT_PROJECT } from './normalise-project.ts';
import { reporter } from './problems.ts';
import { repoURLForms } from './repo-url.ts';
import type { AppDestination, AppSource, AppSpec, ClusterSpec, ProjectSpec, Registry } from './types.ts';
import { appSources, isChartSource } from './app-sources.ts';
import { chartRepoForms, chartRepository } from './chart-repo-url.ts';

const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

export interface Located<T> {
  spec: T;
  document: RegistryDocument;
}

export function assembleRegistry(
  apps: AppDraft[],
  clusters: Array<Located<ClusterSpec>>,
  projects: Array<Located<ProjectSpec>>,
  problems: RegistryProblem[],
): Registry {
  const uniqueApps = unique(
    apps.map((draft) => ({ spec: draft.app, document: draft.document, draft })),
    'Application',
    problems,
  );
  const uniqueClusters = unique(clusters, 'Cluster', problems).map((item) => item.spec);
  const uniqueProjects = unique(projects, 'Project', problems).map((item) => item.spec);

  const projectsByName = new Map(uniqueProjects.map((project) => [project.name, project]));
  if (!projectsByName.has(DEFAULT_PROJECT.name)) projectsByName.set(DEFAULT_PROJECT.name, DEFAULT_PROJECT);

  const resolved = uniqueApps.map(({ draft }) => resolveApp(draft, uniqueClusters, projectsByName, problems));
  return { apps: resolved, clusters: uniqueClusters, projects: uniqueProjects };
}

/** The first of each name; every later one is a problem naming where the first is defined. */
export function unique<T extends { name: string; definedIn: { file: string; line?: number } }, L extends Located<T>>(
  items: L[],
  kind: string,
  problems: RegistryProblem[],
): L[] {
  const first = new Map<string, L>();
  for (const item of items) {
    const earlier = first.get(item.spec.name);
    if (earlier) {
      const where = `${earlier.spec.definedIn.file}${earlier.spec.definedIn.line === undefined ? '' : `:${earlier.spec.definedIn.line}`}`;
      reporter(item.document, problems)(['metadata', 'name'], `${kind} "${item.spec.name}" is also defined in ${where}; keep one of them`);
    } else {
      first.set(item.spec.name, item);
    }
  }
  return [...first.values()];
}

function resolveApp(draft: AppDraft, clusters: ClusterSpec[], projects: Map<string, ProjectSpec>, problems: RegistryProblem[]): AppSpec {
  const report = reporter(draft.document, problems);
  const app = draft.app;
  const project = projects.get(app.project);
  if (!project) report(['spec', 'project'], `project "${app.project}" is not defined (define a Project or AppProject, or use "default")`);
  else {
    // Every source, charts and ref sources included, as Argo CD checks them.
    appSources(app).forEach((source, index) => {
      const refused = repoRefused(project, source);
      if (refused) report([...(draft.sourceFields[index] ?? ['spec', 'source']), 'repoURL'], refused);
    });
  }

  const destinations: AppDestination[] = [];
  for (const ref of draft.destinations) {
    const cluster = resolveCluster(ref, clusters, (message) => report(refField(ref), message));
    if (!cluster) continue;
    if (destinations.some((destination) => destination.cluster === cluster.name)) {
      // One app on one cluster is one sync target (app@cluster): a second namespace would collide.
      report(ref.field, `cluster "${cluster.name}" is listed twice; an app deploys to a cluster once (make a second app for another namespace)`);
      continue;
    }
    if (project && !destinationPermitted(project, cluster, ref.namespace)) {
      report(ref.field, `project "${project.name}" does not allow cluster "${cluster.name}" namespace "${ref.namespace}"`);
    }
    const scope = cluster.accessScope;
    if (scope?.type === 'namespace' && !scope.namespaces.includes(ref.namespace)) {
      report([...ref.field, 'namespace'], `cluster "${cluster.name}" is limited to namespaces ${list(scope.namespaces)}`);
    }
    destinations.push({ cluster: cluster.name, namespace: ref.namespace });
  }
  return { ...app, destinations };
}

function refField(ref: DestinationRef) {
  return [...ref.field, ref.name !== undefined ? 'name' : 'server'];
}

function resolveCluster(ref: DestinationRef, clusters: ClusterSpec[], fail: (message: string) => void): ClusterSpec | undefined {
  const known = clusters.length === 0 ? 'none is registered' : `registered: ${list(clusters.map((cluster) => cluster.name))}`;
  if (ref.name !== undefined) {
    const cluster = clusters.find((candidate) => candidate.name === ref.name);
    if (!cluster) fail(`cluster "${ref.name}" is not registered (${known}); add a Cluster document`);
    return cluster;
  }
  const server = normaliseServer(ref.server ?? '');
  const matches = clusters.filter((candidate) => candidate.server === server);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    fail(`server ${ref.server} is the server of several clusters (${list(matches.map((cluster) => cluster.name))}); use name instead`);
  } else if (server === IN_CLUSTER_SERVER) {
    // Argo CD's "the cluster Argo CD runs in"; Driftless runs in no cluster, so one must say which.
    fail(`${IN_CLUSTER_SERVER} is Argo CD's in-cluster address: set spec.server: ${IN_CLUSTER_SERVER} on the Cluster that stands for it (${known})`);
  } else {
    fail(`no registered cluster has server ${ref.server} (${known}); set spec.server on its Cluster or use name`);
  }
  return undefined;
}

/**
 * Why the project refuses the source's repository, or undefined when it allows it. Globs are
 * matched against the canonical forms of the URL only; a URL without one (dot segments,
 * escapes, credentials: see github/repo-url.ts and chart-repo-url.ts) is refused for any
 * project, `*` included.
 */
export function repoRefused(project: ProjectSpec, source: AppSource): string | undefined {
  const { repoURL } = source;
  let forms: string[];
  if (isChartSource(source)) {
    const repo = chartRepository(repoURL);
    // normalise-app.ts has already said what is wrong with it.
    if ('problem' in repo) return undefined;
    forms = chartRepoForms(repo).map((form) => form.toLowerCase());
  } else {
    try {
      forms = repoURLForms(repoURL).map((form) => form.toLowerCase());
    } catch (error) {
      if (error instanceof InvalidRepoURLError) return `${error.message}; write the repository's plain https URL`;
      throw error;
    }
  }
  const refusal = `project "${project.name}" does not allow repository ${repoURL} (its sourceRepos: ${list(project.sourceRepos)})`;
  let allowed = false;
  for (const pattern of project.sourceRepos) {
    const deny = pattern.startsWith('!');
    const glob = (deny ? pattern.slice(1) : pattern).toLowerCase();
    if (!forms.some((form) => globMatch(glob, form))) continue;
    if (deny) return refusal;
    allowed = true;
  }
  return allowed ? undefined : refusal;
}

function list(items: string[]): string {
  return items.length === 0 ? '(none)' : items.join(', ');
}
