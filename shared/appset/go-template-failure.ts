// What a failed `helm template` of a goTemplate chart (go-template-chart.ts) says, read back
// into the template string and request it concerns. Helm 4 prints Go's errors as a chain of
// frames, outermost first:
//
//   Error: <chart>/templates/main-0000.yaml:7:7
//     executing "<chart>/templates/main-0000.yaml" at <include "result.<nonce>" (list "s1.<nonce>" (index $p 5))>:
//       error calling include:
//   <chart>/templates/_helpers.tpl:2:40
//     executing "result.<nonce>" at <include (index . 0) (index . 1)>:
//       error calling include:
//   <chart>/templates/_s1.tpl:1:20
//     executing "s1.<nonce>" at <.a.b>:
//       nil pointer evaluating interface {}.b
//
// or, for `fail` and the like, `Error: execution error at (<chart>/templates/main-0000.yaml:7:7): boom`;
// a template Go cannot parse is `Error: parse error at (<chart>/templates/_s1.tpl:2): function
// "x" not defined`. The main file and line are the request, the define's file the template.

export interface Frame {
  template: number;
  line: number;
  column: number;
  /** The action Go was executing, as Go prints it between `<` and `>`. */
  at: string;
}

export type Failure =
  | { kind: 'parse'; template: number; line: number; detail: string }
  /** `line`: of the main file `file`, 1-based. */
  | { kind: 'execute'; file: string; line: number; frame?: Frame; detail: string }
  | { kind: 'unknown'; detail: string };

export function readFailure(stderr: string, chart: string): Failure {
  const message = stderr.replace(/\n*Use --debug flag to render out invalid YAML\s*$/, '').replace(/^Error: /, '');
  const file = (name: string): string => `${escape(chart)}/templates/${name}`;

  const parse = new RegExp(`^parse error at \\(${file('_s(\\d+)\\.tpl')}:(\\d+)\\): ([\\s\\S]*)$`).exec(message);
  if (parse) return { kind: 'parse', template: Number(parse[1]), line: Number(parse[2]), detail: parse[3].trim() };

  const main = new RegExp(`${file('(main-\\d+\\.yaml)')}:(\\d+):\\d+`).exec(message);
  if (!main) return { kind: 'unknown', detail: message.trim() };
  const at = { file: main[1], line: Number(main[2]) };

  const short = new RegExp(`^execution error at \\(${file('main-\\d+\\.yaml')}:\\d+:\\d+\\): ([\\s\\S]*)$`).exec(message);
  if (short) return { kind: 'execute', ...at, detail: short[1].trim() };

  // The first frame in a define of ours is the template string's own; the last line is Go's cause.
  const frame = new RegExp(`${file('_s(\\d+)\\.tpl')}:(\\d+):(\\d+)\\s+executing "[^"]*" at <(.*)>:`).exec(message);
  const lines = message.trim().split('\n');
  const detail = lines[lines.length - 1].trim();
  if (!frame) return { kind: 'execute', ...at, detail };
  return {
    kind: 'execute',
    ...at,
    frame: { template: Number(frame[1]), line: Number(frame[2]), column: Number(frame[3]), at: frame[4] },
    detail,
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
