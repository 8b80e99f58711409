// `npm start -- --clusters dev,staging,prod`: one sandbox API server per name, each on its
// own port with its own objects, and one kubeconfig whose contexts (clusters and users too)
// carry those names, so the registry's Clusters point at them by `kubeconfig.context` and
// `kubectl --context staging` reaches the same one. Without the option local mode starts the
// single sandbox it always has (context `sandbox`, registered as cluster `local`).
import { writeFile } from 'node:fs/promises';
import { kubeconfigForContexts } from './sandbox/kubeconfig.ts';
import { startSandbox, type Sandbox } from './sandbox/index.ts';

export const MAX_CLUSTERS = 10;
// RFC 1123 label: the name becomes a kubeconfig context, a label value (`env: <name>`) and part
// of an app name (`guestbook-<name>`), and all three accept it.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_RULE = 'lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';

/** A `--clusters` value (or its combination with other options) that local mode refuses before starting anything. */
export class ClustersOptionError extends Error {
  override name = 'ClustersOptionError';
}

/** The names of `--clusters a,b,c` in the order given; undefined when the option is absent. */
export function parseClusterNames(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((name) => name.trim());
  if (names.length === 1 && names[0] === '')
    throw new ClustersOptionError(`--clusters needs 1 to ${MAX_CLUSTERS} cluster names separated by commas (e.g. dev,staging,prod), got ""`);
  if (names.length > MAX_CLUSTERS)
    throw new ClustersOptionError(
      `--clusters takes at most ${MAX_CLUSTERS} names (each one is a sandbox API server in this process), got ${names.length}: "${text}"`,
    );
  const seen = new Set<string>();
  for (const [index, name] of names.entries()) {
    if (name === '') throw new ClustersOptionError(`--clusters "${text}": name ${index + 1} is empty`);
    if (name.length > 63 || !DNS_LABEL.test(name))
      throw new ClustersOptionError(
        `--clusters "${text}": "${name}" is not a DNS label (${DNS_LABEL_RULE}); it names a kubeconfig context, a label value and apps`,
      );
    if (seen.has(name)) throw new ClustersOptionError(`--clusters "${text}": "${name}" appears twice; each name is one cluster`);
    seen.add(name);
  }
  return names;
}

/** Options that cannot go with `--clusters`, checked before anything starts. */
export function checkClustersWith(options: { kubeconfig?: string; context?: string }): void {
  if (options.kubeconfig !== undefined)
    throw new ClustersOptionError(
      '--clusters starts sandbox clusters and writes their kubeconfig, --kubeconfig points at clusters that already run: give one or the other',
    );
  if (options.context !== undefined)
    throw new ClustersOptionError('--clusters names the kubeconfig contexts itself (one per cluster), so --context has nothing to choose: leave it out');
}

export interface LocalCluster {
  name: string;
  sandbox: Sandbox;
}

export interface LocalClusters {
  /** In the order given. */
  clusters: LocalCluster[];
  /** One kubeconfig: a context, cluster and user per name; the current context is the first. */
  kubeconfig(): string;
  writeKubeconfig(file: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts one sandbox per name, side by side; if one fails, the others are stopped again. */
export async function startLocalClusters(names: string[]): Promise<LocalClusters> {
  const started = await Promise.allSettled(names.map(() => startSandbox()));
  const sandboxes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await Promise.all(sandboxes.map((sandbox) => sandbox.stop()));
    throw new Error(`starting the sandbox clusters ${names.join(', ')}: ${(failed.reason as Error).message}`, { cause: failed.reason });
  }
  const clusters = names.map((name, index) => ({ name, sandbox: sandboxes[index] as Sandbox }));
  const kubeconfig = () =>
    kubeconfigForContexts(clusters.map(({ name, sandbox }) => ({ context: name, url: sandbox.url, caPem: sandbox.caPem, token: sandbox.token })));
  return {
    clusters,
    kubeconfig,
    writeKubeconfig: (file) => writeFile(file, kubeconfig(), { mode: 0o600 }),
    stop: async () => {
      await Promise.all(clusters.map(({ sandbox }) => sandbox.stop()));
    },
  };
}
