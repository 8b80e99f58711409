// Argo CD's RBAC model and built-in policy, so a `policy.csv` written for Argo CD means the
// same here. Facts from Argo CD's assets/model.conf and assets/builtin-policy.csv (the roles
// and the rows for the resources Driftless has: `applications`, and `applicationsets`, whose
// `update` promotes or aborts a set's rollout), written out again.

/** Argo CD's casbin model: a request is (subject, resource, action, object); deny wins over allow. */
export const ARGO_MODEL = `
[request_definition]
r = sub, res, act, obj

[policy_definition]
p = sub, res, act, obj, eft

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = g(r.sub, p.sub) && globOrRegexMatch(r.res, p.res) && globOrRegexMatch(r.act, p.act) && globOrRegexMatch(r.obj, p.obj)
`;

/** Argo CD's two built-in roles, as far as applications and ApplicationSets go: readonly gets, admin does everything. */
export const BUILTIN_POLICY = `
p, role:readonly, applications, get, */*, allow
p, role:readonly, applicationsets, get, */*, allow
p, role:admin, applicationsets, get, */*, allow
p, role:admin, applicationsets, create, */*, allow
p, role:admin, applicationsets, update, */*, allow
p, role:admin, applicationsets, delete, */*, allow
p, role:admin, applications, create, */*, allow
p, role:admin, applications, update, */*, allow
p, role:admin, applications, delete, */*, allow
p, role:admin, applications, sync, */*, allow
p, role:admin, applications, override, */*, allow
p, role:admin, applications, action/*, */*, allow
g, role:admin, role:readonly
`;

/** Without a policy (no argocd-rbac-cm in the registry), every signed-in user can look but not touch. */
export const DEFAULT_ROLE = 'role:readonly';

/** Argo CD's default `scopes` is `[groups]`; Cognito, the stack's default sign-in, names its groups `cognito:groups`. */
export const DEFAULT_SCOPES = ['groups', 'cognito:groups'];
