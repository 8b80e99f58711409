// `driftless clusters`: the registered clusters, how each is reached, labels, apps, last contact.
import type { ClusterSpec, Registry } from '../../shared/config/types.ts';
import type { TargetState } from '../../shared/state/types.ts';
import type { Command } from '../main.ts';
import { BACKEND_HELP, jsonOutput, onBackend } from '../ops/command.ts';
import { backendFlags } from '../ops/flags.ts';
import { age, palette, printJson, table } from '../ops/output.ts';
import { parseFlags } from '../options.ts';

const help = `Usage: driftless clusters [--output json]

The clusters in the registry: how Driftless reaches each (EKS cluster and region, with the
role it assumes, or a kubeconfig context), its labels, how many app targets it has, and the
last contact (the newest sync or drift scan recorded on it). driftless cluster check NAME
tries the connection now.
${BACKEND_HELP}`;

export interface ClusterView {
  name: string;
  access: string;
  labels: Record<string, string>;
  apps: number;
  lastContact?: string;
}

export const clustersCommand: Command = {
  async run(args) {
    const { values } = parseFlags(args, backendFlags);
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    const json = jsonOutput(values);
    return onBackend('clusters', values, async (backend) => {
      const { registry, states } = await backend.fleet();
      const views = registry.clusters.map((cluster) => clusterView(cluster, registry, states));
      if (json) printJson(views);
      else if (views.length === 0) process.stdout.write('No clusters are registered yet: push Cluster documents to the config repository.\n');
      else {
        const p = palette();
        process.stdout.write(
          table(
            ['NAME', 'ACCESS', 'LABELS', 'APPS', 'LAST CONTACT'],
            views.map((view) => [
              view.name,
              view.access,
              Object.entries(view.labels)
                .map(([key, value]) => `${key}=${value}`)
                .join(',') || p.dim('-'),
              String(view.apps),
              view.lastContact ? `${age(view.lastContact)} ago` : p.dim('never'),
            ]),
            p,
          ),
        );
      }
      return 0;
    });
  },
};

export function clusterAccess(cluster: ClusterSpec): string {
  if (cluster.eks) return `eks ${cluster.eks.clusterName} (${cluster.eks.region})${cluster.eks.roleArn ? ` as ${cluster.eks.roleArn}` : ''}`;
  if (cluster.kubeconfig)
    return `kubeconfig${cluster.kubeconfig.path ? ` ${cluster.kubeconfig.path}` : ''}${cluster.kubeconfig.context ? ` context ${cluster.kubeconfig.context}` : ''}`;
  return '(no access settings)';
}

function clusterView(cluster: ClusterSpec, registry: Registry, states: TargetState[]): ClusterView {
  const apps = registry.apps.filter((app) => app.destinations.some((destination) => destination.cluster === cluster.name)).length;
  const times = states
    .filter((state) => state.cluster === cluster.name)
    .flatMap((state) => [state.lastSyncFinishedAt, state.lastScannedAt])
    .filter((time): time is string => time !== undefined)
    .sort();
  return { name: cluster.name, access: clusterAccess(cluster), labels: cluster.labels, apps, lastContact: times.at(-1) };
}
