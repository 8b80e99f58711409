// The Kubernetes CEL libraries that common policies use, on top of what cel-js has built in
// (has(), macros, optionals, lowerAscii/upperAscii/trim/split/join/substring/indexOf/
// lastIndexOf/matches on strings). Each function follows the Kubernetes CEL documentation
// ("CEL in Kubernetes": Kubernetes list, regex, URL and quantity libraries; the strings
// extension). Regular expressions are JavaScript's, which read RE2's common syntax the same.
import type { Environment } from '@marcbachmann/cel-js';
import { Quantity, parseQuantity, quantityOf } from './quantity.ts';
import { KubeURL, parseURL } from './url.ts';

type Comparable = bigint | number | string | boolean;

export function registerKubernetesExtensions(env: Environment): Environment {
  registerQuantity(env);
  registerLists(env);
  registerStrings(env);
  registerRegex(env);
  registerURL(env);
  return env;
}

function registerQuantity(env: Environment): void {
  env
    .registerType('kubernetes.Quantity', Quantity)
    .registerFunction('quantity(string): kubernetes.Quantity', (text: string) => quantityOf(text))
    .registerFunction('isQuantity(string): bool', (text: string) => parseQuantity(text) !== undefined)
    .registerFunction('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', (a: Quantity, b: Quantity) => a.compareTo(b))
    .registerFunction('kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) > 0n)
    .registerFunction('kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) < 0n)
    .registerFunction('kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.add(b))
    .registerFunction('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.add(new Quantity(b, 1n, '')))
    .registerFunction('kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.add(b.negate()))
    .registerFunction('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.add(new Quantity(-b, 1n, '')))
    .registerFunction('kubernetes.Quantity.isInteger(): bool', (a: Quantity) => a.isInteger())
    .registerFunction('kubernetes.Quantity.asInteger(): int', (a: Quantity) => a.asInteger())
    .registerFunction('kubernetes.Quantity.asApproximateFloat(): double', (a: Quantity) => a.asApproximateFloat())
    .registerFunction('kubernetes.Quantity.sign(): int', (a: Quantity) => a.sign());
}

function registerLists(env: Environment): void {
  env
    .registerFunction('list.isSorted(): bool', (list: Comparable[]) => list.every((item, index) => index === 0 || compare(list[index - 1]!, item) <= 0))
    .registerFunction('list.sum(): dyn', (list: Array<bigint | number>) => sum(list))
    .registerFunction('list.min(): dyn', (list: Comparable[]) => extreme(list, 'min', -1))
    .registerFunction('list.max(): dyn', (list: Comparable[]) => extreme(list, 'max', 1))
    .registerFunction('list.indexOf(dyn): int', (list: unknown[], item: unknown) => BigInt(list.findIndex((candidate) => sameValue(candidate, item))))
    .registerFunction('list.lastIndexOf(dyn): int', (list: unknown[], item: unknown) => BigInt(list.findLastIndex((candidate) => sameValue(candidate, item))))
    .registerFunction('list.slice(int, int): list', (list: unknown[], start: bigint, end: bigint) => {
      if (start < 0n || end < start || end > BigInt(list.length)) throw new Error(`slice(${start}, ${end}) is out of range for a list of ${list.length}`);
      return list.slice(Number(start), Number(end));
    });
}

function registerStrings(env: Environment): void {
  env
    .registerFunction('string.replace(string, string): string', (text: string, from: string, to: string) => text.replaceAll(from, to))
    .registerFunction('string.replace(string, string, int): string', (text: string, from: string, to: string, limit: bigint) => replaceN(text, from, to, limit))
    .registerFunction('string.charAt(int): string', (text: string, index: bigint) => {
      const chars = [...text];
      if (index < 0n || index > BigInt(chars.length)) throw new Error(`charAt(${index}) is out of range for a string of ${chars.length}`);
      return chars[Number(index)] ?? '';
    })
    .registerFunction('string.reverse(): string', (text: string) => [...text].reverse().join(''))
    .registerFunction('string.format(list): string', (text: string, args: unknown[]) => format(text, args));
}

function registerRegex(env: Environment): void {
  env
    .registerFunction('string.find(string): string', (text: string, pattern: string) => new RegExp(pattern, 'u').exec(text)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (text: string, pattern: string) => findAll(text, pattern, -1n))
    .registerFunction('string.findAll(string, int): list<string>', (text: string, pattern: string, limit: bigint) => findAll(text, pattern, limit));
}

function registerURL(env: Environment): void {
  env
    .registerType('kubernetes.URL', KubeURL)
    .registerFunction('url(string): kubernetes.URL', (text: string) => {
      const url = parseURL(text);
      if (!url) throw new Error(`URL parse error during conversion from string: ${JSON.stringify(text)}`);
      return url;
    })
    .registerFunction('isURL(string): bool', (text: string) => parseURL(text) !== undefined)
    .registerFunction('kubernetes.URL.getScheme(): string', (url: KubeURL) => url.scheme)
    .registerFunction('kubernetes.URL.getHost(): string', (url: KubeURL) => url.host)
    .registerFunction('kubernetes.URL.getHostname(): string', (url: KubeURL) => url.hostname)
    .registerFunction('kubernetes.URL.getPort(): string', (url: KubeURL) => url.port)
    .registerFunction('kubernetes.URL.getEscapedPath(): string', (url: KubeURL) => url.escapedPath)
    .registerFunction('kubernetes.URL.getQuery(): map', (url: KubeURL) => url.query);
}

function compare(a: Comparable, b: Comparable): number {
  if (typeof a === 'string' || typeof b === 'string' || typeof a === 'boolean' || typeof b === 'boolean') {
    if (typeof a !== typeof b) throw new Error(`cannot compare ${typeof a} with ${typeof b}`);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  // int and double compare by value, as CEL's numeric comparison does.
  return a < b ? -1 : a > b ? 1 : 0;
}

function sum(list: Array<bigint | number>): bigint | number {
  if (list.length === 0) return 0n;
  if (list.every((item) => typeof item === 'bigint')) return (list as bigint[]).reduce((total, item) => total + item, 0n);
  if (list.every((item) => typeof item === 'number')) return (list as number[]).reduce((total, item) => total + item, 0);
  throw new Error('sum() needs a list of ints or a list of doubles');
}

function extreme(list: Comparable[], name: string, direction: 1 | -1): Comparable {
  if (list.length === 0) throw new Error(`${name}() called on an empty list`);
  return list.reduce((best, item) => (compare(item, best) * direction > 0 ? item : best));
}

function sameValue(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) === Number(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  return JSON.stringify(a, bigintJSON) === JSON.stringify(b, bigintJSON);
}

function bigintJSON(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}

function replaceN(text: string, from: string, to: string, limit: bigint): string {
  if (limit < 0n) return text.replaceAll(from, to);
  let result = text;
  let position = 0;
  for (let done = 0n; done < limit; done++) {
    const at = result.indexOf(from, position);
    if (at < 0) break;
    result = result.slice(0, at) + to + result.slice(at + from.length);
    position = at + to.length + (from === '' ? 1 : 0);
  }
  return result;
}

function findAll(text: string, pattern: string, limit: bigint): string[] {
  if (limit === 0n) return [];
  const found = [...text.matchAll(new RegExp(pattern, 'gu'))].map((match) => match[0]);
  return limit < 0n ? found : found.slice(0, Number(limit));
}

/** The strings extension's `format`: %s, %d, %f (with precision), %e, %b, %o, %x, %X and %%. */
function format(template: string, args: unknown[]): string {
  let next = 0;
  return template.replace(/%(\.(\d+))?([sdfeboxX%])/g, (_match, _precision: string | undefined, digits: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (next >= args.length) throw new Error(`format: not enough arguments for ${JSON.stringify(template)}`);
    const arg = args[next++];
    switch (verb) {
      case 's':
        return formatString(arg);
      case 'd':
        return String(arg);
      case 'f':
        return Number(arg).toFixed(digits === undefined ? 6 : Number(digits));
      case 'e':
        return Number(arg).toExponential(digits === undefined ? 6 : Number(digits));
      case 'b':
        return typeof arg === 'boolean' ? String(arg) : BigInt(arg as bigint).toString(2);
      case 'o':
        return BigInt(arg as bigint).toString(8);
      case 'x':
        return typeof arg === 'string' ? Buffer.from(arg).toString('hex') : BigInt(arg as bigint).toString(16);
      default:
        return typeof arg === 'string'
          ? Buffer.from(arg).toString('hex').toUpperCase()
          : BigInt(arg as bigint)
              .toString(16)
              .toUpperCase();
    }
  });
}

function formatString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(formatString).join(', ')}]`;
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? Number(item) : item));
}
