// The one mark of an error that is the user's fault: the repository, the application's
// options, the registry, a kubeconfig or a refused request is wrong, and trying again cannot
// help. The worker records such an error as "cannot sync" and the CLI exits 2; everything
// else is ours or transient, and is retried (worker) or reported as a failure (CLI).
//
// Each error class declares `badInput`, so the decision sits beside the error it concerns and
// a subclass can take it back (ToolUnavailableError is a RenderError that is our fault).

/** Implemented by error classes that say whose fault they are. */
export interface BadInputMark {
  readonly badInput: boolean;
}

/**
 * Whether `error` is the user's fault. An error that declares `badInput` decides; one that
 * does not (a plain Error wrapping another) is judged by its `cause`.
 */
export function isBadInput(error: unknown): error is Error {
  const seen = new Set<unknown>();
  let current = error;
  while (current instanceof Error && !seen.has(current)) {
    const mark = (current as Partial<BadInputMark>).badInput;
    if (typeof mark === 'boolean') return mark;
    seen.add(current);
    current = current.cause;
  }
  return false;
}
