// One app on one cluster, previewed at the head, top to bottom:
//   connect → render (the worker's renderOnce, cached per repo + commit) → children split, SOPS
//   opened → prepare desired → read live → verdicts → preflight → dry-run each object →
//   diff live → dry-run result → what would be pruned.
// The steps are the sync's own (sync/sync.ts), so a preview says what the sync would do; the
// writes are all dryRun=All and prune only reads. The base is not rendered: the diff is live →
// head, which is what merging would do to the cluster, drift included (as Argo CD's diff).
import type { AppSpec, ClusterSpec, ProjectSpec, Registry } from '../config/types.ts';
import { applyWave } from '../kube/apply.ts';
import type { KubeClient } from '../kube/client.ts';
import { Discovery } from '../kube/discovery.ts';
import { ruleMatches, withoutPaths, type IgnoreDifference } from '../kube/ignore-differences.ts';
import { refKey, refOf, type ObjectRef } from '../kube/live.ts';
import { describeObject, type KubeObject } from '../kube/object.ts';
import { objectKey } from '../kube/tracking.ts';
import { projectRoleFor } from '../project/roles.ts';
import { decryptRendered } from '../secrets/decrypt-rendered.ts';
import { appRunOptions, DEFAULT_APP_SYNC_OPTIONS, type AppSyncOptions } from '../sync/app-sync-options.ts';
import { namespaceWrite } from '../sync/ensure-namespace.ts';
import { namespaceRef, readLiveState } from '../sync/live-state.ts';
import { preflight } from '../sync/preflight.ts';
import { prepareDesired } from '../sync/prepare.ts';
import { splitChildren } from '../worker/adopt-children.ts';
import type { FetchedApp } from '../worker/fetch-sources.ts';
import { renderOnce } from '../worker/render-once.ts';
import { processSopsKeys } from '../worker/sops-keys.ts';
import { dryRunObjects } from './dry-run.ts';
import { previewError } from './error-location.ts';
import { previewDiff } from './object-diff.ts';
import { pruneCandidates } from './prune-candidates.ts';
import type { PreviewDependencies, TargetPreview } from './types.ts';
import { headVerdicts } from './verdicts.ts';

export interface TargetInput {
  app: AppSpec;
  cluster: ClusterSpec;
  namespace: string;
  project: ProjectSpec;
  /** The registry the app was read from: its admission policies, an app of apps' family. */
  registry: Registry;
  /** The app's sources at the head (fetched once for all its clusters). */
  fetched: FetchedApp;
  /** Discovery of a cluster's client, shared by the preview's targets on it; default one per target. */
  discoveryOf?: (client: KubeClient) => Discovery;
}

const OBJECT_CONCURRENCY = 8;

