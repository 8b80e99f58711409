import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../shared/config/duration.ts';
import { InvalidDurationError } from '../../shared/config/errors.ts';

describe('parseDuration', () => {
  it('reads Go durations and bare seconds, as Argo CD does', () => {
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('3m')).toBe(180_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1h30m10s')).toBe(5_410_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('10')).toBe(10_000);
    expect(parseDuration(2)).toBe(2000);
    expect(parseDuration('0')).toBe(0);
  });

  it.each(['5 minutes', '5x', '-5s', 'm', '', '5s3'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(InvalidDurationError);
  });
});
