// Argo CD's `policy.matchMode: glob` (the default): gobwas/glob patterns without separators,
// so `*` crosses `/` (`default/*` matches every app of project default) and `*` alone matches
// anything. `?` is one character, `[abc]` / `[!abc]` / `[a-z]` a class, `{a,b}` alternatives,
// `\` escapes. `regex` mode is Go's unanchored regexp.MatchString.
// Compiled once per pattern: the fleet checks every row against the same few policy lines.
const globs = new Map<string, RegExp | null>();
const regexes = new Map<string, RegExp | null>();

export function globMatch(value: string, pattern: string): boolean {
  return cached(globs, pattern, compileGlob)?.test(value) ?? false;
}

export function regexMatch(value: string, pattern: string): boolean {
  return cached(regexes, pattern, compileRegex)?.test(value) ?? false;
}

function cached(cache: Map<string, RegExp | null>, pattern: string, compile: (pattern: string) => RegExp | null): RegExp | null {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    compiled = compile(pattern);
    cache.set(pattern, compiled);
  }
  return compiled;
}

function compileRegex(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    // Argo CD: a pattern that does not compile matches nothing.
    return null;
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
