// A goTemplate string made ready for Helm's template engine, which runs it (go-template.ts).
// Helm's engine is Go's text/template with Sprig, as Argo CD's is, but its function map is not
// quite Argo CD's:
// - Helm adds functions Argo CD does not have (include, tpl, required, lookup, toToml, …).
//   Argo CD would refuse a template calling one at parse time (`function "lookup" not
//   defined`), so the same message is given here, before Helm could run it;
// - Argo CD adds `normalize` (SanitizeName) and `slugify` (SanitizeName, then gosimple/slug),
//   which Helm lacks. Both are rewritten into calls of helper templates built from Sprig
//   functions that do what Argo CD's Go code does (go-template-chart.ts).
// Finding function names takes reading the actions the way Go's lexer splits them: text
// outside `{{ }}` is never code, strings (`"…"`, `` `…` ``, `'…'`) and comments inside an action
// are not either, and a name after `.` or `$` is a field or a variable, not a function. This
// is a scan for names, not an evaluation: everything else is left to Go.

/**
 * Functions Argo CD's ApplicationSet engine has not: Helm's own, getHostByName (Sprig's, which
 * Argo CD deletes), and env and expandenv (deleted by both; named here so no run is spent on them).
 */
const NOT_IN_ARGO = new Set([
  'include',
  'required',
  'lookup',
  'toToml',
  'fromToml',
  'fromJsonArray',
  'toYamlPretty',
  'mustToYaml',
  'getHostByName',
  'env',
  'expandenv',
]);

const TPL_REFUSED = 'function "tpl" not defined: tpl (in recent Argo CD versions) is not supported by this template engine; write the template inline';

/** Go's keywords: never functions. */
const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'nil', 'true', 'false', 'break', 'continue']);

/** Where a rewrite replaced text: at `at` in the original, `length` characters put in, `added` more than were there. */
export interface Insertion {
  at: number;
  length: number;
  added: number;
}

export type PreparedSource = { ok: true; text: string; insertions: Insertion[] } | { ok: false; error: string };

/** The helper templates Argo CD's own functions are rewritten into calls of (go-template-chart.ts). */
export interface Helpers {
  normalize: string;
  slugify: string;
}

/**
 * The text Helm runs for `template`: `normalize X` becomes `include "<normalize>" X`, and
 * `slugify A… X` becomes `list A… X | include "<slugify>"` (Argo CD's slugify takes up to
 * three arguments, so they travel as one list; a piped value is list's last argument, as it
 * is slugify's). A Helm-only function gives Argo CD's parse error shape.
 */
export function prepareGoTemplate(template: string, helpers: Helpers): PreparedSource {
  const found = scan(template);
  // Refused here because inside the define a template is wrapped in, Go would read on into the
  // wrapper and report something else.
  if (found.unclosed) return { ok: false, error: parseError(template, lineAt(template, template.length), found.unclosed) };
  const unbalanced = found.stray;
  if (unbalanced !== undefined) return { ok: false, error: parseError(template, lineAt(template, unbalanced), 'unexpected {{end}}') };
  const edits: Array<{ at: number; remove: number; text: string }> = [];
  for (const name of found.names) {
    if (NOT_IN_ARGO.has(name.id)) return { ok: false, error: parseError(template, lineAt(template, name.at), `function "${name.id}" not defined`) };
    // Recent Argo CD versions have a tpl of their own; Helm's needs a chart's context.
    if (name.id === 'tpl') return { ok: false, error: parseError(template, lineAt(template, name.at), TPL_REFUSED) };
    if (name.id === 'normalize') edits.push({ at: name.at, remove: name.id.length, text: `include ${JSON.stringify(helpers.normalize)}` });
    if (name.id === 'slugify') {
      edits.push({ at: name.at, remove: name.id.length, text: 'list' });
      edits.push({ at: commandEnd(template, name.at + name.id.length), remove: 0, text: ` | include ${JSON.stringify(helpers.slugify)}` });
    }
  }
  edits.sort((a, b) => a.at - b.at);
  const insertions: Insertion[] = [];
  let text = '';
  let copied = 0;
  for (const edit of edits) {
    text += template.slice(copied, edit.at) + edit.text;
    copied = edit.at + edit.remove;
    insertions.push({ at: edit.at, length: edit.text.length, added: edit.text.length - edit.remove });
  }
  text += template.slice(copied);
  return { ok: true, text, insertions };
}

