// The throwaway chart one batch of goTemplate strings is rendered with (go-template.ts): one
// `define` per distinct template string, the parameter sets in JSON files the chart reads with
// `.Files.Get … | fromJson` (Go's json.Unmarshal into map[string]interface{}, as Argo CD holds
// parameters: numbers are float64, nothing is coalesced the way Helm coalesces values), and
// main templates (main-NNNN.yaml, each under Helm's 5 MiB per file) with one line per
// parameter set, which prints every string of that set at once:
//
//   # r:<base64 of result 1, SEP, result 2, SEP, …>
//
// Why this shape:
// - `helm template` parses its output as manifests, and a YAML comment is a document nobody
//   reads, so any result (a newline, `---`, `{{`) comes back byte for byte once decoded;
// - base64 is taken inside Go, before Helm strips the text `<no value>` from its output, so a
//   missing key prints `<no value>` as Go (and Argo CD) prints it;
// - one `include` per parameter set, of a "bundle" define running each string's define with
//   the `template` action (measured: an `include` per string took helm 1.7 times as long); and
//   no variable is declared on a main line, since top-level variables are never popped and Go
//   looks `$p` up through all of them;
// - `template "…" .` and `include "…" $params` make both `.` and `$` the parameters, as in
//   Argo CD, and nothing else of the chart reachable: `.Files`, `.Release` and `.Values` are
//   the parameters' own keys of those names;
// - when Go fails it names the main file and line it was executing, which is the parameter
//   set, and the file of the define (`_s<k>.tpl`), which is the template string;
// - names and the separator carry a random nonce, so a template can neither call or redefine
//   another one's define nor print a separator.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A result longer than this is refused. Checked once decoded, not in Go: a length check on
 * every line costs more than the strings themselves; the output as a whole is bounded by the
 * run's buffer (go-template-run.ts), and helm's memory by its address-space limit.
 */
export const MAX_RESULT_BYTES = 1024 * 1024;

/** Lines of the main template before request 0's. */
export const HEADER_LINES = 1;

export interface ChartNames {
  /** The chart's name, which prefixes every template file name in Helm's messages. */
  chart: string;
  /** The define of template string k. */
  define(k: number): string;
  /** The define printing bundle j: its template strings one after the other, separated by `separator`. */
  bundle(j: number): string;
  /** The helper standing for Argo CD's `normalize`. */
  normalize: string;
  /** The helper standing for Argo CD's `slugify`, called with the list of its arguments. */
  slugify: string;
  separator: string;
}

export function chartNames(): ChartNames {
  const nonce = randomBytes(6).toString('hex');
  return {
    chart: `gotemplate-${nonce}`,
    define: (k) => `s${k}.${nonce}`,
    bundle: (j) => `b${j}.${nonce}`,
    normalize: `normalize.${nonce}`,
    slugify: `slugify.${nonce}`,
    separator: `<${nonce}>`,
  };
}

/** The text before template k's own text on line 1 of its file (Go's columns count from the file's line start). */
export function definePrefix(names: ChartNames, k: number): string {
  return `{{define ${JSON.stringify(names.define(k))}}}`;
}

export interface ChartRequest {
  /** Index of the template string (its define). */
  template: number;
  /** Index of the parameter set. */
  params: number;
}

/** A main template file: line HEADER_LINES + 1 + g prints `lines[g]`, the indices (in the requests given) of one parameter set's requests. */
export interface Chunk {
  file: string;
  lines: number[][];
}

/**
 * Helm refuses a chart file over 5 MiB ("larger than the maximum file size"), so parameter
 * sets are split over main files of at most this many bytes, each with the parameter sets it
 * reads in a JSON file of its own, also at most this large (past one parameter set).
 */
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;

