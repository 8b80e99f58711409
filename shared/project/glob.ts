// Go's `filepath.Match`, which Argo CD uses for the group, kind and name of a project's
// resource lists (isResourceInList): `*` any run of characters but `/`, `?` one such
// character, `[a-z]` / `[^a-z]` a class, `\` escapes the next character. A malformed pattern
// matches nothing, as Go's ErrBadPattern makes Argo CD skip the entry; the schemas refuse
// one up front (isValidGlob) so nobody relies on an entry that never applies.

/** Whether `value` matches `pattern` with Go's filepath.Match; false for a malformed pattern. */
export function matchesGoGlob(pattern: string, value: string): boolean {
  const regex = compile(pattern);
  return regex !== undefined && regex.test(value);
}

export function isValidGlob(pattern: string): boolean {
  return compile(pattern) !== undefined;
}

const cache = new Map<string, RegExp | undefined>();

function compile(pattern: string): RegExp | undefined {
  if (cache.has(pattern)) return cache.get(pattern);
  const source = translate([...pattern]);
  const regex = source === undefined ? undefined : new RegExp(`^${source}$`, 'u');
  if (cache.size > 1000) cache.clear(); // patterns come from the registry: few, but not ours to bound
  cache.set(pattern, regex);
  return regex;
}

function translate(chars: string[]): string | undefined {
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else if (char === '\\') {
      if (i + 1 >= chars.length) return undefined;
      out += escapeLiteral(chars[++i]);
    } else if (char === '[') {
      const parsed = translateClass(chars, i + 1);
      if (!parsed) return undefined;
      out += parsed.source;
      i = parsed.end;
    } else out += escapeLiteral(char);
  }
  return out;
}

/** The class starting after `[` at `start`; `end` is the index of its closing `]`. */
function translateClass(chars: string[], start: number): { source: string; end: number } | undefined {
  let i = start;
  let negated = false;
  if (chars[i] === '^') {
    negated = true;
    i++;
  }
  const ranges: string[] = [];
  for (;;) {
    if (chars[i] === ']' && ranges.length > 0) break;
    const lo = classChar(chars, i);
    if (!lo) return undefined;
    i = lo.next;
    let hi = lo;
    if (chars[i] === '-') {
      const upper = classChar(chars, i + 1);
      if (!upper) return undefined;
      hi = upper;
      i = upper.next;
    }
    // Go compares code points; an inverted range matches nothing but is not an error.
    if (lo.char.codePointAt(0)! <= hi.char.codePointAt(0)!) ranges.push(`${escapeInClass(lo.char)}-${escapeInClass(hi.char)}`);
    else ranges.push('');
    if (i >= chars.length) return undefined;
  }
  const body = ranges.join('');
  // A class matches exactly one character; Go does not exclude the separator in classes.
  const source = negated ? (body === '' ? '[\\s\\S]' : `[^${body}]`) : body === '' ? '(?!)' : `[${body}]`;
  return { source, end: i };
}

/** One character of a class (Go's getEsc): not `-` or `]` unescaped, and the class must go on. */
function classChar(chars: string[], i: number): { char: string; next: number } | undefined {
  let char = chars[i];
  if (char === undefined || char === '-' || char === ']') return undefined;
  if (char === '\\') {
    i++;
    char = chars[i];
    if (char === undefined) return undefined;
  }
  if (i + 1 >= chars.length) return undefined;
  return { char, next: i + 1 };
}

function escapeLiteral(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function escapeInClass(char: string): string {
  return char.replace(/[\\\]^[-]/g, '\\$&');
}
