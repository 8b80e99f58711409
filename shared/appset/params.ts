// Parameter helpers shared by the generators, each one of Argo CD's rules:
// - flattenParams: jeremywohl/flatten in DotStyle (`a.b`, a list item `a.0`; an empty mapping
//   or list leaves no key), each leaf written with Go's `%v`, which is how Argo CD turns a Git
//   file into fasttemplate parameters and how it flattens any parameter set for a post selector;
// - goValueString: Go's `%v` of a JSON-decoded value (numbers are float64: 3 → "3",
//   1000000 → "1e+06"; null → "<nil>");
// - sanitizeName: utils.SanitizeName, behind `nameNormalized` and `path.basenameNormalized`.
import type { Params } from './types.ts';

export function flattenParams(params: Params): Record<string, string> {
  const flat: Record<string, string> = {};
  const walk = (value: unknown, key: string): void => {
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, key === '' ? String(index) : `${key}.${index}`));
    else if (isPlainObject(value)) for (const [name, item] of Object.entries(value)) walk(item, key === '' ? name : `${key}.${name}`);
    else flat[key] = goValueString(value);
  };
  for (const [name, value] of Object.entries(params)) walk(value, name);
  return flat;
}

export function goValueString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goFloat(value);
  if (typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '<nil>';
  return JSON.stringify(value);
}

// strconv.FormatFloat(f, 'g', -1, 64) as fmt's %v uses it: the shortest digits, in exponent
// form when the exponent is below -4 or at least 6 (Go's rule for the shortest precision).
function goFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return String(value);
}

const INVALID_DNS_CHARACTERS = /[^-a-z0-9.]/g;
const MAX_DNS_NAME = 253;

/** Lower case, anything but `-`, `.`, a-z and 0-9 replaced by `-`, at most 253 characters, no `-` or `.` at either end. */
export function sanitizeName(name: string): string {
  let out = name.toLowerCase().replace(INVALID_DNS_CHARACTERS, '-');
  if (out.length > MAX_DNS_NAME) out = out.slice(0, MAX_DNS_NAME);
  return out.replace(/^[-.]+|[-.]+$/g, '');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `override` merged into `base`, recursively for mappings, override winning (mergo.Merge with
 * WithOverride, as Argo CD merges goTemplate parameter sets in matrix and merge generators).
 */
export function mergeParams(base: Params, override: Params): Params {
  const out: Params = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? mergeParams(existing, value) : value;
  }
  return out;
}
