// Errors the sandbox server turns into Kubernetes Status objects: a bad patch body is the
// client's fault (400/422), an apply conflict is a 409 with one cause per field.

export class SandboxPatchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxPatchError';
  }
}

/** The patch body is malformed or cannot be applied to the target. */
export class PatchError extends SandboxPatchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PatchError';
  }
}

export interface ApplyConflict {
  /** The manager's name as in managedFields: `kubectl`. */
  manager: string;
  /** The field in structured-merge-diff notation: `.spec.template.spec.containers[name="web"].image`. */
  field: string;
  /** The Status cause message: `conflict with "kubectl" using apps/v1`. */
  message: string;
}

const CAUSE_PREFIX = 'conflict with ';

/** Server-side apply would change fields another manager owns, and force was not set. */
export class ApplyConflictError extends SandboxPatchError {
  readonly conflicts: ApplyConflict[];

  constructor(conflicts: ApplyConflict[], options?: { cause?: unknown }) {
    super(conflictMessage(conflicts), options);
    this.name = 'ApplyConflictError';
    this.conflicts = conflicts;
  }
}

// Worded as k8s.io/apimachinery's managedfields getConflictMessage, so clients that parse
// the message (and people who know it) see what a real API server says.
function conflictMessage(conflicts: ApplyConflict[]): string {
  if (conflicts.length === 1) {
    return `Apply failed with 1 conflict: ${conflicts[0].message}: ${conflicts[0].field}`;
  }
  const byManager = new Map<string, string[]>();
  for (const { message, field } of conflicts) {
    const manager = message.startsWith(CAUSE_PREFIX) ? message.slice(CAUSE_PREFIX.length) : message;
    byManager.set(manager, [...(byManager.get(manager) ?? []), field]);
  }
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${manager}:`, ...byManager.get(manager)!.map((field) => `- ${field}`));
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
