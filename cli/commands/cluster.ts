// `driftless cluster check NAME`: connect to a registered cluster now, step by step, and say
// exactly which step fails.
import { findCluster } from '../../shared/operations/lookup.ts';
import { UsageError } from '../errors.ts';
import type { Command } from '../main.ts';
import { checkCluster } from '../ops/cluster-check.ts';
import { BACKEND_HELP, jsonOutput, onBackend } from '../ops/command.ts';
import { EXIT } from '../ops/errors.ts';
import { backendFlags } from '../ops/flags.ts';
import { palette, printJson } from '../ops/output.ts';
import { parseFlags } from '../options.ts';

const help = `Usage: driftless cluster check NAME [--output json]

Connects to the registered cluster NAME from this machine the way the worker does, and
reports each step: for EKS, DescribeCluster (endpoint and CA), signing a token (assuming the
cluster's role if it has one), GET /version and listing namespaces; for a kubeconfig
cluster, loading the kubeconfig context, GET /version and listing namespaces. The first step
that fails says why and what to check.

Exit 0 when every step passes, 1 when one fails, 2 when NAME is not registered.
${BACKEND_HELP}`;

export const clusterCommand: Command = {
  async run(args) {
    const { values, positionals } = parseFlags(args, backendFlags, true);
    if (values.help || positionals.length === 0) {
      process.stdout.write(help);
      return values.help ? 0 : 2;
    }
    const [subcommand, name, ...rest] = positionals;
    if (subcommand !== 'check') throw new UsageError(`unknown subcommand "${subcommand}": the one there is is driftless cluster check NAME`);
    if (!name || rest.length > 0) throw new UsageError('expected exactly one cluster NAME: driftless cluster check NAME');
    const json = jsonOutput(values);
    return onBackend('cluster check', values, async (backend) => {
      const { registry, states } = await backend.fleet();
      const check = await checkCluster(findCluster(registry, states, name), backend.endpoints.env);
      if (json) printJson(check);
      else {
        const p = palette();
        for (const step of check.steps) process.stdout.write(`${step.ok ? p.green('✓') : p.red('✗')} ${step.step.padEnd(16)} ${step.detail}\n`);
        process.stdout.write(
          check.ok
            ? `${p.green('Cluster ' + name + ' is reachable.')}\n`
            : `${p.red(`Cluster ${name} is not usable: ${check.steps.find((step) => !step.ok)?.step} failed.`)}\n`,
        );
      }
      return check.ok ? EXIT.ok : EXIT.failed;
    });
  },
};
