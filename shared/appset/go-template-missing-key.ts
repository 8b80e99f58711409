// The error Argo CD gives under `goTemplateOptions: ["missingkey=error"]`, for a result in
// which Go printed `<no value>` (Helm's engine runs with missingkey=zero; go-template.ts says
// where that differs from Go's missingkey=error). Go's message names the action and the key:
//
//   failed to execute go template {{.missing}}: template: :1:2: executing "" at <.missing>: map has no entry for key "missing"
//
// The key is found by walking the template's field chains on the parameters (`.a.b`,
// `$.a.b`); the first chain with a key the parameters lack is the one Go stops at. When `.`
// may be something else (inside range or with) or no chain is missing (a value printed from a
// function), the message says what is known without a position.
import { rootChains } from './go-template-source.ts';
import type { Params } from './types.ts';

/**
 * Argo CD's error, or undefined when `<no value>` may be Go's own output: a null parameter
 * or that text in one, or — when `.` is always the parameters and no field is read from a
 * variable — a `<no value>` no field chain explains, which then came from a function
 * (`index` on a missing key), not from a missing key Go would stop at.
 */
export function missingKeyMessage(template: string, params: Params): string | undefined {
  if (holdsNullOrNoValue(params)) return undefined;
  const located = missingKeyAt(template, params);
  if (located) return located;
  const { dotMoves, variableFields } = rootChains(template);
  if (!dotMoves && !variableFields) return undefined;
  return `failed to execute go template ${template}: template: : executing "": map has no entry for a key the template reads (missingkey=error; the result printed <no value>)`;
}

/**
 * Argo CD's error naming the action and key, when a field chain on the parameters reads a
 * key they lack. Also what Go reports under missingkey=error where Helm's missingkey=zero
 * went on to "nil pointer evaluating interface {}.b" for `.a.b` without `a`.
 */
export function missingKeyAt(template: string, params: Params): string | undefined {
  const prefix = `failed to execute go template ${template}: template: `;
  const { chains, dotMoves } = rootChains(template);
  if (!dotMoves) {
    for (const chain of chains) {
      const missing = firstMissing(params, chain.keys);
      if (missing === undefined) continue;
      const { line, column } = position(template, chain.goPosition);
      const node = template.slice(chain.at).match(/^\$?(?:\.[A-Za-z_][A-Za-z0-9_]*)+/)?.[0] ?? '';
      return `${prefix}:${line}:${column}: executing "" at <${node}>: map has no entry for key "${missing}"`;
    }
  }
  return undefined;
}

function firstMissing(params: Params, keys: readonly string[]): string | undefined {
  let current: unknown = params;
  for (const key of keys) {
    // Go stops at a value that is not a map differently (a nil pointer or a field error); only
    // a map without the key is this error.
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return key;
    current = (current as Record<string, unknown>)[key];
  }
  return undefined;
}

function holdsNullOrNoValue(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null) return true;
    if (typeof node === 'string' && node.includes('<no value>')) return true;
    if (typeof node === 'object') pending.push(...Object.values(node as object));
  }
  return false;
}

/** Go's line (1-based) and byte column within the line (0-based) of `index`. */
function position(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: Buffer.byteLength(before.slice(lineStart)) };
}