/**
 * Where the command starting before `from` ends: at the `|` or `)` that closes it, or at the
 * action's end (before a ` -}}` trim marker), strings and nested parentheses skipped.
 */
function commandEnd(template: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < template.length) {
    const c = template[i];
    if (c === '"' || c === "'") {
      i = skipQuoted(template, i, c);
      continue;
    }
    if (c === '`') {
      const close = template.indexOf('`', i + 1);
      i = close < 0 ? template.length : close + 1;
      continue;
    }
    if (c === '(') depth += 1;
    if (c === ')' && depth-- === 0) return i;
    if (c === '|' && depth === 0) return i;
    if (c === '}' && template[i + 1] === '}') return template[i - 1] === '-' && isSpace(template[i - 2]) ? i - 2 : i;
    i += 1;
  }
  return i;
}

/** Argo CD's message for a template Go cannot parse. */
export function parseError(template: string, line: number, detail: string): string {
  return `failed to parse template ${template}: template: :${line}: ${detail}`;
}

/**
 * A position in the prepared text (1-based line, 0-based byte column as Go counts it within
 * the line) moved back to the original template. Rewrites never add lines; a position inside
 * a rewritten call is the start of the name it replaced.
 */
export function originalColumn(original: string, prepared: string, insertions: Insertion[], line: number, byteColumn: number): number {
  const lineStart = nthLineStart(prepared, line);
  const lineText = prepared.slice(lineStart, lineEnd(prepared, lineStart));
  const column = Buffer.from(lineText).subarray(0, byteColumn).toString().length;
  const originalStart = toOriginal(insertions, lineStart);
  const originalAt = toOriginal(insertions, lineStart + column);
  return Buffer.byteLength(original.slice(originalStart, originalAt));
}

function lineEnd(text: string, start: number): number {
  const newline = text.indexOf('\n', start);
  return newline < 0 ? text.length : newline;
}

function toOriginal(insertions: Insertion[], position: number): number {
  let shift = 0;
  for (const insertion of insertions) {
    const preparedStart = insertion.at + shift;
    if (position < preparedStart) break;
    if (position < preparedStart + insertion.length) return insertion.at;
    shift += insertion.added;
  }
  return position - shift;
}

