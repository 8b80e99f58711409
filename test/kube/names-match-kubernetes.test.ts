// The engine's name rules (shared/kube/names.ts, used by the sync's preflight) against the
// sandbox's, which are written from the API server's validation (local/sandbox/names.ts): for
// every built-in kind the sandbox serves, both accept and refuse the same names on create.
import { describe, expect, it } from 'vitest';
import { nameErrors } from '../../local/sandbox/names.ts';
import { apiVersionOf, builtinResources } from '../../local/sandbox/resources.ts';
import { nameProblem, nameRuleFor } from '../../shared/kube/names.ts';

const SAMPLES = [
  'web',
  'web-1',
  'web.v1',
  '1web',
  'Web',
  'system:metrics-server',
  'team/admin',
  '50%',
  '.',
  '..',
  'a'.repeat(52),
  'a'.repeat(53),
  'a'.repeat(64),
  `${'a'.repeat(63)}.b`,
];

describe("the engine's name rules agree with Kubernetes", () => {
  it('accepts and refuses the same names for every built-in kind', () => {
    const disagreements = builtinResources().flatMap((type) =>
      SAMPLES.filter((name) => {
        const server = nameErrors(name, type.nameRule).length === 0 && !(type.createNameMax && name.length > type.createNameMax);
        const engine = nameProblem(name, apiVersionOf(type), type.kind) === undefined;
        return server !== engine;
      }).map((name) => `${type.kind} "${name}"`),
    );
    expect(disagreements).toEqual([]);
  });

  it('lets RBAC names be path segments, as ValidateRBACName does', () => {
    expect(nameProblem('system:metrics-server', 'rbac.authorization.k8s.io/v1', 'ClusterRole')).toBeUndefined();
    expect(nameProblem('team/admin', 'rbac.authorization.k8s.io/v1', 'RoleBinding')).toBe('may not be "." or ".." or contain "/" or "%"');
  });

  it('holds Services to DNS-1035 labels and StatefulSets to DNS-1123 labels', () => {
    expect(nameProblem('1web', 'v1', 'Service')).toMatch(/DNS-1035 label/);
    expect(nameProblem('1web', 'v1', 'Namespace')).toBeUndefined();
    expect(nameProblem('db.v1', 'apps/v1', 'StatefulSet')).toMatch(/DNS-1123 label/);
    expect(nameProblem('db.v1', 'apps/v1', 'Deployment')).toBeUndefined();
  });

  it('holds new CronJobs to 52 characters', () => {
    expect(nameProblem('a'.repeat(52), 'batch/v1', 'CronJob')).toBeUndefined();
    expect(nameProblem('a'.repeat(53), 'batch/v1', 'CronJob')).toBe('must be no more than 52 characters');
  });

  it('takes a subdomain for kinds of other groups that share a built-in name', () => {
    expect(nameRuleFor('example.com/v1', 'Role')).toBe('subdomain');
    expect(nameRuleFor('example.com/v1', 'Service')).toBe('subdomain');
  });
});
