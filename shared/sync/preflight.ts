// Checks every planned object against the cluster before the first write, so bad input
// fails the sync with nothing applied: unknown kinds, invalid names, namespaces that will
// not exist. Problems are collected and reported together, each naming object and file.
//
// Argo CD's SkipDryRunOnMissingResource=true (the app's, or a resource's own annotation) lets
// a resource of a kind the cluster does not serve yet through, for a CRD something else
// creates during the sync (a controller, an earlier wave): its kind, scope and project are
// checked when its wave comes (apply-step.ts). Hooks are always checked here.
import type { Discovery } from '../kube/discovery.ts';
import { nameProblem } from '../kube/names.ts';
import { describeObject, groupOf, type KubeObject } from '../kube/object.ts';
import { objectKey } from '../kube/tracking.ts';
import { formatLocation } from '../render/location.ts';
import type { SourceLocation } from '../render/types.ts';
import { SyncInputError } from './errors.ts';
import type { SyncPlan } from './plan.ts';
import { renderedCrdKinds } from './rendered-crds.ts';

export interface PreflightOptions {
  createNamespace?: string;
  existingNamespaces: Set<string>;
  /** The app's SkipDryRunOnMissingResource=true. */
  skipDryRunOnMissingResource?: boolean;
}

/** Throws a SyncInputError listing every problem; returns the objectKeys of resources let through with a kind not served yet. */
export async function preflight(plan: SyncPlan<SourceLocation>, discovery: Discovery, options: PreflightOptions): Promise<Set<string>> {
  const objects = plan.steps.flatMap((step) => step.objects);
  const crdKinds = renderedCrdKinds(objects.map(({ object }) => object));
  const namespacesInSync = new Set(
    objects.filter(({ object }) => object.kind === 'Namespace' && object.apiVersion === 'v1').map(({ object }) => object.metadata.name),
  );
  if (options.createNamespace) namespacesInSync.add(options.createNamespace);

  const problems: Array<{ message: string; source?: SourceLocation }> = [];
  const notServedYet = new Set<string>();
  for (const { object, source, isHook, syncOptions } of objects) {
    const where = describeObject(object);
    const nameProblem = checkName(object);
    if (nameProblem) problems.push({ message: `${where}: ${nameProblem}`, source });
    const info = await discovery.lookup(object.apiVersion, object.kind);
    if (info) {
      if (info.namespaced && !object.metadata.namespace) problems.push({ message: `${where}: is namespaced but has no namespace`, source });
      const namespace = info.namespaced ? object.metadata.namespace : undefined;
      if (namespace && !options.existingNamespaces.has(namespace) && !namespacesInSync.has(namespace)) {
        problems.push({
          message: `${where}: namespace "${namespace}" does not exist and is not created by this sync (add the Namespace, or CreateNamespace=true)`,
          source,
        });
      }
    } else if (crdKinds.has(`${groupOf(object.apiVersion)}/${object.kind}`)) {
      continue;
    } else if (!isHook && (options.skipDryRunOnMissingResource || syncOptions.skipDryRunOnMissingResource === true)) {
      notServedYet.add(objectKey(object));
    } else {
      problems.push({
        message: `${where}: no matches for kind "${object.kind}" in version "${object.apiVersion}" on the cluster, and no CRD for it in this app`,
        source,
      });
    }
  }
  if (problems.length > 0) {
    const error = new SyncInputError(problems.map((problem) => `${problem.message}${problem.source ? ` (${formatLocation(problem.source)})` : ''}`).join('\n'));
    error.source = problems[0].source;
    throw error;
  }
  return notServedYet;
}

function checkName(object: KubeObject): string | undefined {
  const name = object.metadata.name ?? object.metadata.generateName;
  if (!name) return 'has no metadata.name';
  const checked = object.metadata.name ? name : `${name}x`; // generateName gets a suffix
  const problem = nameProblem(checked, object.apiVersion, object.kind);
  return problem ? `invalid name ${JSON.stringify(name)}: ${problem}` : undefined;
}
