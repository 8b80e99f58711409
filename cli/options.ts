// Flag parsing shared by the subcommands, on node:util's parseArgs.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InvalidDurationError } from '../shared/config/errors.ts';
import { parseDuration as parseConfigDuration } from '../shared/config/duration.ts';
import { UsageError } from './errors.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<T extends Options>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

/** A whole number of at least `min` (0 unless given); a usage error for anything else. */
export function parseInteger(flag: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const number = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(number) || number < min)
    throw new UsageError(`--${flag} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, got "${value}"`);
  return number;
}

/**
 * A duration in milliseconds, read as the config files read theirs (Go's "30s", "5m", "1h30m",
 * "1500ms", or a bare number of seconds), so `--timeout 300` and `timeout: 300` mean the same.
 */
export function parseDuration(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  try {
    return parseConfigDuration(value);
  } catch (error) {
    if (error instanceof InvalidDurationError) throw new UsageError(`--${flag}: ${error.message}`, { cause: error });
    throw error;
  }
}
