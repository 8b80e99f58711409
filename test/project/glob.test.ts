// Go's filepath.Match, as Argo CD applies it to project resource lists. Expected values are
// the Go documentation's and its matchTests table's (path/filepath/match_test.go).
import { describe, expect, it } from 'vitest';
import { isValidGlob, matchesGoGlob } from '../../shared/project/glob.ts';

describe('Go filepath.Match', () => {
  it.each([
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a*', 'ab/c', false],
    ['a*/b', 'abc/b', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['[a-ζ]*', 'α', true],
    ['*[a-ζ]', 'A', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', 'x', true],
    ['[x\\-]', '-', true],
    ['[x\\-]', 'z', false],
    ['*x', 'xxx', true],
  ])('%s matches %s: %s', (pattern, value, expected) => {
    expect(matchesGoGlob(pattern, value)).toBe(expected);
  });

  it('"*" matches the empty string, so group "*" covers the core group ""', () => {
    expect(matchesGoGlob('*', '')).toBe(true);
    expect(matchesGoGlob('', '')).toBe(true);
    expect(matchesGoGlob('', 'apps')).toBe(false);
  });

  it.each(['[]a]', '[-]', '[x-]', '[-x]', '\\', '[a-b-c]', '[', '[^', '[^bc', 'a['])(
    '%s is a malformed pattern (ErrBadPattern): it matches nothing',
    (pattern) => {
      expect(isValidGlob(pattern)).toBe(false);
      expect(matchesGoGlob(pattern, 'a')).toBe(false);
    },
  );
});