function nthLineStart(text: string, line: number): number {
  let start = 0;
  for (let current = 1; current < line; current += 1) {
    const newline = text.indexOf('\n', start);
    if (newline < 0) return start;
    start = newline + 1;
  }
  return start;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

interface Name {
  id: string;
  at: number;
}

/**
 * A field chain read from the parameters themselves (`.a.b`, `$.a.b`): its keys, where it
 * starts, and the position Go gives its node (the second field of `.a.b`, the first of `$.a`).
 */
export interface RootChain {
  keys: string[];
  at: number;
  goPosition: number;
}

interface Scan {
  names: Name[];
  /**
   * Where an `{{end}}` closes no block. Go refuses it ("unexpected {{end}}"); refused here
   * too, since inside the define a template is wrapped in it would close the define instead.
   */
  stray?: number;
  /** Go's message for an action or comment the text ends inside of. */
  unclosed?: 'unclosed action' | 'unclosed comment';
  chains: RootChain[];
  /** `range`, `with` or `define`/`template`/`block` appear: `.` is not always the parameters. */
  dotMoves: boolean;
  /** A field is read from a variable (`$x.a`): Go may stop there at a missing key too. */
  variableFields: boolean;
}

const MOVES_DOT = new Set(['range', 'with', 'define', 'template', 'block']);

/** Identifiers in function position inside the template's actions, in order. */
export function functionNames(template: string): Name[] {
  return scan(template).names;
}

/** Field chains on the parameters, and whether `.` may be something else somewhere. */
export function rootChains(template: string): { chains: RootChain[]; dotMoves: boolean; variableFields: boolean } {
  const { chains, dotMoves, variableFields } = scan(template);
  return { chains, dotMoves, variableFields };
}

const OPENS_BLOCK = new Set(['if', 'range', 'with', 'block', 'define']);

function scan(template: string): Scan {
  const found: Scan = { names: [], chains: [], dotMoves: false, variableFields: false };
  let depth = 0;
  let i = 0;
  for (;;) {
    const open = template.indexOf('{{', i);
    if (open < 0) return found;
    i = open + 2;
    if (template[i] === '-' && isSpace(template[i + 1])) i += 2;
    while (isSpace(template[i])) i += 1;
    if (template.startsWith('/*', i)) {
      const close = template.indexOf('*/', i + 2);
      if (close < 0) {
        found.unclosed = 'unclosed comment';
        return found;
      }
      i = close + 2;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(template.slice(i, i + 16))?.[0];
    if (word !== undefined && OPENS_BLOCK.has(word)) depth += 1;
    if (word === 'end' && --depth < 0 && found.stray === undefined) found.stray = i;
    i = scanAction(template, i, found);
    if (i > template.length || (i === template.length && !template.endsWith('}}'))) {
      found.unclosed = 'unclosed action';
      return found;
    }
  }
}

/** Reads one action from `i` to just past its `}}`, collecting function names and field chains. */
function scanAction(template: string, start: number, found: Scan): number {
  let i = start;
  while (i < template.length) {
    const c = template[i];
    if (c === '}' && template[i + 1] === '}') return i + 2;
    if (c === '"' || c === "'") {
      i = skipQuoted(template, i, c);
      continue;
    }
    if (c === '`') {
      const close = template.indexOf('`', i + 1);
      i = close < 0 ? template.length : close + 1;
      continue;
    }
    const rootDollar = c === '$' && template[i + 1] === '.' && isIdentifierStart(template[i + 2] ?? '');
    const rootDot = c === '.' && isIdentifierStart(template[i + 1] ?? '') && !continuesOperand(template[i - 1]);
    if (rootDollar || rootDot) {
      const keys: string[] = [];
      const starts: number[] = [];
      let end = rootDollar ? i + 1 : i;
      while (template[end] === '.' && isIdentifierStart(template[end + 1] ?? '')) {
        let stop = end + 2;
        while (stop < template.length && isIdentifierPart(template[stop])) stop += 1;
        starts.push(end);
        keys.push(template.slice(end + 1, stop));
        end = stop;
      }
      // Go's parser gives a chain the position of the token after its first operand.
      const goPosition = rootDollar ? starts[0] : (starts[1] ?? starts[0]);
      found.chains.push({ keys, at: i, goPosition });
      i = end;
      continue;
    }
    if (isIdentifierStart(c)) {
      let end = i + 1;
      while (end < template.length && isIdentifierPart(template[end])) end += 1;
      const previous = template[i - 1];
      const id = template.slice(i, end);
      if (MOVES_DOT.has(id) && previous !== '.' && previous !== '$') found.dotMoves = true;
      if (previous === '$' && template[end] === '.') found.variableFields = true;
      if (previous !== '.' && previous !== '$' && !isDigit(previous) && !KEYWORDS.has(id)) found.names.push({ id, at: i });
      i = end;
      continue;
    }
    if (isDigit(c)) {
      // A number (1e3, 0x1F, 1_000): its letters are not names.
      while (i < template.length && (isIdentifierPart(template[i]) || template[i] === '.')) i += 1;
      continue;
    }
    i += 1;
  }
  return i;
}

/** Whether a `.` after this character continues an operand (`$x.a`, `(f).a`, `.a.b`) rather than starting on the dot. */
function continuesOperand(previous: string | undefined): boolean {
  return previous !== undefined && (isIdentifierPart(previous) || previous === ')' || previous === '.' || previous === '$');
}

function skipQuoted(template: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < template.length && template[i] !== quote && template[i] !== '\n') i += template[i] === '\\' ? 2 : 1;
  return i + 1;
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isIdentifierStart(c: string): boolean {
  return c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

function isIdentifierPart(c: string): boolean {
  return isIdentifierStart(c) || isDigit(c);
}
