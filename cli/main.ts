// The `driftless` command: one subcommand per file under commands/.
import { diffCommand } from './commands/diff.ts';
import { renderCommand } from './commands/render.ts';
import { sandboxCommand } from './commands/sandbox.ts';
import { syncCommand } from './commands/sync.ts';
import { UsageError } from './errors.ts';

export interface Command {
  name: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

const commands: Command[] = [renderCommand, syncCommand, diffCommand, sandboxCommand];

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`driftless: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
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
