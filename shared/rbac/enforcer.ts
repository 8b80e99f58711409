// Enforcement as Argo CD's API server does it, on Argo CD's casbin model: the default role
// first (whatever a deny says, every signed-in user has at least it), then the subject, then
// each group claim (the values of the `scopes` claims) that a `g` line names. Within one
// subject deny wins over allow, through every role it inherits.
import { newEnforcer, newModelFromString, type Enforcer } from 'casbin';
import type { PolicyRule, RbacConfig } from './config.ts';
import { PermissionDeniedError } from './errors.ts';
import { globMatch, regexMatch } from './glob.ts';
import { scopeValues, type Identity } from './identity.ts';
import { ARGO_MODEL, BUILTIN_POLICY, DEFAULT_ROLE, DEFAULT_SCOPES } from './model.ts';
import { parsePolicyLine } from './config.ts';

/** The resources Driftless guards (apps, and ApplicationSets for their rollouts), and the actions its API asks for. */
export type RbacResource = 'applications' | 'applicationsets';
export type RbacAction = 'get' | 'sync' | 'update' | 'override' | 'delete' | `action/${string}`;

export interface RbacEnforcer {
  /** Whether `identity` may do `action` on `object` (`<project>/<app>`). */
  can(identity: Identity, action: RbacAction, object: string, resource?: RbacResource): boolean;
  /** Throws PermissionDeniedError naming the check when it may not. */
  require(identity: Identity, action: RbacAction, object: string, resource?: RbacResource): void;
  /** The identity's groups, as `scopes` picks them from its claims. */
  groupsOf(identity: Identity): string[];
}

/**
 * An enforcer for `config`, or, without one, Argo CD's built-in roles with `role:readonly` as
 * everybody's default. `defaultScopes`: the group claims when the policy names no `scopes`
 * (the stack's DASHBOARD_GROUPS_CLAIM); else DEFAULT_SCOPES.
 */
export async function createRbacEnforcer(config?: RbacConfig, options: { defaultScopes?: string[] } = {}): Promise<RbacEnforcer> {
  const casbin = await newEnforcer(newModelFromString(ARGO_MODEL));
  const match = config?.matchMode === 'regex' ? regexMatch : globMatch;
  // casbin calls these as (request value, policy pattern).
  casbin.addFunction('globOrRegexMatch', (value: string, pattern: string) => match(value, pattern));
  const builtin = BUILTIN_POLICY.split('\n')
    .map((line) => parsePolicyLine(line))
    .filter((rule): rule is PolicyRule => rule !== undefined);
  await load(casbin, [...builtin, ...(config?.rules ?? [])]);
  const defaultRole = config ? config.defaultRole : DEFAULT_ROLE;
  const scopes = config?.scopes ?? options.defaultScopes ?? DEFAULT_SCOPES;
  // Argo CD checks only the groups a g line names (a group with its own p lines and no g line is not consulted).
  const groupSubjects = new Set((await casbin.getGroupingPolicy()).map((rule) => rule[0]));
  const cache = new Map<string, boolean>();

  const check = (subject: string, resource: string, action: string, object: string): boolean => {
    const key = JSON.stringify([subject, resource, action, object]);
    let allowed = cache.get(key);
    if (allowed === undefined) {
      allowed = casbin.enforceSync(subject, resource, action, object);
      cache.set(key, allowed);
    }
    return allowed;
  };
  const groupsOf = (identity: Identity) => scopeValues(identity.claims, scopes);
  const can: RbacEnforcer['can'] = (identity, action, object, resource = 'applications') => {
    if (identity.local) return true;
    if (defaultRole && check(defaultRole, resource, action, object)) return true;
    if (identity.user && check(identity.user, resource, action, object)) return true;
    return groupsOf(identity).some((group) => groupSubjects.has(group) && check(group, resource, action, object));
  };
  return {
    can,
    groupsOf,
    require(identity, action, object, resource = 'applications') {
      if (can(identity, action, object, resource)) return;
      const groups = groupsOf(identity);
      throw new PermissionDeniedError(
        `permission denied: ${resource}, ${action}, ${object} for ${identity.user}${groups.length > 0 ? ` (groups ${groups.join(', ')})` : ''}${defaultRole ? ` or the default ${defaultRole}` : ''}: no policy line allows it (or one denies it)`,
      );
    },
  };
}

async function load(casbin: Enforcer, rules: PolicyRule[]): Promise<void> {
  const policies = rules.flatMap((rule) => (rule.type === 'p' ? [[rule.subject, rule.resource, rule.action, rule.object, rule.effect]] : []));
  const groupings = rules.flatMap((rule) => (rule.type === 'g' ? [[rule.subject, rule.role]] : []));
  // addPolicies refuses a batch holding a rule already there: duplicates (a line written twice) are dropped first.
  const unique = (rows: string[][]) => [...new Map(rows.map((row) => [JSON.stringify(row), row])).values()];
  if (policies.length > 0) await casbin.addPolicies(unique(policies));
  if (groupings.length > 0) await casbin.addGroupingPolicies(unique(groupings));
}
