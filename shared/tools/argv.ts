// The one guard for command lines built from values that came from Git (an Application, a
// kustomization, a revision): such a value may never begin an argv element with `-`, or the
// tool reads it as one of its own options — `helm template --set-file=x=/proc/self/environ`
// is a file read, not a release name. Callers also pass flag values joined as `--flag=value`
// and put `--` before positionals where the tool allows it, so only positionals need this.

/**
 * `value` unchanged, or the error `refuse` builds (naming the value for its area: a render
 * option, a revision) when a tool would read it as an option: a leading `-`, or a NUL byte,
 * which no argv element can carry.
 */
export function positionalFromGit<E extends Error>(value: string, refuse: (value: string) => E): string {
  if (value.startsWith('-') || value.includes('\0')) throw refuse(value);
  return value;
}

/** `--flag=value`: the tool takes whatever follows `=` as the flag's value, dashes included. */
export function flagWithValue(flag: string, value: string): string {
  return `${flag}=${value}`;
}
