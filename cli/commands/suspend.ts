// `driftless suspend APP`: stop applying pushes and self-heal to the app until resume.
import { suspendTarget } from '../../shared/operations/hold.ts';
import { clustersOf, findApp } from '../../shared/operations/lookup.ts';
import { targetId } from '../../shared/queue/job.ts';
import { oneAppCommand, BACKEND_HELP, jsonOutput, onBackend } from '../ops/command.ts';
import { clusterFlag } from '../ops/flags.ts';
import { printJson } from '../ops/output.ts';

const help = `Usage: driftless suspend APP [--cluster C] [--output json]

Stops automated sync of APP on each of its clusters (or on C), as flux suspend does: pushes
and configuration changes are not applied (their commit statuses say so) and drift is not
healed. driftless sync APP still works. driftless resume APP restarts it at the branch head.
${BACKEND_HELP}`;

export const suspendCommand = oneAppCommand(help, { cluster: clusterFlag }, async (name, values) => {
  const json = jsonOutput(values);
  return onBackend('suspend', values, async (backend) => {
    const { registry, states } = await backend.fleet();
    findApp(registry, states, name);
    const clusters = clustersOf(name, registry, states, values.cluster);
    for (const cluster of clusters) await suspendTarget(backend, { app: name, cluster });
    if (json) printJson({ suspended: clusters.map((cluster) => ({ app: name, cluster })) });
    else
      for (const cluster of clusters)
        process.stdout.write(`Suspended ${targetId(name, cluster)}: pushes and self-heal are not applied until driftless resume ${name}.\n`);
    return 0;
  });
});
