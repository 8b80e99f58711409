// Errors of the config area. RegistryError is the user's config repository being wrong and
// lists every problem at once, so one push fixes them all; RegistryReadError is the files not
// being readable at all; InvalidDurationError is one bad duration, wrapped into a problem.
// All of them are the user's to fix.
import type { BadInputMark } from '../errors/bad-input.ts';

/** One thing wrong in the config repository, pointing at where to fix it. */
export interface RegistryProblem {
  /** Path relative to the repository root, forward slashes. */
  file: string;
  line?: number;
  /** `Application/web`, or `document 2` when the document has no usable kind or name. */
  object?: string;
  /** Dotted path inside the document, e.g. `spec.source.repoURL`. */
  field?: string;
  message: string;
}

export class ConfigError extends Error implements BadInputMark {
  readonly badInput: boolean = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** `file:line: Kind/name: field: message` — the shape every registry problem is shown in. */
export function formatProblem(problem: RegistryProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const parts = [where, problem.object, problem.field].filter((part): part is string => Boolean(part));
  return `${parts.join(': ')}: ${problem.message}`;
}

export class RegistryError extends ConfigError {
  readonly problems: RegistryProblem[];

  constructor(problems: RegistryProblem[], options?: ErrorOptions) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`the registry has ${count}; nothing was changed:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`, options);
    this.name = 'RegistryError';
    this.problems = problems;
  }
}

/** The registry folder or one of its files could not be read (missing folder, permissions). */
export class RegistryReadError extends ConfigError {
  readonly path: string;

  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(`cannot read ${path}: ${detail}`, options);
    this.name = 'RegistryReadError';
    this.path = path;
  }
}

export class InvalidDurationError extends ConfigError {
  readonly value: string;

  constructor(value: string, detail: string, options?: ErrorOptions) {
    super(`"${value}" is not a duration: ${detail} (write e.g. 5s, 3m, 1h30m, or a number of seconds)`, options);
    this.name = 'InvalidDurationError';
    this.value = value;
  }
}
