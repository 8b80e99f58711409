// Collecting problems against the document they concern, so each one carries file, line,
// object and field without every check having to assemble them.
import type { FieldPath, RegistryDocument } from './documents.ts';
import type { RegistryProblem } from './errors.ts';

export type Report = (field: FieldPath, message: string) => void;

/** `['spec', 'destinations', 0, 'name']` → `spec.destinations[0].name`. */
export function dottedPath(path: FieldPath): string {
  return path.reduce<string>((text, step) => (typeof step === 'number' ? `${text}[${step}]` : text === '' ? step : `${text}.${step}`), '');
}

/** `Application/web`, or the document's position when it has no usable kind or name. */
export function objectLabel(document: RegistryDocument): string {
  const value = document.value as { kind?: unknown; metadata?: { name?: unknown } } | null;
  const kind = typeof value?.kind === 'string' ? value.kind : undefined;
  const name = typeof value?.metadata?.name === 'string' ? value.metadata.name : undefined;
  if (kind && name) return `${kind}/${name}`;
  return kind ? `${kind} (document ${document.index})` : `document ${document.index}`;
}

export function reporter(document: RegistryDocument, problems: RegistryProblem[]): Report {
  const object = objectLabel(document);
  return (field, message) => {
    problems.push({ file: document.file, line: document.lineOf(field), object, field: field.length > 0 ? dottedPath(field) : undefined, message });
  };
}

/** Files in name order, then lines, so the list reads top to bottom like the repository. */
export function sortProblems(problems: RegistryProblem[]): RegistryProblem[] {
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => compare(a.problem.file, b.problem.file) || (a.problem.line ?? 0) - (b.problem.line ?? 0) || a.order - b.order)
    .map(({ problem }) => problem);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
