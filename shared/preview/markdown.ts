// A PreviewReport as the output of the "Driftless preview" check run: a title, a summary
// (one table row per app × cluster, then errors and notes) and a text with one section per
// app × cluster (what would be created, changed, pruned, the verdicts, the diff in a ```diff
// block). GitHub refuses a summary or text over 65535 characters; both are kept under that
// in UTF-8 bytes (never fewer than characters), diffs shortened at line ends, each still a
// closed code block, and what was left out is said.
import { changeCount } from './change-count.ts';
import type { PreviewReport, TargetPreview } from './types.ts';
import type { ObjectRef } from '../kube/live.ts';

/** GitHub's limit on output.summary and output.text. */
export const CHECK_OUTPUT_LIMIT = 65535;
/** Kept back for the closing lines a shortened part adds. */
const MARGIN = 512;
/** Names listed per kind of change before "and N more". */
const LISTED = 50;
/** The fences of a diff block and the line saying what of it is not shown, at most. */
const BLOCK_OVERHEAD = 256;

export interface CheckOutput {
  title: string;
  summary: string;
  text: string;
}

export function previewCheckOutput(report: PreviewReport, limit = CHECK_OUTPUT_LIMIT): CheckOutput {
  return { title: title(report), summary: summary(report, limit), text: text(report, limit) };
}

function title(report: PreviewReport): string {
  const { targets } = report;
  if (targets.length === 0) return 'No app is touched by this change';
  const failed = targets.filter((target) => target.error).length;
  const changing = targets.filter((target) => !target.error && changeCount(target) > 0).length;
  const denied = targets.filter((target) => target.verdicts.some((verdict) => !verdict.allowed)).length;
  const parts = [`${changing} of ${count(targets.length, 'app × cluster', 'apps × clusters')} would change`];
  if (failed > 0) parts.push(`${failed} failed to preview`);
  if (denied > 0) parts.push(`${denied} refused by policy`);
  return parts.join(', ');
}

function summary(report: PreviewReport, limit: number): string {
  const head = `Preview of \`${short(report.head)}\` against the live clusters (base \`${short(report.base)}\`, ${report.repoURL}). Nothing was applied.\n\n`;
  if (report.targets.length === 0) return bounded(`${head}No app watches the paths this change touches.\n${notesOf(report)}`, limit);
  const rows = report.targets.map((target) => {
    const status = target.error
      ? '❌ error'
      : target.verdicts.some((verdict) => !verdict.allowed)
        ? '⛔ refused'
        : changeCount(target) > 0
          ? '✏️ changes'
          : '✅ no change';
    const cells = target.error ? ['–', '–', '–'] : [target.create.length, target.change.length, target.prune.length].map(String);
    return `| ${cell(target.app)} | ${cell(target.cluster)} | ${status} | ${cells.join(' | ')} |\n`;
  });
  const errors = report.targets
    .filter((target) => target.error)
    .map((target) => `- **${cell(target.app)} @ ${cell(target.cluster)}**${where(target)}: ${oneLine(target.error?.message ?? '', 1000)}\n`);
  const tableHead = '| App | Cluster | Result | Create | Change | Prune |\n|---|---|---|---:|---:|---:|\n';
  const tail = `${errors.length > 0 ? `\n**Errors**\n\n` : ''}`;
  const budget = limit - MARGIN - bytes(head) - bytes(tableHead) - bytes(notesOf(report));
  const shown = fitItems(rows, Math.floor(budget / 2), (left) => `| … ${left} more | | | | | |\n`);
  const listed = fitItems(errors, budget - bytes(shown), (left) => `- … and ${left} more errors\n`);
  return bounded(`${head}${tableHead}${shown}${errors.length > 0 ? tail + listed : ''}${notesOf(report)}`, limit);
}

function text(report: PreviewReport, limit: number): string {
  if (report.targets.length === 0) return '';
  // Everything but the diffs first: those are what gets shortened.
  const sections = report.targets.map((target) => ({ target, head: sectionHead(target) }));
  const fixed = sections.reduce((sum, section) => sum + bytes(section.head), 0);
  const diffs = sections.filter((section) => section.target.diff !== '');
  // Each block's fences and its "not shown" line come on top of its budget.
  let left = limit - MARGIN - fixed - diffs.length * BLOCK_OVERHEAD;
  if (left < 0) {
    // Even the lists do not fit (thousands of targets): the summary's table has them all by count.
    return bounded(sections.map((section) => section.head).join(''), limit);
  }
  // Smallest diffs first, each given at most an equal share of what is left, so one huge diff
  // cannot push every other out.
  const budgets = new Map<TargetPreview, number>();
  const bySize = [...diffs].sort((a, b) => bytes(a.target.diff) - bytes(b.target.diff));
  bySize.forEach((section, index) => {
    const share = Math.floor(left / (bySize.length - index));
    const given = Math.min(bytes(section.target.diff), share);
    budgets.set(section.target, given);
    left -= given;
  });
  const out = sections.map(({ target, head }) => (target.diff === '' ? head : head + diffBlock(target.diff, budgets.get(target) ?? 0)));
  return bounded(out.join(''), limit);
}

