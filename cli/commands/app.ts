// `driftless app APP`: everything about one app: per cluster its state, its resources with
// kind, name, health and drift, and the last error in full.
import type { ClusterSpec } from '../../shared/config/types.ts';
import { Discovery } from '../../shared/kube/discovery.ts';
import { assessHealth } from '../../shared/kube/health/index.ts';
import { readLive } from '../../shared/kube/live.ts';
import { targetId } from '../../shared/queue/job.ts';
import type { Environment } from '../../shared/runtime/environment.ts';
import { clustersOf, requireKnownApp } from '../../shared/operations/lookup.ts';
import { targetView, type TargetView } from '../../shared/operations/targets.ts';
import { entryKey } from '../../shared/sync/inventory.ts';
import type { TargetState } from '../../shared/state/types.ts';
import { connectSteps } from '../ops/cluster-check.ts';
import { oneAppCommand, BACKEND_HELP, jsonOutput, onBackend } from '../ops/command.ts';
import { EXIT } from '../ops/errors.ts';
import { clusterFlag } from '../ops/flags.ts';
import { age, duration, palette, printJson, shortSha, statusColour, table, type Palette } from '../ops/output.ts';
import { driftLabel, isFailing, statusLabel } from '../ops/targets.ts';

const help = `Usage: driftless app APP [--cluster C] [--recorded] [--output json]

The app on each of its clusters: applied and requested revision, sync status, health, drift,
last sync, pin or suspension, the last message in full, and its resources (from the recorded
inventory) with kind, name, health and drift. Health per resource is read live from the
cluster; --recorded skips that and shows only what the state table holds.

Exit 1 when the app's last sync failed or it is Degraded or Missing on a cluster shown.
${BACKEND_HELP}`;

export interface ResourceView {
  kind: string;
  namespace?: string;
  name: string;
  health?: string;
  healthMessage?: string;
  drift?: string;
}

export interface AppTargetDetail extends TargetView {
  lastSyncStartedAt?: string;
  resources: ResourceView[];
  /** Why live health is missing, when it is. */
  liveError?: string;
}

export const appCommand = oneAppCommand(help, { cluster: clusterFlag, recorded: { type: 'boolean' } }, async (name, values) => {
  const json = jsonOutput(values);
  return onBackend('app', values, async (backend) => {
    const { registry, states } = await backend.fleet();
    requireKnownApp(registry, states, name);
    const spec = registry.apps.find((app) => app.name === name);
    const details: AppTargetDetail[] = [];
    for (const cluster of clustersOf(name, registry, states, values.cluster)) {
      const state = states.find((candidate) => candidate.app === name && candidate.cluster === cluster);
      const destination = spec?.destinations.find((candidate) => candidate.cluster === cluster);
      const view = targetView(state, name, cluster, destination !== undefined, destination?.namespace);
      const clusterSpec = registry.clusters.find((candidate) => candidate.name === cluster);
      details.push({ ...view, lastSyncStartedAt: state?.lastSyncStartedAt, ...(await resources(state, clusterSpec, backend.endpoints.env, !values.recorded)) });
    }
    if (json) printJson({ app: name, source: spec?.source, targets: details });
    else process.stdout.write(formatApp(name, spec?.source.repoURL, spec?.source.path, details, palette()));
    return details.some(isFailing) ? EXIT.failed : EXIT.ok;
  });
});

