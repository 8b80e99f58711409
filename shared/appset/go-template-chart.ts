// The throwaway chart one batch of goTemplate strings is rendered with (go-template.ts): one
// `define` per distinct template string, every parameter set once in a JSON file the chart
// reads with `.Files.Get … | fromJson` (Go's json.Unmarshal into map[string]interface{}, as
// Argo CD holds parameters: numbers are float64, nothing is coalesced the way Helm coalesces
// values), and a main template that renders request j on line j + 2 of its output:
//
//   # r:<base64 of the result>        or        # r:!        (the result is too large)
//
// Why this shape:
// - `helm template` parses its output as manifests, and a YAML comment is a document nobody
//   reads, so any result (a newline, `---`, `{{`) comes back byte for byte once decoded;
// - base64 is taken inside Go, before Helm strips the text `<no value>` from its output, so a
//   missing key prints `<no value>` as Go (and Argo CD) prints it;
// - a template is called with `include "…" $params`, which makes both `.` and `$` the
//   parameters, as in Argo CD, and nothing else of the chart reachable: `.Files`, `.Release`
//   and `.Values` are the parameters' own keys of those names;
// - when Go fails it names the line of the main template it was executing, which is the
//   request, and the file of the define (`_s<k>.tpl`), which is the template string;
// - names carry a random nonce, so a template cannot call or redefine another one's define.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Params } from './types.ts';

/** A result longer than this is refused (Go checks the length before base64, so nothing larger is printed). */
export const MAX_RESULT_BYTES = 1024 * 1024;

/** The output line marking a result over MAX_RESULT_BYTES. */
export const TOO_LARGE = '!';

/** Lines of the main template before request 0's. */
export const HEADER_LINES = 1;

export interface ChartNames {
  /** The chart's name, which prefixes every template file name in Helm's messages. */
  chart: string;
  /** The define of template string k. */
  define(k: number): string;
  /** The helper standing for Argo CD's `normalize`. */
  normalize: string;
}

export function chartNames(): ChartNames {
  const nonce = randomBytes(8).toString('hex');
  return {
    chart: `gotemplate-${nonce}`,
    define: (k) => `s${k}.${nonce}`,
    normalize: `normalize.${nonce}`,
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

export async function writeChart(
  dir: string,
  names: ChartNames,
  templates: ReadonlyArray<string | undefined>,
  params: readonly Params[],
  requests: readonly ChartRequest[],
): Promise<void> {
  await mkdir(join(dir, 'templates'), { recursive: true });
  const files: Array<Promise<void>> = [
    writeFile(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${names.chart}\nversion: 0.0.0\n`),
    writeFile(join(dir, 'params.json'), `{"p":[${params.map((p) => JSON.stringify(p)).join(',')}]}`),
    writeFile(join(dir, 'templates', '_normalize.tpl'), normalizeHelper(names)),
    writeFile(join(dir, 'templates', 'main.yaml'), mainTemplate(names, requests)),
  ];
  templates.forEach((text, k) => {
    if (text !== undefined) files.push(writeFile(join(dir, 'templates', `_s${k}.tpl`), `${definePrefix(names, k)}${text}{{end}}`));
  });
  await Promise.all(files);
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

function mainTemplate(names: ChartNames, requests: readonly ChartRequest[]): string {
  const lines = ['{{- $p := (.Files.Get "params.json" | fromJson).p }}'];
  for (const request of requests) {
    lines.push(
      `# r:{{ $s := include ${JSON.stringify(names.define(request.template))} (index $p ${request.params}) }}` +
        `{{ if gt (len $s) ${MAX_RESULT_BYTES} }}${TOO_LARGE}{{ else }}{{ b64enc $s }}{{ end }}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
