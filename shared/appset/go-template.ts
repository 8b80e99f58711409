// ApplicationSet `goTemplate: true` strings evaluated by Go's text/template with Sprig, as Argo
// CD evaluates them, through the `helm` binary of the layer (Helm's engine is text/template
// with Sprig; nothing here imitates Go templates). A whole batch — every string of every
// generated Application — is one helm process: a throwaway chart (go-template-chart.ts) with
// one define per distinct string and the parameter sets in JSON files.
//
// Where Helm's engine is not Argo CD's, and what is done about it:
// - functions: Helm-only ones are refused with Go's parse message, `normalize` and `slugify`
//   are rebuilt from Sprig (go-template-source.ts, go-template-chart.ts); `env`, `expandenv`
//   are absent from Helm as from Argo CD;
// - a `{{define}}` or `{{block}}` inside a template string is refused by Go here ("unexpected
//   <define> in command"), since each string is itself wrapped in a define; Argo CD allows it;
// - missingkey: Helm runs with missingkey=zero, which for Argo CD's map[string]interface{}
//   parameters prints `<no value>` exactly as missingkey=default does, so the default, zero
//   and invalid options are Go's own behaviour. missingkey=error is approximated: a result
//   holding `<no value>` is Argo CD's "map has no entry for key" error, and so is the nil
//   pointer error Helm reaches when a chain goes on past the missing key (`.a.b` without `a`),
//   both named at the key the parameters lack (go-template-missing-key.ts). Where it differs
//   from Go: a missing key only passed to a function or a condition (`{{ default "x" .missing }}`,
//   `{{ if .missing }}`) is an error in Go and renders here; inside range or with, or after
//   a variable's field, a `<no value>` printed by `index` on a missing key (no error in Go)
//   is reported as one; and when the parameters hold a null (which Go prints as `<no value>`
//   too, without error) or that very text, nothing is reported;
// - failures: Go stops at the first error, and Helm prints nothing else. The error names the
//   parameter set (its main file and line) and the template string (its define's file), whose
//   request gets Go's message; the rest run again, at most MAX_RUNS processes in all, and
//   requests still unrendered after that are reported as not evaluated, naming the failures
//   that came first.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BadInputMark } from '../errors/bad-input.ts';
import {
  chartNames,
  definePrefix,
  HEADER_LINES,
  MAX_CHUNK_BYTES,
  MAX_RESULT_BYTES,
  writeChart,
  type ChartNames,
  type ChartRequest,
} from './go-template-chart.ts';
import { readFailure, type Failure } from './go-template-failure.ts';
import { runHelmTemplate } from './go-template-run.ts';
import { missingKeyAt, missingKeyMessage } from './go-template-missing-key.ts';
import { functionNames, originalColumn, prepareGoTemplate, type PreparedSource } from './go-template-source.ts';
import type { Params } from './types.ts';

export interface GoTemplateRequest {
  template: string;
  params: Params;
}

export type GoTemplateResult = { text: string } | { error: string };

export interface GoTemplateOptions {
  /** `spec.goTemplateOptions` as written, e.g. `["missingkey=error"]`. */
  goTemplateOptions: string[];
}

/** helm processes one batch may start: the first run and the reruns after failures. */
export const MAX_RUNS = 5;

const MISSING_KEY_MODES = ['default', 'invalid', 'zero', 'error'] as const;

let runsStarted = 0;

/** helm processes started by this module since the process began (for bench/appset.ts). */
export function goTemplateRuns(): number {
  return runsStarted;
}

/** `goTemplateOptions` holds an option Go's text/template does not know: the set's author's to fix. */
export class GoTemplateOptionError extends Error implements BadInputMark {
  readonly badInput: boolean = true;
  constructor(message: string) {
    super(message);
    this.name = 'GoTemplateOptionError';
  }
}

interface Pending extends ChartRequest {
  /** Index in the caller's requests. */
  request: number;
}

/**
 * Requests (strings) a batch holds before it is split over several helm processes, one per CPU
 * (at most MAX_PROCESSES): a helm run is one Go process on one core, so on a worker with two
 * vCPUs a set of 10,000 apps renders in about half the time. Below it, one process.
 */
export const SPLIT_AT = 20_000;
const MAX_PROCESSES = 4;

/** Throws GoTemplateOptionError when `goTemplateOptions` holds an option Go's text/template does not know. */
export async function renderGoTemplates(requests: readonly GoTemplateRequest[], options: GoTemplateOptions): Promise<GoTemplateResult[]> {
  readMissingKey(options.goTemplateOptions);
  const processes = requests.length >= SPLIT_AT ? Math.min(MAX_PROCESSES, availableParallelism()) : 1;
  if (processes <= 1) return renderInOneProcess(requests, options);
  // Contiguous slices, so a parameter set's strings mostly stay together; each result is its request's alone.
  const size = Math.ceil(requests.length / processes);
  const slices = Array.from({ length: processes }, (_, index) => requests.slice(index * size, (index + 1) * size));
  return (await Promise.all(slices.map((slice) => renderInOneProcess(slice, options)))).flat();
}

