// Errors of the sync engine. User input that cannot be synced (a bad annotation, a
// duplicated object) is a SyncInputError; anything else is our own fault.
import type { BadInputMark } from '../errors/bad-input.ts';

export class SyncError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SyncError';
  }
}

/** Something in the rendered manifests that the sync cannot act on. */
export class SyncInputError extends SyncError implements BadInputMark {
  readonly badInput: boolean = true;
  /** Where the object came from (render's source record), when the caller knows it. */
  source?: unknown;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SyncInputError';
  }
}

/** An annotation that steers the sync has a value we do not understand. */
export class InvalidAnnotationError extends SyncInputError {
  readonly object: string;
  readonly annotation: string;
  readonly value: string;
  constructor(object: string, annotation: string, value: string, problem: string, options?: ErrorOptions) {
    super(`${object}: annotation ${annotation}: ${JSON.stringify(value)} ${problem}`, options);
    this.name = 'InvalidAnnotationError';
    this.object = object;
    this.annotation = annotation;
    this.value = value;
  }
}

/**
 * Two planned objects address the same object on the cluster (group, kind, namespace, name,
 * after cluster scope is applied): their applies would fight. Render's DuplicateObjectError
 * catches the same object written twice; this one also catches two that only collide on the
 * cluster (a namespace dropped from a cluster-scoped kind).
 */
export class DuplicateTargetError extends SyncInputError {
  readonly object: string;
  constructor(object: string, options?: ErrorOptions) {
    super(`${object}: rendered more than once`, options);
    this.name = 'DuplicateTargetError';
    this.object = object;
  }
}

/** An object the sync would have to apply has no metadata.name. */
export class UnnamedObjectError extends SyncInputError {
  readonly object: string;
  constructor(object: string, options?: ErrorOptions) {
    super(`${object}: has no metadata.name (generateName is only allowed on hooks)`, options);
    this.name = 'UnnamedObjectError';
    this.object = object;
  }
}

/**
 * FailOnSharedResource=true and objects of this sync are already tracked by another app:
 * the whole sync fails before anything is written, naming each one and its owner.
 */
export class SharedResourceError extends SyncInputError {
  readonly objects: string[];
  constructor(shared: Array<{ object: string; owner: string }>, options?: ErrorOptions) {
    super(
      `FailOnSharedResource=true: ${shared.length === 1 ? 'an object is' : `${shared.length} objects are`} already tracked by another app, so nothing was synced:\n${shared.map(({ object, owner }) => `  ${object}: ${owner}`).join('\n')}`,
      options,
    );
    this.name = 'SharedResourceError';
    this.objects = shared.map(({ object }) => object);
  }
}
