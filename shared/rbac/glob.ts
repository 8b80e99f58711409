// Argo CD's `policy.matchMode: glob` (the default): gobwas/glob patterns without separators,
// so `*` crosses `/` (`default/*` matches every app of project default) and `*` alone matches
// anything. `?` is one character, `[abc]` / `[!abc]` / `[a-z]` a class, `{a,b}` alternatives,
// `\` escapes. `regex` mode is Go's unanchored regexp.MatchString.
const cache = new Map<string, RegExp | null>();

export function globMatch(value: string, pattern: string): boolean {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    compiled = compileGlob(pattern);
    cache.set(pattern, compiled);
  }
  return compiled !== null && compiled.test(value);
}

export function regexMatch(value: string, pattern: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    // Argo CD: a pattern that does not compile matches nothing.
    return false;
  }
}

/** The pattern as an anchored RegExp; null when it is malformed (an open class or brace), which matches nothing. */
function compileGlob(pattern: string): RegExp | null {
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') {
      i++;
      if (i >= pattern.length) return null;
      out += escape(pattern[i]);
    } else if (char === '*') {
      out += '[\\s\\S]*';
    } else if (char === '?') {
      out += '[\\s\\S]';
    } else if (char === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return null;
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      out += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      i = end;
    } else if (char === '{') {
      depth++;
      out += '(?:';
    } else if (char === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (char === ',' && depth > 0) {
      out += '|';
    } else {
      out += escape(char);
    }
  }
  if (depth !== 0) return null;
  return new RegExp(`^${out}$`, 'u');
}

function escape(char: string): string {
  // Only syntax characters: unicode-mode RegExps refuse other escapes.
  return char.replace(/[.*+?^${}()|[\]\\/]/g, (c) => `\\${c}`);
}