export async function previewTarget(input: TargetInput, deps: PreviewDependencies): Promise<TargetPreview> {
  const { app, cluster, namespace, project, registry, fetched } = input;
  const empty: TargetPreview = { app: app.name, cluster: cluster.name, diff: '', create: [], change: [], prune: [], verdicts: [] };
  try {
    const client = await deps.connect(cluster, projectRoleFor(project, cluster, namespace, app.name));
    const discovery = input.discoveryOf?.(client) ?? new Discovery(client);
    const rendered = await renderOnce(app, namespace, fetched, deps.renders, discovery);
    const bounds = { project, cluster };
    // An app of apps' Applications join the registry, never the cluster: not previewed as objects.
    const { manifests } = splitChildren(app, rendered.objects, bounds, registry);
    const opened = await decryptRendered(manifests, { keys: deps.sopsKeys ?? processSopsKeys(), project, destinationNamespace: namespace });
    const run = appRunOptions(app, namespace);
    const options: AppSyncOptions = { ...DEFAULT_APP_SYNC_OPTIONS, ...run.syncOptions };
    const desired = await prepareDesired(app.name, opened.objects, discovery);
    const live = await readLiveState(client, discovery, desired, run.createNamespace);
    const namespace_ = namespaceWrite(
      run.createNamespace,
      run.createNamespace ? live.objects.get(refKey(namespaceRef(run.createNamespace))) : undefined,
      run.namespaceMetadata,
      desired.resources.some(({ object }) => object.apiVersion === 'v1' && object.kind === 'Namespace' && object.metadata.name === run.createNamespace),
    );
    const { verdicts, outOfBounds } = await headVerdicts({
      bounds,
      policies: registry.policies,
      desired,
      discovery,
      live,
      createNamespace: run.createNamespace,
      labelsNamespace: namespace_?.live !== undefined,
    });
    await preflight(desired.plan, discovery, {
      createNamespace: run.createNamespace,
      existingNamespaces: live.existingNamespaces,
      skipDryRunOnMissingResource: options.skipDryRunOnMissingResource,
    });

    // What the project does not permit stays a verdict: a sync never sends it, and its live
    // state (another tenant's namespace, a cluster-wide object) is not the app's to see.
    const permitted = desired.resources.filter(({ object }) => !outOfBounds.has(describeObject(object)));
    const namespaceWrites = namespace_ !== undefined && !outOfBounds.has(describeObject(namespace_.object));
    const [namespaceAnswer] = namespaceWrites
      ? await applyWave(client, discovery, [{ desired: namespace_.object, live: namespace_.live, unchangedInGit: false }], { dryRun: true })
      : [];
    const outcomes = await dryRunObjects(
      client,
      discovery,
      permitted,
      live,
      {
        replace: options.replace,
        validate: options.validate,
        applyOutOfSyncOnly: options.applyOutOfSyncOnly,
        respectIgnoreDifferences: options.respectIgnoreDifferences,
        ignoreDifferences: run.ignoreDifferences ?? [],
      },
      OBJECT_CONCURRENCY,
    );
    const refused = [
      ...(namespaceAnswer?.action === 'failed' ? [{ what: `Namespace/${run.createNamespace}`, error: namespaceAnswer.error, source: undefined }] : []),
      ...outcomes
        .filter((outcome) => outcome.error)
        .map((outcome) => ({ what: describeObject(outcome.planned.object), error: outcome.error, source: outcome.planned.source })),
    ];
    if (refused.length > 0) {
      const message = `the dry run refused ${refused.length === 1 ? 'an object' : `${refused.length} objects`}: ${refused.map((entry) => `${entry.what}: ${entry.error}`).join('; ')}`;
      return { ...empty, verdicts, error: previewError(new Error(message), refused.find((entry) => entry.source)?.source) };
    }

    const result: TargetPreview = { ...empty, verdicts };
    const patches: string[] = [];
    const ignored = ignoring(run.ignoreDifferences ?? []);
    const note = (ref: ObjectRef, before: KubeObject | undefined, after: KubeObject | undefined) => {
      const diff = previewDiff(describeObject({ kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } }), ignored(before), ignored(after));
      if (!diff.changed) return;
      patches.push(diff.patch);
      if (!before) result.create.push(ref);
      else if (after) result.change.push(ref);
      else result.prune.push(ref);
    };
    if (namespace_ && namespaceAnswer) note(namespaceRef(namespace_.object.metadata.name ?? ''), namespace_.live, namespaceAnswer.live ?? namespace_.object);
    for (const outcome of outcomes) note(refOf(outcome.planned.object), outcome.live, outcome.result);

    const target = await deps.store?.getTarget(app.name, cluster.name);
    const prunes = await pruneCandidates(client, discovery, {
      app: app.name,
      inventory: target?.inventory,
      rendered: new Set(desired.resources.map(({ object }) => objectKey(object))),
      renderedRefs: permitted.map(({ object }) => refOf(object)),
      bounds,
      appPrunes: options.prune !== false,
      emptyRefused: desired.resources.length === 0 && !run.allowEmpty,
    });
    for (const { ref, live: object } of prunes) note(ref, object, undefined);
    result.diff = patches.join('');
    return result;
  } catch (error) {
    return { ...empty, error: previewError(error) };
  }
}

/**
 * The app's ignoreDifferences (jsonPointers, jqPathExpressions) taken out of both sides, as
 * Argo CD's diff and our drift comparison leave those fields out: a field another controller
 * owns (an HPA's replicas) is no change to review. (managedFieldsManagers rules are not applied
 * to the preview's diff.)
 */
function ignoring(rules: readonly IgnoreDifference[]): (object: KubeObject | undefined) => KubeObject | undefined {
  if (rules.length === 0) return (object) => object;
  return (object) => {
    if (!object) return object;
    const matching = rules.filter((rule) => ruleMatches(rule, object));
    const pointers = matching.flatMap((rule) => rule.jsonPointers ?? []);
    const expressions = matching.flatMap((rule) => rule.jqPathExpressions ?? []);
    return pointers.length === 0 && expressions.length === 0 ? object : withoutPaths(object, pointers, expressions);
  };
}
