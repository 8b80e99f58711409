// Argo CD's `ignoreDifferences` for one object: which rules apply to it, and the object with
// the fields those rules name (jsonPointers, jqPathExpressions) removed, so that a comparison
// of two such copies never sees them.
import { KubeError } from './errors.ts';
import { groupOf, type KubeObject } from './object.ts';

/**
 * One entry of Argo CD's `spec.ignoreDifferences`. Defined here, with the code that applies
 * it, and re-exported by the config types: config may depend on kube, never the reverse.
 */
export interface IgnoreDifference {
  /** `''` or absent is the core group, as in Argo CD; `*` matches any. */
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
}

/** Argo CD's match: group and kind exactly or `*`, name and namespace when the rule gives them. */
export function ruleMatches(rule: IgnoreDifference, object: KubeObject): boolean {
  const glob = (pattern: string | undefined, value: string) => pattern === '*' || (pattern ?? '') === value;
  return (
    glob(rule.group, groupOf(object.apiVersion)) &&
    glob(rule.kind, object.kind) &&
    (!rule.name || rule.name === object.metadata.name) &&
    (!rule.namespace || rule.namespace === (object.metadata.namespace ?? ''))
  );
}

/** A path into an object: map keys, and array indices (numbers, or digits from a JSON pointer). */
export type Concrete = Array<string | number>;

/**
 * The paths the pointers and jq expressions name in `object`: every path a jq expression
 * selects there, and each pointer's path whether or not the object has it.
 */
export function ignoredPaths(object: KubeObject, pointers: string[], expressions: string[]): Concrete[] {
  return [...pointers.map(parsePointer), ...expressions.flatMap((expression) => jqPaths(object, expression))];
}

/** A copy of `object` without the fields the pointers and jq expressions name. */
export function withoutPaths(object: KubeObject, pointers: string[], expressions: string[]): KubeObject {
  const copy = structuredClone(object);
  const paths = ignoredPaths(copy, pointers, expressions);
  // Deepest and highest indices first, so removing one path never shifts another.
  paths.sort((a, b) => b.length - a.length || compareConcrete(b, a));
  for (const path of paths) removeAt(copy, path);
  return copy;
}

function compareConcrete(a: Concrete, b: Concrete): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    return typeof a[i] === 'number' && typeof b[i] === 'number' ? (a[i] as number) - (b[i] as number) : String(a[i]).localeCompare(String(b[i]));
  }
  return a.length - b.length;
}

/** RFC 6901: `/spec/template/spec/containers/0/image`, `~1` for `/`, `~0` for `~`. */
function parsePointer(pointer: string): Concrete {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new KubeError(`ignoreDifferences: JSON pointer ${JSON.stringify(pointer)} must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function removeAt(root: unknown, path: Concrete): void {
  if (path.length === 0) return;
  let node: unknown = root;
  for (const step of path.slice(0, -1)) {
    node = childOf(node, step);
    if (node === undefined) return;
  }
  const last = path[path.length - 1];
  if (Array.isArray(node)) {
    const index = Number(last);
    if (Number.isInteger(index) && index >= 0 && index < node.length) node.splice(index, 1);
  } else if (isMap(node)) {
    delete node[String(last)];
  }
}

function childOf(node: unknown, step: string | number): unknown {
  if (Array.isArray(node)) return node[Number(step)];
  if (isMap(node)) return node[String(step)];
  return undefined;
}

/**
 * The concrete paths a jq path expression selects, for the subset Argo CD users write:
 * `.a.b`, `.["a/b"]`, `.a[]`, `.a[0]`, pipes, and `select(PATH == LITERAL)` / `!=`, e.g.
 * `.spec.template.spec.initContainers[] | select(.name == "istio-init")`.
 */
function jqPaths(root: unknown, expression: string): Concrete[] {
  let current: Concrete[] = [[]];
  for (const stage of splitPipes(expression)) {
    const select = /^select\((.*)\)$/s.exec(stage);
    if (select) {
      const condition = /^(.*?)\s*(==|!=)\s*(.+)$/s.exec(select[1].trim());
      if (!condition) throw unsupportedJq(expression);
      const path = parseJqPath(condition[1].trim(), expression);
      let literal: unknown;
      try {
        literal = JSON.parse(condition[3].trim());
      } catch {
        throw unsupportedJq(expression);
      }
      current = current.filter((base) => {
        const values = expand(valueAt(root, base), path).map((relative) => valueAt(valueAt(root, base), relative));
        const equal = values.some((value) => value === literal);
        return condition[2] === '==' ? equal : !equal;
      });
      continue;
    }
    const steps = parseJqPath(stage, expression);
    current = current.flatMap((base) => expand(valueAt(root, base), steps).map((relative) => [...base, ...relative]));
  }
  return current.filter((path) => path.length > 0);
}

type JqStep = { name: string } | { index: number } | { each: true };

function parseJqPath(text: string, expression: string): JqStep[] {
  const steps: JqStep[] = [];
  let rest = text.trim();
  if (rest === '.') return steps;
  while (rest.length > 0) {
    let match: RegExpExecArray | null;
    if ((match = /^\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(rest))) steps.push({ name: match[1] });
    else if ((match = /^\.?\[\s*("(?:[^"\\]|\\.)*")\s*\]/.exec(rest))) steps.push({ name: JSON.parse(match[1]) as string });
    else if ((match = /^\.?\[\s*(\d+)\s*\]/.exec(rest))) steps.push({ index: Number(match[1]) });
    else if ((match = /^\.?\[\s*\]/.exec(rest))) steps.push({ each: true });
    else throw unsupportedJq(expression);
    rest = rest.slice(match[0].length).trim();
  }
  return steps;
}

function expand(value: unknown, steps: JqStep[]): Concrete[] {
  let paths: Array<{ path: Concrete; value: unknown }> = [{ path: [], value }];
  for (const step of steps) {
    paths = paths.flatMap(({ path, value: node }) => {
      if ('name' in step) return isMap(node) && step.name in node ? [{ path: [...path, step.name], value: node[step.name] }] : [];
      if ('index' in step) return Array.isArray(node) && step.index < node.length ? [{ path: [...path, step.index], value: node[step.index] }] : [];
      if (Array.isArray(node)) return node.map((item, index) => ({ path: [...path, index], value: item }));
      if (isMap(node)) return Object.entries(node).map(([key, item]) => ({ path: [...path, key], value: item }));
      return [];
    });
  }
  return paths.map(({ path }) => path);
}

/** The value at `path` in `root`, or undefined when it has none. */
export function valueAt(root: unknown, path: Concrete): unknown {
  let node = root;
  for (const step of path) node = childOf(node, step);
  return node;
}

function splitPipes(expression: string): string[] {
  const stages: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      stages.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  stages.push(expression.slice(start).trim());
  return stages;
}

function unsupportedJq(expression: string): KubeError {
  return new KubeError(
    `ignoreDifferences: jq path expression ${JSON.stringify(expression)} is not supported (paths, [], [n], pipes and select(PATH == VALUE) are)`,
  );
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
