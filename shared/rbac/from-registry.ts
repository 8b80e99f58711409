// The enforcer for a registry: its `argocd-rbac-cm` ConfigMap (from any file of the registry
// folder, e.g. driftless/rbac.yaml). The registry keeps every ConfigMap of the folder as it
// is, among the admission policies' parameters, so the policy reaches the API with the one
// registry read the API makes anyway. No ConfigMap: the built-in roles, role:readonly for all.
// A policy that cannot be read fails closed: nothing is allowed, and every refusal says why.
import type { Registry } from '../config/types.ts';
import { RBAC_CONFIGMAP, rbacConfigFromData } from './config.ts';
import { createRbacEnforcer, type RbacEnforcer } from './enforcer.ts';
import { PermissionDeniedError } from './errors.ts';
import type { Identity } from './identity.ts';

/** The ConfigMap's data and where it is written, when the registry has one. */
export function rbacSourceOf(registry: Registry): { data: Record<string, string>; file: string; line?: number } | undefined {
  const param = registry.policies?.params.find((candidate) => candidate.kind === 'ConfigMap' && candidate.metadata.name === RBAC_CONFIGMAP);
  if (!param) return undefined;
  return { data: param.data ?? {}, file: param.definedIn.file, line: param.definedIn.line };
}

// One enforcer per distinct policy, so a warm function builds it once, not once per request.
const enforcers = new Map<string, Promise<RbacEnforcer>>();
const MAX_CACHED = 8;

export function enforcerForRegistry(registry: Registry, defaultScopes?: string[]): Promise<RbacEnforcer> {
  const source = rbacSourceOf(registry);
  const key = JSON.stringify([source ?? null, defaultScopes ?? null]);
  let enforcer = enforcers.get(key);
  if (!enforcer) {
    if (enforcers.size >= MAX_CACHED) enforcers.delete(enforcers.keys().next().value as string);
    enforcer = build(source, defaultScopes);
    enforcers.set(key, enforcer);
  }
  return enforcer;
}

async function build(source: ReturnType<typeof rbacSourceOf>, defaultScopes: string[] | undefined): Promise<RbacEnforcer> {
  const options = defaultScopes ? { defaultScopes } : {};
  if (!source) return createRbacEnforcer(undefined, options);
  const where = `${source.file}${source.line === undefined ? '' : `:${source.line}`}`;
  const { config, problems } = rbacConfigFromData(source.data, { file: source.file, line: source.line });
  if (config) return createRbacEnforcer(config, options);
  return refuseAll(
    `the RBAC policy in ${where} (${RBAC_CONFIGMAP}) cannot be read, so nothing is allowed until it is fixed: ${problems.map((problem) => problem.message).join('; ')}`,
  );
}

function refuseAll(reason: string): RbacEnforcer {
  return {
    can: (identity: Identity) => identity.local === true,
    groupsOf: () => [],
    require(identity) {
      if (!identity.local) throw new PermissionDeniedError(reason);
    },
  };
}