function sectionHead(target: TargetPreview): string {
  const lines = [`### ${target.app} @ ${target.cluster}\n\n`];
  if (target.error) {
    lines.push(`❌ **Could not preview**${where(target)}:\n\n${fence(capped(target.error.message, 4000))}\n`);
    return lines.join('');
  }
  if (changeCount(target) === 0) lines.push('No change.\n\n');
  lines.push(...listOf('Create', target.create), ...listOf('Change', target.change), ...listOf('Prune', target.prune));
  const verdicts = target.verdicts;
  if (verdicts.length > 0) {
    lines.push('**Policies**\n\n');
    for (const verdict of verdicts.slice(0, LISTED)) {
      lines.push(`- ${verdict.allowed ? '⚠️' : '⛔'} \`${cell(verdict.object)}\` — ${cell(verdict.policy)}: ${oneLine(verdict.message, 300)}\n`);
    }
    if (verdicts.length > LISTED) lines.push(`- … and ${verdicts.length - LISTED} more\n`);
    lines.push('\n');
  }
  return lines.join('');
}

function listOf(label: string, refs: ObjectRef[]): string[] {
  if (refs.length === 0) return [];
  const names = refs.slice(0, LISTED).map((ref) => `\`${name(ref)}\``);
  const more = refs.length > LISTED ? ` and ${refs.length - LISTED} more` : '';
  return [`**${label}** (${refs.length}): ${names.join(', ')}${more}\n\n`];
}

/** The diff in a ```diff block cut at a line end to `budget` bytes, the block always closed. */
function diffBlock(diff: string, budget: number): string {
  const ticks = fenceFor(diff);
  const all = diff.endsWith('\n') ? diff : `${diff}\n`;
  if (bytes(all) <= budget) return `${ticks}diff\n${all}${ticks}\n\n`;
  const lines = all.split('\n');
  let kept = '';
  let used = 0;
  let index = 0;
  for (; index < lines.length - 1; index += 1) {
    const size = bytes(lines[index]) + 1;
    if (used + size > budget) break;
    kept += `${lines[index]}\n`;
    used += size;
  }
  const dropped = lines.length - 1 - index;
  return `${ticks}diff\n${kept}${ticks}\n\n_… ${count(dropped, 'more line', 'more lines')} of this diff not shown (GitHub's size limit); \`driftless preview\` prints all of it._\n\n`;
}

/** A fence longer than any run of backticks in the content, so the content cannot close it. */
function fenceFor(content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(longest + 1);
}

function fence(content: string): string {
  const ticks = fenceFor(content);
  return `${ticks}\n${content.endsWith('\n') ? content : `${content}\n`}${ticks}\n`;
}

/** The items that fit in `budget` bytes, then one line saying how many did not. */
function fitItems(items: string[], budget: number, more: (left: number) => string): string {
  let out = '';
  for (const [index, item] of items.entries()) {
    if (bytes(out) + bytes(item) > budget) return out + more(items.length - index);
    out += item;
  }
  return out;
}

/** A last guard: never over the limit, cut at a character, not inside one. */
function bounded(value: string, limit: number): string {
  if (bytes(value) <= limit) return value;
  const note = "\n\n_… cut at GitHub's size limit._\n";
  let cut = value.slice(0, limit - bytes(note));
  while (bytes(cut) > limit - bytes(note)) cut = cut.slice(0, Math.floor(cut.length * 0.95));
  // An unclosed code block would swallow the note: close it.
  const fences = cut.match(/^`{3,}/gm) ?? [];
  if (fences.length % 2 === 1) cut += `\n${fences[fences.length - 1]}`;
  return cut + note;
}

function notesOf(report: PreviewReport): string {
  return report.notes && report.notes.length > 0 ? `\n**Notes**\n\n${report.notes.map((note) => `- ${oneLine(note, 500)}\n`).join('')}` : '';
}

function where(target: TargetPreview): string {
  const error = target.error;
  if (!error?.file) return '';
  return ` (\`${error.file}${error.line !== undefined ? `:${error.line}` : ''}\`)`;
}

function name(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** Table cells and inline text: no pipes or newlines that would break the table. */
function cell(value: string): string {
  return value.replace(/[|\n\r`]/g, ' ');
}

function oneLine(value: string, max: number): string {
  const line = value.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function capped(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

function short(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}
