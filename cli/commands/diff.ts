// `driftless diff -f PATH`: what a sync of the folder would change, as a unified diff per object.
import { compareObjects } from '../../shared/kube/compare.ts';
import { readLive } from '../../shared/kube/live.ts';
import { objectKey, withTracking } from '../../shared/kube/tracking.ts';
import { appFlags, clusterFlags, renderRequestFrom } from '../app-flags.ts';
import type { Command } from '../main.ts';
import { parseFlags } from '../options.ts';
import { connectEarly, prepare } from '../prepare.ts';

const help = `Usage: driftless diff -f PATH --name APP --namespace NS [--kubeconfig F] [--context C] [--helm-values F ...] [--set k=v ...]

Prints a unified diff of the live objects against the ones rendered from the folder PATH
(-f/--filename as kubectl diff -f takes one, or PATH alone), on the fields Git sets: values the
server defaults do not count. Secret values are masked: each shows as ++++++++ and a marker
that is the same for the same value within one run, so a changed value shows as changed, and
that differs from run to run, so it tells nothing about the value. PATH is rendered as part of
its git work tree, as driftless sync -f renders it.
Exit 0 when there is no difference, 1 when there are differences, 2 on error.
`;

export const diffCommand: Command = {
  async run(args) {
    const { values, positionals } = parseFlags(args, { ...appFlags, ...clusterFlags }, true);
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    const cluster = { kubeconfig: values.kubeconfig, context: values.context };
    // The kubeconfig is read while git names the work tree.
    const connecting = connectEarly(cluster);
    const request = await renderRequestFrom(positionals, values, true);
    try {
      const { client, discovery, objects } = await prepare(request, cluster, connecting);
      try {
        const desired = objects.filter(({ object }) => object.metadata.name).map(({ object }) => withTracking(request.appName, object));
        // Every group-version's discovery asked at once: readLive looks kinds up one by one.
        const kinds = new Map(desired.map((object) => [object.apiVersion, object.kind]));
        await Promise.all([...kinds].map(([apiVersion, kind]) => discovery.lookup(apiVersion, kind)));
        const live = await readLive(
          client,
          discovery,
          desired.map((object) => ({
            apiVersion: object.apiVersion,
            kind: object.kind,
            namespace: object.metadata.namespace,
            name: object.metadata.name ?? '',
          })),
        );
        // The patch printer (the diff and YAML writers) is loaded only when something differs.
        const changed = desired.filter((object) => compareObjects(object, live.get(objectKey(object))).length > 0);
        if (changed.length === 0) return 0;
        const { diffObject } = await import('../../shared/kube/diff.ts');
        for (const object of changed) process.stdout.write(diffObject(object, live.get(objectKey(object))).patch);
        return 1;
      } finally {
        client.close();
      }
    } catch (error) {
      // Bad input and a cluster that cannot be read alike: exit 2, as the help says.
      process.stderr.write(`driftless diff: ${(error as Error).message}\n`);
      return 2;
    }
  },
};
