// The CLI reads durations as the config files do (Argo CD: Go durations, or a bare number of
// seconds) and refuses numbers that are not whole.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/errors.ts';
import { parseDuration, parseInteger } from '../../cli/options.ts';

describe('--timeout', () => {
  it.each([
    ['300', 300_000],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1500ms', 1_500],
    ['1.5h', 5_400_000],
  ])('%s is %d ms', (value, ms) => {
    expect(parseDuration('timeout', value, 1)).toBe(ms);
  });

  it('is the default when not given', () => {
    expect(parseDuration('timeout', undefined, 42)).toBe(42);
  });

  it.each(['soon', '-5s', '5 minutes', ''])('"%s" is a usage error naming the flag', (value) => {
    expect(() => parseDuration('timeout', value, 1)).toThrow(UsageError);
    expect(() => parseDuration('timeout', value, 1)).toThrow(/^--timeout: .*is not a duration/);
  });
});

describe('whole numbers', () => {
  it.each(['x', 'NaN', '1.5', '', ' ', '-1', '0x'])('"%s" is a usage error', (value) => {
    expect(() => parseInteger('concurrency', value, 16, 1)).toThrow(UsageError);
  });

  it('respects the minimum and names it', () => {
    expect(() => parseInteger('concurrency', '0', 16, 1)).toThrow('--concurrency must be a whole number of at least 1, got "0"');
    expect(parseInteger('port', '0', 8080)).toBe(0);
    expect(parseInteger('concurrency', '4', 16, 1)).toBe(4);
  });
});
