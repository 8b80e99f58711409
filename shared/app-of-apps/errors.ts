// Errors of app of apps. A parent whose render declares broken children is the user's to fix:
// bad input, recorded once on the parent, and nothing of it is applied or stored.
import type { BadInputMark } from '../errors/bad-input.ts';
import { formatProblem, type RegistryProblem } from '../config/errors.ts';

export class ChildrenError extends Error implements BadInputMark {
  readonly badInput = true;
  readonly problems: RegistryProblem[];
  constructor(parent: string, problems: RegistryProblem[]) {
    super(`the children app ${parent} renders are refused (${problems.length} problem(s)):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ChildrenError';
    this.problems = problems;
  }
}

/** The registry kept changing under the children's write: retried through the queue. */
export class RegistryConflictError extends Error {
  constructor(attempts: number) {
    super(`the registry changed under ${attempts} attempts to write it; will retry`);
    this.name = 'RegistryConflictError';
  }
}