async function renderInOneProcess(requests: readonly GoTemplateRequest[], options: GoTemplateOptions): Promise<GoTemplateResult[]> {
  const missingKeyError = readMissingKey(options.goTemplateOptions);
  const results: Array<GoTemplateResult | undefined> = new Array(requests.length);
  const names = chartNames();
  const templates = new Map<string, number>();
  const prepared: PreparedSource[] = [];
  const originals: string[] = [];
  const paramsIndex = new Map<Params, number>();
  const params: Params[] = [];
  const paramsJson: string[] = [];
  let pending: Pending[] = [];

  requests.forEach(({ template, params: values }, request) => {
    // Without an action, Go's output is the text itself.
    if (!template.includes('{{')) {
      results[request] = { text: template };
      return;
    }
    let k = templates.get(template);
    if (k === undefined) {
      k = originals.length;
      templates.set(template, k);
      originals.push(template);
      prepared.push(prepareGoTemplate(template, names));
    }
    const source = prepared[k];
    if (!source.ok) {
      results[request] = { error: source.error };
      return;
    }
    let p = paramsIndex.get(values);
    if (p === undefined) {
      p = params.length;
      paramsIndex.set(values, p);
      params.push(values);
      paramsJson.push(JSON.stringify(values));
    }
    if (paramsJson[p].length > MAX_CHUNK_BYTES) {
      results[request] = { error: `failed to execute go template ${template}: the parameters are larger than ${MAX_CHUNK_BYTES / 1024 / 1024} MiB as JSON` };
      return;
    }
    pending.push({ request, template: k, params: p });
  });

  if (pending.length > 0) {
    const scratch = await mkdtemp(join(tmpdir(), 'driftless-gotemplate-'));
    try {
      const failures: string[] = [];
      for (let run = 1; pending.length > 0; run += 1) {
        if (run > MAX_RUNS) {
          const first = failures.slice(0, 3).join('; ');
          for (const { request } of pending)
            results[request] = { error: `not evaluated: ${failures.length} other template strings failed first (${first}); fix those` };
          break;
        }
        const outcome = await runOnce(scratch, run, names, prepared, paramsJson, pending);
        if (outcome.ok) {
          outcome.texts.forEach((text, j) => {
            const { request, template, params: p } = pending[j];
            results[request] = finish(originals[template], text, missingKeyError, params[p]);
          });
          break;
        }
        const failure = outcome.failure;
        if (failure.kind === 'unknown') {
          for (const { request, template } of pending) results[request] = { error: `failed to execute go template ${originals[template]}: ${failure.detail}` };
          break;
        }
        if (failure.kind === 'parse') {
          const error = `failed to parse template ${originals[failure.template]}: template: :${failure.line}: ${failure.detail}`;
          failures.push(error);
          pending = pending.filter((entry) => {
            if (entry.template !== failure.template) return true;
            results[entry.request] = { error };
            return false;
          });
          continue;
        }
        if (failure.requests.length === 0) {
          for (const { request, template } of pending) results[request] = { error: `failed to execute go template ${originals[template]}: ${failure.detail}` };
          break;
        }
        const failed = new Set(failure.requests.map((index) => pending[index]));
        for (const entry of failed) {
          // Under missingkey=error Go stops at the missing key itself, before the nil it would
          // go on to (Helm runs with missingkey=zero).
          const missing = missingKeyError && NIL_FIELD.test(failure.detail) ? missingKeyAt(originals[entry.template], params[entry.params]) : undefined;
          const error = missing ?? executeError(originals[entry.template], prepared[entry.template], names, failure);
          results[entry.request] = { error };
          failures.push(error);
        }
        pending = pending.filter((entry) => !failed.has(entry));
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  return results.map((result) => result ?? { error: 'not evaluated (internal error: no result)' });
}

function readMissingKey(goTemplateOptions: readonly string[]): boolean {
  let error = false;
  for (const option of goTemplateOptions) {
    const [key, value] = option.split('=', 2);
    if (key !== 'missingkey' || !(MISSING_KEY_MODES as readonly string[]).includes(value ?? '')) {
      throw new GoTemplateOptionError(
        `goTemplateOptions: "${option}" is not an option of Go's text/template; the options are ${MISSING_KEY_MODES.map((mode) => `missingkey=${mode}`).join(', ')}`,
      );
    }
    // Go applies options in order: the last missingkey wins.
    error = value === 'error';
  }
  return error;
}

function finish(template: string, text: string | typeof TOO_LARGE_RESULT, missingKeyError: boolean, params: Params): GoTemplateResult {
  if (text === TOO_LARGE_RESULT) return { error: `failed to execute go template ${template}: the result is larger than ${MAX_RESULT_BYTES / 1024 / 1024} MiB` };
  if (missingKeyError && text.includes('<no value>')) {
    const error = missingKeyMessage(template, params);
    if (error) return { error };
  }
  return { text };
}

function executeError(template: string, source: PreparedSource, names: ChartNames, failure: ExecuteFailure): string {
  const { frame } = failure;
  if (!frame || !source.ok) return `failed to execute go template ${template}: ${failure.detail}`;
  // Line 1 of a define's file starts with the define itself; the template's own columns follow it.
  const prefix = frame.line === 1 ? Buffer.byteLength(definePrefix(names, frame.template)) : 0;
  const column = originalColumn(template, source.text, source.insertions, frame.line, frame.column - prefix);
  const at = frame.at
    .split(`include ${JSON.stringify(names.normalize)}`)
    .join('normalize')
    .split(`include ${JSON.stringify(names.slugify)}`)
    .join('slugify');
  return `failed to execute go template ${template}: template: :${frame.line}:${column}: executing "" at <${at}>: ${failure.detail}`;
}

const TOO_LARGE_RESULT = Symbol('too large');

/** Go's error for a field read on a nil value (`.a.b` where `.a` printed <no value>). */
const NIL_FIELD = /^nil pointer evaluating interface \{\}\./;

/**
 * An execution failure with the requests it concerns (indices in the run's pending list): the
 * parameter set's requests of the template Go names, or, when Go names none (`fail`), those
 * of its templates that call fail; none when the main file and line name no parameter set.
 */
type ExecuteFailure = Extract<Failure, { kind: 'execute' }> & { requests: number[] };
type RunFailure = Exclude<Failure, { kind: 'execute' }> | ExecuteFailure;

type RunOutcome = { ok: true; texts: Array<string | typeof TOO_LARGE_RESULT> } | { ok: false; failure: RunFailure };

async function runOnce(
  scratch: string,
  run: number,
  names: ChartNames,
  prepared: readonly PreparedSource[],
  paramsJson: readonly string[],
  pending: readonly Pending[],
): Promise<RunOutcome> {
  const used = new Set(pending.map((entry) => entry.template));
  const defines = prepared.map((source, k) => (used.has(k) && source.ok ? source.text : undefined));
  const chartDir = join(scratch, `run-${run}`);
  const chunks = await writeChart(chartDir, names, defines, paramsJson, pending);
  runsStarted += 1;
  const outcome = await runHelmTemplate(chartDir, scratch, 'gotemplate');
  if (!outcome.ok) {
    if (outcome.whole) return { ok: false, failure: { kind: 'unknown', detail: outcome.message } };
    const failure = readFailure(outcome.message, names.chart);
    if (failure.kind !== 'execute') return { ok: false, failure };
    const set = chunks.find((candidate) => candidate.file === failure.file)?.lines[failure.line - HEADER_LINES - 1] ?? [];
    const frame = failure.frame;
    let requests = frame ? set.filter((index) => pending[index].template === frame.template) : [];
    if (!frame) {
      const calling = set.filter((index) => callsFail(prepared[pending[index].template], names));
      requests = calling.length > 0 ? calling.filter((index) => pending[index].template === pending[calling[0]].template) : set;
    }
    return { ok: false, failure: { ...failure, requests } };
  }
  // Helm prints each main file as a document headed `# Source: <chart>/templates/<file>`, in
  // an order of its own: lines are read back by file.
  const byFile = new Map<string, string[]>();
  let current: string[] | undefined;
  const source = `# Source: ${names.chart}/templates/`;
  for (const line of outcome.stdout.split('\n')) {
    if (line.startsWith(source)) byFile.set(line.slice(source.length), (current = []));
    else if (line.startsWith('# r:') && current) current.push(line.slice(4));
  }
  const texts: Array<string | typeof TOO_LARGE_RESULT> = new Array(pending.length);
  for (const chunk of chunks) {
    const printed = byFile.get(chunk.file) ?? [];
    if (printed.length !== chunk.lines.length) {
      return {
        ok: false,
        failure: { kind: 'unknown', detail: `helm printed ${printed.length} lines for the ${chunk.lines.length} parameter sets of ${chunk.file}` },
      };
    }
    chunk.lines.forEach((set, g) => {
      const parts = Buffer.from(printed[g], 'base64').toString('utf8').split(names.separator);
      set.forEach((index, n) => {
        const part = parts.length === set.length ? parts[n] : undefined;
        texts[index] = part === undefined || Buffer.byteLength(part) > MAX_RESULT_BYTES ? TOO_LARGE_RESULT : part;
      });
    });
  }
  return { ok: true, texts };
}

/** Whether a template may end in a `fail` (its own, or slugify's on a wrong argument type). */
function callsFail(source: PreparedSource, names: ChartNames): boolean {
  return source.ok && (source.text.includes(JSON.stringify(names.slugify)) || functionNames(source.text).some((name) => name.id === 'fail'));
}
