// Argo CD durations: Go's time.ParseDuration ("5s", "1m30s", "250ms", "1.5h"), or a bare
// number of seconds ("5", or 5 unquoted in YAML), which is how Argo CD reads backoff values.
import { InvalidDurationError } from './errors.ts';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds, rounded; throws InvalidDurationError. Negative durations are refused. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new InvalidDurationError(String(value), 'must be a non-negative number of seconds');
    return Math.round(value * 1000);
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/\d/.test(text)) throw new InvalidDurationError(value, 'no number in it');
  if (text.startsWith('-')) throw new InvalidDurationError(value, 'must not be negative');
  let total = 0;
  PART.lastIndex = text.startsWith('+') ? 1 : 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match) throw new InvalidDurationError(value, `cannot read "${text.slice(start)}"`);
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return Math.round(total);
}