/** `paramsJson`: each parameter set as JSON, indexed as ChartRequest.params. */
export async function writeChart(
  dir: string,
  names: ChartNames,
  templates: ReadonlyArray<string | undefined>,
  paramsJson: readonly string[],
  requests: readonly ChartRequest[],
): Promise<Chunk[]> {
  await mkdir(join(dir, 'templates'), { recursive: true });
  const files: Array<Promise<void>> = [writeFile(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${names.chart}\nversion: 0.0.0\n`)];
  templates.forEach((text, k) => {
    if (text !== undefined) files.push(writeFile(join(dir, 'templates', `_s${k}.tpl`), `${definePrefix(names, k)}${text}{{end}}`));
  });

  // The requests of each parameter set, in the order the sets first appear.
  const bySet = new Map<number, number[]>();
  requests.forEach((request, index) => {
    const set = bySet.get(request.params);
    if (set) set.push(index);
    else bySet.set(request.params, [index]);
  });
  const bundles = new Map<string, number>();
  const bundleOf = (set: number[]): number => {
    const key = set.map((index) => requests[index].template).join(',');
    let j = bundles.get(key);
    if (j === undefined) bundles.set(key, (j = bundles.size));
    return j;
  };

  const chunks: Chunk[] = [];
  let chunk: { lines: string[]; params: string[]; bytes: number; paramsBytes: number; sets: number[][] } | undefined;
  const flush = (): void => {
    if (!chunk) return;
    const index = chunks.length;
    const file = `main-${String(index).padStart(4, '0')}.yaml`;
    const header = `{{- $p := (.Files.Get "p-${index}.json" | fromJson).p }}`;
    files.push(writeFile(join(dir, `p-${index}.json`), `{"p":[${chunk.params.join(',')}]}`));
    files.push(writeFile(join(dir, 'templates', file), `${[header, ...chunk.lines].join('\n')}\n`));
    chunks.push({ file, lines: chunk.sets });
    chunk = undefined;
  };
  for (const [params, set] of bySet) {
    const json = paramsJson[params];
    const bundle = JSON.stringify(names.bundle(bundleOf(set)));
    const lineFor = (local: number): string => `# r:{{ include ${bundle} (index $p ${local}) | b64enc }}`;
    if (chunk && (chunk.bytes + lineFor(chunk.params.length).length + 1 > MAX_CHUNK_BYTES || chunk.paramsBytes + json.length + 1 > MAX_CHUNK_BYTES)) flush();
    chunk ??= { lines: [], params: [], bytes: 64, paramsBytes: 8, sets: [] };
    const line = lineFor(chunk.params.length);
    chunk.lines.push(line);
    chunk.params.push(json);
    chunk.sets.push(set);
    chunk.bytes += line.length + 1;
    chunk.paramsBytes += json.length + 1;
  }
  flush();

  const helpers = [normalizeHelper(names), slugifyHelper(names)];
  for (const [key, j] of bundles) {
    const calls = key.split(',').map((k) => `{{template ${JSON.stringify(names.define(Number(k)))} .}}`);
    helpers.push(`{{define ${JSON.stringify(names.bundle(j))}}}${calls.join(names.separator)}{{end}}`);
  }
  files.push(writeFile(join(dir, 'templates', '_helpers.tpl'), `${helpers.join('\n')}\n`));
  await Promise.all(files);
  return chunks;
}

/**
 * Argo CD's `normalize` (SanitizeName): lower-case, every character but `-`, `a-z`, `0-9` and
 * `.` replaced by `-`, cut to 253 bytes, then `-` and `.` trimmed from both ends. Sprig's
 * lower, regexReplaceAll, trunc and trimAll are strings.ToLower, regexp.ReplaceAllString,
 * s[:n] and strings.Trim: the same calls in the same order.
 */
function normalizeHelper(names: ChartNames): string {
  return `{{define ${JSON.stringify(names.normalize)}}}{{ regexReplaceAll "[^-a-z0-9.]" (lower .) "-" | trunc 253 | trimAll "-." }}{{end}}`;
}

/**
 * Argo CD's `slugify` (SlugifyName) on the list of its arguments: the last is the name, a
 * first of two or more the maximum length (default 50), a second of three or more whether to
 * truncate smartly (default true); a wrong type fails as Go's type assertion does. The name is
 * normalized (as above), then made a slug as gosimple/slug's Make does for such text (already
 * lower-case ASCII): cut to the maximum first when smart truncation is off, every character
 * but letters, digits, `-` and `_` to `-`, runs of `-` to one, `-` and `_` trimmed, then, when
 * smart and still too long, cut before the last `-` within the first maximum + 1 bytes (or at
 * the maximum when there is none).
 */
function slugifyHelper(names: ChartNames): string {
  const wrongType = (variable: string, type: string): string =>
    `{{- if not (kindIs "${type}" ${variable}) }}{{ fail (printf "interface conversion: interface {} is %s, not ${type}" (typeOf ${variable})) }}{{ end -}}`;
  return [
    `{{define ${JSON.stringify(names.slugify)}}}`,
    '{{- $n := len . }}{{ $max := 50 }}{{ $smart := true }}{{ $name := "" -}}',
    `{{- if ge $n 2 }}{{ $max = index . 0 }}${wrongType('$max', 'int')}{{ end -}}`,
    `{{- if ge $n 3 }}{{ $smart = index . 1 }}${wrongType('$smart', 'bool')}{{ end -}}`,
    `{{- if ge $n 1 }}{{ $name = index . (sub $n 1) }}${wrongType('$name', 'string')}{{ end -}}`,
    '{{- $s := regexReplaceAll "[^-a-z0-9.]" (lower $name) "-" | trunc 253 | trimAll "-." -}}',
    '{{- if and (not $smart) (ge (len $s) $max) }}{{ $s = trunc $max $s }}{{ end -}}',
    '{{- $s = regexReplaceAll "-+" (regexReplaceAll "[^a-zA-Z0-9-_]" $s "-") "-" | trimAll "-_" -}}',
    '{{- if and (gt $max 0) $smart (gt (len $s) $max) -}}',
    '{{- $head := regexFind "^.*-" (substr 0 (int (add $max 1)) $s) -}}',
    '{{- if $head }}{{ $s = trimSuffix "-" $head }}{{ else }}{{ $s = trunc $max $s }}{{ end -}}',
    '{{- end -}}',
    '{{- $s -}}',
    '{{end}}',
  ].join('');
}
