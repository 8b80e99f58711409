// `driftless suspend APP`: stop applying pushes and self-heal to the app until resume.
import { UsageError } from '../errors.ts';
import type { Command } from '../main.ts';
import { backendFlags, BACKEND_HELP, jsonOutput, runOps, withBackend } from '../ops/command.ts';
import { suspendTarget } from '../ops/hold.ts';
import { clustersOf, findApp } from '../ops/lookup.ts';
import { printJson } from '../ops/output.ts';
import { parseFlags } from '../options.ts';

const help = `Usage: driftless suspend APP [--cluster C] [--output json]

Stops automated sync of APP on each of its clusters (or on C), as flux suspend does: pushes
and configuration changes are not applied (their commit statuses say so) and drift is not
healed. driftless sync APP still works. driftless resume APP restarts it at the branch head.
${BACKEND_HELP}`;

export const suspendCommand: Command = {
  name: 'suspend',
  summary: 'stop automated sync and self-heal of an app until resume',
  async run(args) {
    const { values, positionals } = parseFlags(args, { ...backendFlags, cluster: { type: 'string', short: 'c' } }, true);
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`expected exactly one APP, got ${positionals.length}`);
    const name = positionals[0];
    const json = jsonOutput(values);
    return runOps('suspend', () =>
      withBackend(values, async (backend) => {
        const [registry, states] = await Promise.all([backend.registry(), backend.store.listTargets()]);
        findApp(registry, states, name);
        const clusters = clustersOf(name, registry, states, values.cluster);
        for (const cluster of clusters) await suspendTarget(backend, { app: name, cluster });
        if (json) printJson({ suspended: clusters.map((cluster) => ({ app: name, cluster })) });
        else for (const cluster of clusters) process.stdout.write(`Suspended ${name}@${cluster}: pushes and self-heal are not applied until driftless resume ${name}.\n`);
        return 0;
      }),
    );
  },
};