async function resources(
  state: TargetState | undefined,
  cluster: ClusterSpec | undefined,
  env: Environment,
  live: boolean,
): Promise<{ resources: ResourceView[]; liveError?: string }> {
  const entries = state?.inventory?.entries ?? [];
  const drifted = new Map((state?.driftedObjects ?? []).map((object) => [entryKey(object), object.reason ?? 'drifted']));
  const inSync = state?.driftStatus === 'InSync' ? 'InSync' : undefined;
  const views: ResourceView[] = entries.map((entry) => ({
    kind: entry.kind,
    namespace: entry.namespace,
    name: entry.name,
    drift: drifted.get(entryKey(entry)) ?? inSync,
  }));
  if (!live || entries.length === 0) return { resources: views };
  if (!cluster) return { resources: views, liveError: 'the cluster is no longer registered' };
  const steps: Array<{ step: string; ok: boolean; detail: string }> = [];
  const client = await connectSteps(cluster, env, steps);
  if (!client) return { resources: views, liveError: `${steps.at(-1)?.step}: ${steps.at(-1)?.detail} (driftless cluster check ${cluster.name})` };
  try {
    const objects = await readLive(client, new Discovery(client), entries);
    for (const [index, entry] of entries.entries()) {
      const object = objects.get(entryKey(entry));
      const health = object ? assessHealth(object) : { status: 'Missing', message: 'not found in the cluster' };
      views[index].health = health.status;
      views[index].healthMessage = health.message;
    }
    return { resources: views };
  } catch (error) {
    return { resources: views, liveError: `${(error as Error).message.split('\n')[0]} (driftless cluster check ${cluster.name})` };
  } finally {
    client.close();
  }
}

export function formatApp(
  name: string,
  repoURL: string | undefined,
  path: string | undefined,
  details: AppTargetDetail[],
  p: Palette,
  now = Date.now(),
): string {
  const out: string[] = [`${p.bold(name)}${repoURL ? `  ${repoURL}${path && path !== '.' ? ` (${path})` : ''}` : '  (no longer in the registry)'}\n`];
  for (const detail of details) {
    const lines: Array<[string, string]> = [
      ['Namespace', detail.namespace || '(none)'],
      [
        'Revision',
        `${shortSha(detail.revision) || '(none applied)'}${detail.requestedRevision && detail.requestedRevision !== detail.revision ? `  (requested ${shortSha(detail.requestedRevision)})` : ''}`,
      ],
      ['Status', statusColour(p, statusLabel(detail))],
      ['Health', statusColour(p, detail.health)],
      ['Drift', statusColour(p, driftLabel(detail))],
      [
        'Last sync',
        detail.lastSyncFinishedAt ? `${age(detail.lastSyncFinishedAt, now)} ago (${detail.lastSyncFinishedAt}), took ${duration(detail.durationMs)}` : 'never',
      ],
    ];
    if (detail.pinnedRevision)
      lines.push(['Pinned', `to ${shortSha(detail.pinnedRevision)} by a rollback: pushes are not applied until driftless resume ${name}`]);
    else if (detail.suspended) lines.push(['Suspended', `pushes and self-heal are not applied until driftless resume ${name}`]);
    if (!detail.registered) lines.push(['Registry', 'this destination is no longer in the registry']);
    out.push(`\n${p.bold(targetId(name, detail.cluster))}\n`);
    for (const [label, value] of lines) out.push(`  ${`${label}:`.padEnd(11)} ${value}\n`);
    const message = detail.message.trim();
    if (message) {
      const colour = detail.syncStatus === 'Failed' ? p.red : (text: string) => text;
      out.push(
        `  Message:\n${message
          .split('\n')
          .map((line) => `    ${colour(line)}`)
          .join('\n')}\n`,
      );
    }
    if (detail.resources.length > 0) {
      const rows = detail.resources.map((resource) => [
        resource.kind,
        resource.namespace ? `${resource.namespace}/${resource.name}` : resource.name,
        statusColour(p, resource.health ?? '?'),
        statusColour(p, resource.drift ?? ''),
        resource.healthMessage ?? '',
      ]);
      out.push(`\n${table(['KIND', 'NAME', 'HEALTH', 'DRIFT', 'MESSAGE'], rows, p).trimEnd().replace(/^/gm, '  ')}\n`);
    }
    if (detail.liveError) out.push(`  ${p.dim(`live health unavailable: ${detail.liveError}`)}\n`);
  }
  return out.join('');
}
