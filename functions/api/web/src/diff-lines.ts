// A unified diff split into lines with what each one is, for coloring: added, removed, a hunk
// header, a file header, or context.
export type DiffLineKind = 'add' | 'remove' | 'hunk' | 'file' | 'context';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

export function diffLines(diff: string): DiffLine[] {
  if (!diff) return [];
  const lines = diff.endsWith('\n') ? diff.slice(0, -1).split('\n') : diff.split('\n');
  return lines.map((text) => ({ kind: lineKind(text), text }));
}

function lineKind(text: string): DiffLineKind {
  if (text.startsWith('+++') || text.startsWith('---') || text.startsWith('Index: ') || text.startsWith('=====')) return 'file';
  if (text.startsWith('@@')) return 'hunk';
  if (text.startsWith('+')) return 'add';
  if (text.startsWith('-')) return 'remove';
  return 'context';
}
