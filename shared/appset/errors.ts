// Errors of ApplicationSet generation. Every one is the set's author's to fix (a generator
// that cannot run, a template that does not render, two apps of one name), so all are bad
// input; each message names the set, the file and line it is declared at, and the generator
// (its index and type) or the template field concerned, so the fix starts at the right line.
import type { BadInputMark } from '../errors/bad-input.ts';
import type { DefinedIn } from '../config/types.ts';

/** What an error says the set is: its name and where it is declared. */
export interface SetIdentity {
  name: string;
  definedIn: DefinedIn;
}

export function setLabel(set: SetIdentity): string {
  const where = set.definedIn.line === undefined ? set.definedIn.file : `${set.definedIn.file}:${set.definedIn.line}`;
  return `ApplicationSet/${set.name} (${where})`;
}

export class ApplicationSetError extends Error implements BadInputMark {
  readonly badInput: boolean = true;
  readonly set: string;

  /** `where`: the generator (`generators[0] (list)`) or field (`template.metadata.name`) concerned. */
  constructor(set: SetIdentity, where: string | undefined, detail: string, options?: ErrorOptions) {
    super(`${setLabel(set)}: ${where ? `${where}: ` : ''}${detail}`, options);
    this.name = 'ApplicationSetError';
    this.set = set.name;
  }
}

/** A generator could not produce its parameters (bad elements, a Git path that cannot be read, …). */
export class GeneratorError extends ApplicationSetError {
  constructor(set: SetIdentity, where: string, detail: string, options?: ErrorOptions) {
    super(set, where, detail, options);
    this.name = 'GeneratorError';
  }
}

/** The template did not render into an Application for one parameter set. */
export class TemplateError extends ApplicationSetError {
  constructor(set: SetIdentity, where: string, detail: string, options?: ErrorOptions) {
    super(set, where, detail, options);
    this.name = 'TemplateError';
  }
}

/** Two parameter sets of one set rendered the same Application name. */
export class DuplicateApplicationError extends ApplicationSetError {
  readonly application: string;

  constructor(set: SetIdentity, application: string, first: unknown, second: unknown) {
    super(
      set,
      'template.metadata.name',
      `two parameter sets generate the Application "${application}": ${JSON.stringify(first)} and ${JSON.stringify(second)}; ` +
        'make the name template tell them apart (e.g. add the cluster name or path basename)',
    );
    this.name = 'DuplicateApplicationError';
    this.application = application;
  }
}

/**
 * A fasttemplate string Argo CD refuses, or a Git read that is not allowed (a path out of the
 * tree, a file too large). Raised without the set's context, which the generator adds by
 * wrapping it; bad input all the same.
 */
export class AppSetInputError extends Error implements BadInputMark {
  readonly badInput: boolean = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppSetInputError';
  }
}

/**
 * A generator failed for a reason that may not be the author's (a repository that could not
 * be fetched): the message names the set and generator, and whose fault it is stays with the
 * cause (isBadInput reads it), so a transient failure is retried.
 */
export class GenerationFailure extends Error {
  constructor(set: SetIdentity, where: string, detail: string, options?: ErrorOptions) {
    super(`${setLabel(set)}: ${where}: ${detail}`, options);
    this.name = 'GenerationFailure';
  }
}
