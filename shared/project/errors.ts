// Errors of the project boundary. A rendered object the app's project does not permit is the
// user's to fix (the manifests or the project), so it carries the one bad-input mark: the
// worker records "cannot sync", posts a failure and does not retry.
import type { BadInputMark } from '../errors/bad-input.ts';
import { formatLocation } from '../render/location.ts';
import type { SourceLocation } from '../render/types.ts';

export interface ProjectViolation {
  /** `ClusterRoleBinding/grant-admin`, `ConfigMap/kube-system/x`. */
  object: string;
  /** Where render found it; absent for what the sync makes itself (CreateNamespace). */
  source?: SourceLocation;
  /** Why it is not ours to make, e.g. `created by CreateNamespace=true`. */
  origin?: string;
  /** The rule, naming the project: `kind /Secret is in the namespaceResourceBlacklist of project team-a`. */
  rule: string;
}

/** Objects of one sync that the app's project does not permit; nothing of that sync was applied. */
export class ProjectViolationError extends Error implements BadInputMark {
  readonly badInput: boolean = true;
  readonly project: string;
  readonly violations: ProjectViolation[];
  constructor(project: string, violations: ProjectViolation[], options?: ErrorOptions) {
    // The first line is the summary a commit status shows; the rules follow, one a line.
    const objects = violations.map((violation) => violation.object).join(', ');
    const plural = violations.length === 1 ? 'object' : 'objects';
    super(
      [`project ${project} does not permit ${violations.length} ${plural}; nothing was applied: ${objects}`, ...violations.map(describeViolation)].join('\n'),
      options,
    );
    this.name = 'ProjectViolationError';
    this.project = project;
    this.violations = violations;
  }
}

function describeViolation(violation: ProjectViolation): string {
  const where = violation.source ? ` (${formatLocation(violation.source)})` : violation.origin ? ` (${violation.origin})` : '';
  return `${violation.object}${where}: ${violation.rule}`;
}

/** The app names a project the registry does not have (the registry check should have refused it). */
export class UnknownProjectError extends Error implements BadInputMark {
  readonly badInput: boolean = true;
  readonly project: string;
  constructor(app: string, project: string, options?: ErrorOptions) {
    super(`app ${app} belongs to project ${project}, which the registry does not define; nothing is synced without its project`, options);
    this.name = 'UnknownProjectError';
    this.project = project;
  }
}
