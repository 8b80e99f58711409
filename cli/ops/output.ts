// What the operating commands print: aligned tables, colour only on a terminal (and never
// with NO_COLOR set), ages, short shas, JSON for scripts.

export interface Palette {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export function colourEnabled(stream: { isTTY?: boolean } = process.stdout, env: Record<string, string | undefined> = process.env): boolean {
  return stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

export function palette(enabled = colourEnabled()): Palette {
  const wrap = (open: number, close: number) => (text: string) => (enabled && text !== '' ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return { green: wrap(32, 39), yellow: wrap(33, 39), red: wrap(31, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

const GOOD = new Set(['Synced', 'Healthy', 'InSync', 'ok', 'Succeeded']);
const BUSY = new Set(['Syncing', 'Progressing', 'OutOfSync', 'Drifted', 'Suspended', 'Pinned']);
const BAD = new Set(['Failed', 'Degraded', 'Missing', 'FAILED']);

/** A status word in the colour that says good, in progress or bad. */
export function statusColour(p: Palette, value: string): string {
  const word = value.split(/[\s(]/)[0];
  if (GOOD.has(word)) return p.green(value);
  if (BUSY.has(word)) return p.yellow(value);
  if (BAD.has(word)) return p.red(value);
  return value;
}

export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Columns padded to their widest cell; the last column is left ragged (it holds messages). */
export function table(header: string[], rows: string[][], p: Palette = palette()): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => visibleLength(row[column] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column] - visibleLength(cell))))
      .join('  ')
      .trimEnd();
  return [p.bold(line(header)), ...rows.map(line)].join('\n') + '\n';
}

export { shortSha } from '../../shared/operations/short-sha.ts';

/** "42s", "5m", "3h", "2d" since `iso`; '' when unknown. */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds}s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)}m`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}

export function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 90_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.round(ms / 60_000)}m`;
}

/** First line, cut to `max` characters, for table cells. */
export function oneLine(text: string | undefined, max = 80): string {
  const first = (text ?? '').split('\n')[0];
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
