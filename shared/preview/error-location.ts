// A preview's error as the check run shows it: the message (first the summary, as thrown)
// and, when the error knows it, the repository file and line it points at, so GitHub can
// annotate that line. Render errors carry a file (a parse error its line, an object its
// source), sync input errors the source of their first object, project violations theirs.
import { ProjectViolationError } from '../project/errors.ts';
import type { SourceLocation } from '../render/types.ts';
import type { TargetPreview } from './types.ts';

export function previewError(error: unknown, fallback?: SourceLocation): NonNullable<TargetPreview['error']> {
  const message = error instanceof Error ? error.message : String(error);
  const where = locationOf(error) ?? fallback;
  return { message, ...(where?.file ? { file: where.file } : {}), ...(where?.line !== undefined ? { line: where.line } : {}) };
}

function locationOf(error: unknown): { file?: string; line?: number } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (error instanceof ProjectViolationError) return error.violations.find((violation) => violation.source)?.source;
  const fields = error as { file?: unknown; line?: unknown; source?: unknown; second?: unknown };
  if (typeof fields.file === 'string') return { file: fields.file, line: typeof fields.line === 'number' ? fields.line : undefined };
  // DuplicateObjectError: the second place the object is written is the one to change.
  for (const candidate of [fields.source, fields.second]) {
    if (isLocation(candidate)) return candidate;
  }
  return undefined;
}

function isLocation(value: unknown): value is SourceLocation {
  return typeof value === 'object' && value !== null && typeof (value as SourceLocation).file === 'string';
}
