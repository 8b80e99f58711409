// `driftless sandbox`: run the Kubernetes sandbox API server until interrupted.
import { resolve } from 'node:path';
import { startSandbox } from '../../local/sandbox/index.ts';
import type { Command } from '../main.ts';
import { parseFlags, parseInteger } from '../options.ts';

const help = `Usage: driftless sandbox [--port P] [--kubeconfig FILE] [--latency MS] [--no-controllers]

Starts the in-memory Kubernetes API server (HTTPS, bearer token) and writes a kubeconfig
for it, so that kubectl and driftless can use it like a cluster:

  driftless sandbox --port 6443 --kubeconfig ./sandbox.kubeconfig
  kubectl --kubeconfig ./sandbox.kubeconfig get namespaces

  --port P          port to listen on (default: a free port)
  --kubeconfig FILE where to write the kubeconfig (default: ./sandbox.kubeconfig)
  --latency MS      added latency for every request, for benchmarks
  --ready-delay MS  how long simulated workloads take to become ready (default 100)
  --no-controllers  do not simulate controllers (workloads never become ready)
`;

export const sandboxCommand: Command = {
  async run(args) {
    const { values } = parseFlags(args, {
      port: { type: 'string' },
      kubeconfig: { type: 'string' },
      latency: { type: 'string' },
      'ready-delay': { type: 'string' },
      'no-controllers': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    const kubeconfig = resolve(values.kubeconfig ?? 'sandbox.kubeconfig');
    const sandbox = await startSandbox({
      port: parseInteger('port', values.port, 0),
      latencyMs: parseInteger('latency', values.latency, 0),
      controllers: values['no-controllers'] ? false : { readyDelayMs: parseInteger('ready-delay', values['ready-delay'], 100) },
    });
    await sandbox.writeKubeconfig(kubeconfig);
    process.stdout.write(`sandbox listening on ${sandbox.url}\nkubeconfig written to ${kubeconfig}\n  export KUBECONFIG=${kubeconfig}\n`);

    await new Promise<void>((done) => {
      const stop = () => done();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await sandbox.stop();
    return 0;
  },
};
