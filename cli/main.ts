// The `driftless` command: one subcommand per file under commands/.
import { UsageError } from './errors.ts';

export interface Command {
  name: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

interface CommandEntry {
  name: string;
  summary: string;
  /** Imported only when run, so one command does not pay for the others' dependencies. */
  load(): Promise<Command>;
}

const commands: CommandEntry[] = [
  { name: 'render', summary: 'render an app folder (YAML, Kustomize, Helm) and print the objects', load: async () => (await import('./commands/render.ts')).renderCommand },
  { name: 'sync', summary: 'render an app folder and sync it to a cluster', load: async () => (await import('./commands/sync.ts')).syncCommand },
  { name: 'diff', summary: 'show how the cluster differs from an app folder', load: async () => (await import('./commands/diff.ts')).diffCommand },
  { name: 'sandbox', summary: 'start the Kubernetes sandbox API server and write a kubeconfig for it', load: async () => (await import('./commands/sandbox.ts')).sandboxCommand },
];

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
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

function usage(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Usage: driftless <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "driftless <command> --help" for the options of one command.\n`;
}
