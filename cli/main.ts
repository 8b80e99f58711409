// The `driftless` command: one subcommand per file under commands/.
import { readFileSync } from 'node:fs';
import { UsageError } from './errors.ts';

export interface Command {
  run(args: string[]): Promise<number>;
}

interface CommandEntry {
  name: string;
  summary: string;
  /** Imported only when run, so one command does not pay for the others' dependencies. */
  load(): Promise<Command>;
}

const commands: CommandEntry[] = [
  {
    name: 'render',
    summary: 'render an app folder (YAML, Kustomize, Helm) and print the objects',
    load: async () => (await import('./commands/render.ts')).renderCommand,
  },
  {
    name: 'sync',
    summary: 'sync a registered app now (sync APP), or an app folder to a cluster (sync -f PATH)',
    load: async () => (await import('./commands/sync.ts')).syncCommand,
  },
  { name: 'diff', summary: 'show how the cluster differs from an app folder', load: async () => (await import('./commands/diff.ts')).diffCommand },
  {
    name: 'preview',
    summary: 'preview what merging a change would do to the clusters (diff, create, prune)',
    load: async () => (await import('./commands/preview.ts')).previewCommand,
  },
  {
    name: 'apps',
    summary: 'list apps per cluster: revision, sync status, health, drift, last sync',
    load: async () => (await import('./commands/apps.ts')).appsCommand,
  },
  {
    name: 'app',
    summary: 'show one app: state per cluster, resources with health and drift, last error',
    load: async () => (await import('./commands/app.ts')).appCommand,
  },
  {
    name: 'history',
    summary: 'list the recorded syncs of an app: when, revision, trigger, result',
    load: async () => (await import('./commands/history.ts')).historyCommand,
  },
  {
    name: 'rollback',
    summary: 'sync an app back to a recorded revision and pin it there until resume',
    load: async () => (await import('./commands/rollback.ts')).rollbackCommand,
  },
  {
    name: 'suspend',
    summary: 'stop automated sync and self-heal of an app until resume',
    load: async () => (await import('./commands/suspend.ts')).suspendCommand,
  },
  {
    name: 'resume',
    summary: 'lift a suspension or rollback pin and sync the branch head',
    load: async () => (await import('./commands/resume.ts')).resumeCommand,
  },
  {
    name: 'rollout',
    summary: "an ApplicationSet's RollingSync rollout: status [SET], promote SET (skip a gate), abort SET",
    load: async () => (await import('./commands/rollout.ts')).rolloutCommand,
  },
  {
    name: 'restore',
    summary: 'rebuild a lost state table from Git (the registry) and the clusters (tracking annotations)',
    load: async () => (await import('./commands/restore.ts')).restoreCommand,
  },
  {
    name: 'clusters',
    summary: 'list registered clusters with labels and last contact',
    load: async () => (await import('./commands/clusters.ts')).clustersCommand,
  },
  {
    name: 'cluster',
    summary: 'check the connection to a registered cluster (cluster check NAME)',
    load: async () => (await import('./commands/cluster.ts')).clusterCommand,
  },
  {
    name: 'sandbox',
    summary: 'start the Kubernetes sandbox API server and write a kubeconfig for it',
    load: async () => (await import('./commands/sandbox.ts')).sandboxCommand,
  },
];

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`driftless ${version()}\n`);
    return 0;
  }
  const entry = commands.find((candidate) => candidate.name === name);
  if (!entry) {
    process.stderr.write(`driftless: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`driftless ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * The package's version, read when asked so that it is always package.json's. Printed as
 * `driftless 0.1.0`: the program's name and version on one line, as the GNU standards ask of
 * --version, and as kubectl and argocd users also type it: `driftless version`.
 */
function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

function usage(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Usage: driftless <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "driftless <command> --help" for the options of one command, "driftless --version" for the version.\n`;
}
