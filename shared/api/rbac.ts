// The enforcer for this request's registry: the deps' when given (tests), else the registry's
// own policy (shared/rbac/from-registry.ts).
import type { Registry } from '../config/types.ts';
import type { RbacEnforcer } from '../rbac/enforcer.ts';
import { enforcerForRegistry } from '../rbac/from-registry.ts';
import type { ApiDeps } from './deps.ts';

export function enforcerOf(registry: Registry, deps: Pick<ApiDeps, 'rbac' | 'groupClaims'>): Promise<RbacEnforcer> {
  return deps.rbac ? deps.rbac(registry) : enforcerForRegistry(registry, deps.groupClaims);
}
