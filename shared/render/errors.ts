// Errors of the render step. Everything but ToolUnavailableError is the user's input being
// wrong (the repository, the application's options) and says where and what to change.
import type { SourceLocation } from './types.ts';
import { formatLocation } from './location.ts';
import type { BadInputMark } from '../errors/bad-input.ts';

export class RenderError extends Error implements BadInputMark {
  readonly badInput: boolean = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RenderError';
  }
}

/** The app path is missing, escapes the repository, or the repository holds escaping symlinks. */
export class SourcePathError extends RenderError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SourcePathError';
  }
}

/** The application's render options cannot be used as given. */
export class RenderOptionsError extends RenderError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RenderOptionsError';
  }
}

export class ManifestSyntaxError extends RenderError {
  readonly file: string;
  readonly line?: number;

  constructor(file: string, line: number | undefined, detail: string, options?: ErrorOptions) {
    super(`${file}${line === undefined ? '' : `:${line}`}: cannot parse: ${detail}`, options);
    this.name = 'ManifestSyntaxError';
    this.file = file;
    this.line = line;
  }
}

/** A document that is not a usable Kubernetes object (missing apiVersion, kind, name…). */
export class InvalidObjectError extends RenderError {
  readonly source: SourceLocation;
  readonly field?: string;

  constructor(source: SourceLocation, problem: string, field?: string, options?: ErrorOptions) {
    super(`${formatLocation(source)}: ${problem}`, options);
    this.name = 'InvalidObjectError';
    this.source = source;
    this.field = field;
  }
}

export class DuplicateObjectError extends RenderError {
  readonly object: string;
  readonly first: SourceLocation;
  readonly second: SourceLocation;

  constructor(object: string, first: SourceLocation, second: SourceLocation, options?: ErrorOptions) {
    // Across sources Argo CD applies the last copy with a RepeatedResourceWarning; which copy
    // wins should not depend on the order the sources are listed in, so here it is an error.
    const across = first.origin !== second.origin ? ' (two sources of the app produce it)' : '';
    super(`${object} is defined twice${across}: in ${formatLocation(first)} and in ${formatLocation(second)}; keep one of them`, options);
    this.name = 'DuplicateObjectError';
    this.object = object;
    this.first = first;
    this.second = second;
  }
}

/** helm or kustomize ran and refused the source; `detail` is the tool's own message. */
export class ToolFailedError extends RenderError {
  readonly file: string;
  readonly detail: string;

  constructor(tool: string, file: string, detail: string, options?: ErrorOptions) {
    super(`${tool} failed for ${file}: ${detail}`, options);
    this.name = 'ToolFailedError';
    this.file = file;
    this.detail = detail;
  }
}

export class HelmTemplateError extends ToolFailedError {
  constructor(file: string, detail: string, options?: ErrorOptions) {
    super('helm template', file, detail, options);
    this.name = 'HelmTemplateError';
  }
}

/** Rendering stays offline, so dependencies must be vendored under `charts/`. */
export class MissingChartDependencyError extends HelmTemplateError {
  constructor(file: string, detail: string, options?: ErrorOptions) {
    super(file, `${detail} (dependencies are never downloaded: run \`helm dependency build\` and commit charts/)`, options);
    this.name = 'MissingChartDependencyError';
  }
}

export class KustomizeBuildError extends ToolFailedError {
  constructor(file: string, detail: string, options?: ErrorOptions) {
    super('kustomize build', file, detail, options);
    this.name = 'KustomizeBuildError';
  }
}

/** helm or kubectl could not be started at all: a deployment problem, not the user's. */
export class ToolUnavailableError extends RenderError {
  // Retried by the worker and never reported as the manifests being wrong.
  override readonly badInput = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ToolUnavailableError';
  }
}

/**
 * A value from Git would begin a command-line element with `-`, where the tool would read it
 * as one of its own options (`--set-file=…`, `--post-renderer=…`) instead of as data.
 */
export class OptionLikeArgumentError extends RenderOptionsError {
  readonly what: string;

  constructor(what: string, value: string, options?: ErrorOptions) {
    super(`${what} "${value}" starts with "-", which the tool would read as one of its options; use a value that starts with a letter or digit`, options);
    this.name = 'OptionLikeArgumentError';
    this.what = what;
  }
}

/** The input is past one of the render's bounds (bytes, nesting depth, objects). */
export class RenderLimitError extends RenderError {
  readonly file: string;
  readonly limit: number;

  constructor(file: string, problem: string, limit: number, options?: ErrorOptions) {
    super(`${file}: ${problem}`, options);
    this.name = 'RenderLimitError';
    this.file = file;
    this.limit = limit;
  }
}

/**
 * A kustomization names something kustomize would fetch or read from outside the checked-out
 * tree: a URL of any kind, an absolute path, or a path that climbs out of the repository.
 */
export class KustomizeReferenceError extends RenderError {
  readonly file: string;
  readonly field: string;
  readonly value: string;

  constructor(file: string, field: string, value: string, problem: string, options?: ErrorOptions) {
    super(`${file}: ${field} "${value}" ${problem}`, options);
    this.name = 'KustomizeReferenceError';
    this.file = file;
    this.field = field;
    this.value = value;
  }
}
