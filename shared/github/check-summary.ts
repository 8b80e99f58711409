// The Markdown a check run shows: a title of one line, and a summary with the counts of what the
// sync did, the health of each object (a bounded table), its duration, drift and a link to the
// dashboard. Within GitHub's limits (a summary of at most 65535 characters), cut where a reader
// still sees what was left out. Names, kinds, counts, health and (cut) messages only: the
// result holds no manifest, so no value of a Secret can get here.
import { countActions, type ObjectAction, type ObjectChange } from '../sync/changeset.ts';
import type { CheckDetails } from './check-details.ts';
import type { CheckState } from './check-state.ts';

/** GitHub refuses a longer output.summary or output.text with 422. */
export const MAX_SUMMARY = 65535;
/** GitHub documents no limit on output.title; the checks page shows one line, so keep it to one. */
export const MAX_TITLE = 255;
/** Rows of the object table before "… and N more". */
export const MAX_OBJECT_ROWS = 200;
/** A message in a table cell or an annotation: the first line, cut. */
export const MAX_MESSAGE = 300;

const COUNTED: ObjectAction[] = ['created', 'configured', 'unchanged', 'pruned', 'failed'];
/** Shown only when there are some: hooks skipped, hook objects deleted by their policy. */
const COUNTED_IF_ANY: ObjectAction[] = ['skipped', 'deleted'];

export interface CheckOutput {
  title: string;
  summary: string;
}

export interface SummaryInput {
  state: CheckState;
  description: string;
  sha: string;
  details?: CheckDetails;
  /** `${DASHBOARD_URL}/apps/<app>?cluster=<cluster>`, when there is a dashboard. */
  dashboardLink?: string;
}

export function checkOutput(input: SummaryInput): CheckOutput {
  return { title: cut(oneLine(input.description), MAX_TITLE), summary: summaryMarkdown(input) };
}

export function summaryMarkdown(input: SummaryInput, limit = MAX_SUMMARY): string {
  const head = headLines(input);
  const tail = input.dashboardLink ? ['', `[Open ${input.details?.app ?? 'the app'} in the Driftless dashboard](${input.dashboardLink})`] : [];
  const objects = input.details?.result?.objects ?? [];
  // The most telling rows first: failures, then what is not healthy, then the rest in sync order.
  const ordered = [...objects].sort((a, b) => rank(a) - rank(b));
  let rows = Math.min(ordered.length, MAX_OBJECT_ROWS);
  for (;;) {
    const text = [...head, ...objectTable(ordered, rows), ...tail].join('\n');
    if (text.length <= limit) return text;
    if (rows === 0) return cut(text, limit);
    // Fewer rows until it fits: halve while far over, then one at a time.
    rows = text.length > limit * 1.5 ? Math.floor(rows / 2) : rows - 1;
  }
}

function headLines({ state, description, sha, details }: SummaryInput): string[] {
  const result = details?.result;
  const lines = [`**${escapeInline(cut(oneLine(description), MAX_MESSAGE))}**`, ''];
  const facts = [`commit \`${sha.slice(0, 12)}\``];
  if (details) facts.unshift(`\`${details.app}\` on \`${details.cluster}\``);
  if (details?.trigger) facts.push(`trigger: ${details.trigger}`);
  if (result) facts.push(`health: **${result.health}**`, `duration: ${formatDuration(result.durationMs)}`);
  lines.push(facts.join(' · '));
  if (state.status !== 'completed' && !result) return lines;
  if (!result) {
    lines.push('', reasonLine(details));
    return lines;
  }
  const counts = countActions(result.objects);
  const columns = [...COUNTED, ...COUNTED_IF_ANY.filter((action) => counts[action] > 0)];
  lines.push('', `| ${columns.join(' | ')} |`, `|${columns.map(() => '---:').join('|')}|`, `| ${columns.map((action) => counts[action]).join(' | ')} |`);
  lines.push('', driftLine(details, counts.configured));
  if (result.message && result.message !== description) lines.push('', escapeInline(cut(oneLine(result.message), MAX_MESSAGE)));
  for (const warning of (result.warnings ?? []).slice(0, 10)) lines.push('', `> ⚠️ ${escapeInline(cut(oneLine(warning), MAX_MESSAGE))}`);
  return lines;
}

function reasonLine(details?: CheckDetails): string {
  switch (details?.reason) {
    case 'superseded':
      return 'A newer commit was requested before this one was applied: nothing of it was applied.';
    case 'refused':
      return 'Nothing was applied: the sources, manifests or settings need a fix (see above).';
    case 'gave-up':
      return 'Nothing more will be tried for this commit: the job is in the dead-letter queue.';
    default:
      return 'Nothing was applied.';
  }
}

/** What a sync tells of drift: the objects it found different from Git and configured back. */
function driftLine(details: CheckDetails | undefined, configured: number): string {
  const objects = `${configured} object${configured === 1 ? '' : 's'}`;
  if (details?.trigger === 'self-heal') return `**Drift:** self-heal: the cluster had drifted from Git; ${objects} put back as Git says.`;
  return configured === 0 ? '**Drift:** none: no live object differed from Git.' : `**Drift:** ${objects} differed from Git and were configured.`;
}

function objectTable(objects: ObjectChange[], rows: number): string[] {
  if (objects.length === 0) return [];
  const lines = ['', '| Object | Action | Health | Message |', '|---|---|---|---|'];
  for (const object of objects.slice(0, rows)) {
    lines.push(`| ${cell(object.object)} | ${object.action} | ${object.health ?? ''} | ${cell(cut(oneLine(object.message ?? ''), MAX_MESSAGE))} |`);
  }
  if (objects.length > rows)
    lines.push('', `… and ${objects.length - rows} more object${objects.length - rows === 1 ? '' : 's'} (see the dashboard or \`driftless app\`).`);
  return lines;
}

function rank(object: ObjectChange): number {
  if (object.action === 'failed') return 0;
  if (object.health && object.health !== 'Healthy') return 1;
  return 2;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function oneLine(text: string): string {
  return text.split('\n')[0].trim();
}

/** At most `max` UTF-16 units (what `length` and GitHub count), never splitting a code point, with an ellipsis when cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const char of text) {
    if (kept.length + char.length > max - 1) break;
    kept += char;
  }
  return `${kept}…`;
}

/** A table cell: pipes escaped, so a message cannot open a column. */
function cell(text: string): string {
  return escapeInline(text).replace(/\|/g, '\\|');
}

/** Markdown that could turn a message into a link, an image or HTML is shown as text. */
function escapeInline(text: string): string {
  return text.replace(/[<>[\]`]/g, (char) => `\\${char}`);
}
