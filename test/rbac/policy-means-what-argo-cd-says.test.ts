// policy.csv as Argo CD's RBAC docs define it: p and g lines, the built-in role:readonly and
// role:admin, policy.default (which no deny takes away), scopes naming the group claims,
// glob objects `<project>/<app>`, and deny winning over allow for one subject.
import { describe, expect, it } from 'vitest';
import { parseRbacConfig, parseScopes, rbacConfigFromData } from '../../shared/rbac/config.ts';
import { createRbacEnforcer } from '../../shared/rbac/enforcer.ts';
import { PermissionDeniedError } from '../../shared/rbac/errors.ts';
import { globMatch } from '../../shared/rbac/glob.ts';
import { LOCAL_IDENTITY, type Identity } from '../../shared/rbac/identity.ts';

const user = (sub: string, claims: Record<string, unknown> = {}): Identity => ({ user: sub, claims: { sub, ...claims } });

describe('without a policy', () => {
  it('everybody is role:readonly: get, but no sync', async () => {
    const rbac = await createRbacEnforcer();
    expect(rbac.can(user('alice'), 'get', 'default/web')).toBe(true);
    expect(rbac.can(user('alice'), 'sync', 'default/web')).toBe(false);
    expect(rbac.can(user('alice'), 'update', 'default/web')).toBe(false);
  });

  it('local mode (no sign-in) may do everything', async () => {
    const rbac = await createRbacEnforcer(parseRbacConfig({ 'policy.csv': 'p, role:nobody, applications, get, */*, deny\n', 'policy.default': '' }));
    expect(rbac.can(LOCAL_IDENTITY, 'sync', 'default/web')).toBe(true);
  });
});

describe('a policy.csv', () => {
  const data = {
    'policy.csv': [
      '# deployers sync the default project, except its prod apps',
      'p, role:deployer, applications, sync, default/*, allow',
      'p, role:deployer, applications, sync, default/prod-*, deny',
      'g, my-org:deployers, role:deployer',
      'g, carol, role:admin',
      'p, dave, applications, get, team-a/*, allow',
      'p, dave, applications, get, team-a/secret-*, deny',
    ].join('\n'),
    'policy.default': 'role:readonly',
    scopes: '[groups, email]',
  };

  it('lets a group the g line names do what its role allows', async () => {
    const rbac = await createRbacEnforcer(parseRbacConfig(data));
    const deployer = user('bob', { groups: ['my-org:deployers'] });
    expect(rbac.can(deployer, 'sync', 'default/web')).toBe(true);
    expect(rbac.can(deployer, 'sync', 'team-a/web')).toBe(false);
    expect(rbac.can(user('bob'), 'sync', 'default/web')).toBe(false);
  });

  it('deny wins over allow for the same subject', async () => {
    const rbac = await createRbacEnforcer(parseRbacConfig(data));
    expect(rbac.can(user('bob', { groups: ['my-org:deployers'] }), 'sync', 'default/prod-db')).toBe(false);
  });

  it('the default role is kept whatever a deny says (Argo CD: "cannot be blocked by a deny rule")', async () => {
    const rbac = await createRbacEnforcer(parseRbacConfig(data));
    expect(rbac.can(user('dave'), 'get', 'team-a/secret-x')).toBe(true);
  });

  it('without policy.default an unknown user has nothing, as in Argo CD', async () => {
    const rbac = await createRbacEnforcer(parseRbacConfig({ 'policy.csv': data['policy.csv'] }));
    expect(rbac.can(user('eve'), 'get', 'default/web')).toBe(false);
    expect(rbac.can(user('dave'), 'get', 'team-a/secret-x')).toBe(false);
    expect(rbac.can(user('dave'), 'get', 'team-a/web')).toBe(true);
  });

  it('an unknown user gets the default role', async () => {
    const rbac = await createRbacEnforcer(parseRbacConfig(data));
    expect(rbac.can(user('eve'), 'get', 'default/web')).toBe(true);
    expect(rbac.can(user('eve'), 'sync', 'default/web')).toBe(false);
  });

  it('role:admin (built in) inherits readonly and may sync, update and run actions anywhere', async () => {
    const rbac = await createRbacEnforcer(parseRbacConfig({ 'policy.csv': data['policy.csv'] }));
    for (const action of ['get', 'sync', 'update', 'override', 'action/apps/Deployment/restart'] as const)
      expect(rbac.can(user('carol'), action, 'any/app')).toBe(true);
  });

  it('scopes decide which claims are groups: email here, not cognito:groups', async () => {
    const rbac = await createRbacEnforcer(parseRbacConfig({ ...data, 'policy.csv': 'g, ops@example.com, role:admin\ng, admins, role:admin' }));
    expect(rbac.can(user('x', { email: 'ops@example.com' }), 'sync', 'a/b')).toBe(true);
    expect(rbac.can(user('y', { 'cognito:groups': ['admins'] }), 'sync', 'a/b')).toBe(false);
  });

  it("without scopes the groups are `groups` and Cognito's `cognito:groups`, also as API Gateway flattens a list", async () => {
    const rbac = await createRbacEnforcer(parseRbacConfig({ 'policy.csv': 'g, admins, role:admin' }));
    expect(rbac.can(user('y', { 'cognito:groups': '[readers admins]' }), 'sync', 'a/b')).toBe(true);
    expect(rbac.groupsOf(user('y', { 'cognito:groups': '[readers admins]' }))).toEqual(['readers', 'admins']);
  });

  it('require names the failed check in its message', async () => {
    const rbac = await createRbacEnforcer(parseRbacConfig(data));
    expect(() => rbac.require(user('eve'), 'sync', 'default/web')).toThrow(PermissionDeniedError);
    expect(() => rbac.require(user('eve'), 'sync', 'default/web')).toThrow(/applications, sync, default\/web for eve/);
  });

  it('a wrong line is a problem naming the key and the line', () => {
    const { config, problems } = rbacConfigFromData({
      'policy.csv': 'p, role:x, applications, sync, */*, allow\np, role:x, applications, sync, */*, maybe\nq, a, b',
    });
    expect(config).toBeUndefined();
    expect(problems.map((problem) => problem.message)).toEqual([
      'policy.csv line 2: the effect must be allow or deny, got "maybe"',
      'policy.csv line 3: a line starts with p or g, this one with "q"',
    ]);
  });

  it('reads overlays policy.<name>.csv after policy.csv, and a quoted field with a comma', async () => {
    const rbac = await createRbacEnforcer(
      parseRbacConfig({ 'policy.csv': '', 'policy.team.csv': 'p, "role:a,b", applications, sync, */*, allow\ng, z, "role:a,b"' }),
    );
    expect(rbac.can(user('z'), 'sync', 'p/q')).toBe(true);
  });
});

describe('glob objects (gobwas/glob without separators, as Argo CD matches)', () => {
  it.each([
    ['default/*', 'default/web', true],
    ['default/*', 'default/a/b', true],
    ['*', 'team/app', true],
    ['*/web', 'team/web', true],
    ['*/web', 'team/web2', false],
    ['team-?/app', 'team-a/app', true],
    ['team-[ab]/app', 'team-c/app', false],
    ['team-[!ab]/app', 'team-c/app', true],
    ['{dev,staging}/*', 'staging/api', true],
    ['{dev,staging}/*', 'prod/api', false],
    ['default/web', 'default/web-2', false],
    ['a.b/*', 'axb/c', false],
  ])('%s against %s: %s', (pattern, value, expected) => {
    expect(globMatch(value, pattern)).toBe(expected);
  });

  it('scopes read as Argo CD writes them', () => {
    expect(parseScopes('[groups, email]')).toEqual(['groups', 'email']);
    expect(parseScopes("['groups']")).toEqual(['groups']);
  });
});

describe("the stack's group claim", () => {
  it('names the groups when the policy sets no scopes, and gives way to scopes when it does', async () => {
    const withoutScopes = await createRbacEnforcer(parseRbacConfig({ 'policy.csv': 'g, admins, role:admin' }), { defaultScopes: ['roles'] });
    expect(withoutScopes.can(user('y', { roles: ['admins'] }), 'sync', 'a/b')).toBe(true);
    expect(withoutScopes.can(user('y', { groups: ['admins'] }), 'sync', 'a/b')).toBe(false);
    const withScopes = await createRbacEnforcer(parseRbacConfig({ 'policy.csv': 'g, admins, role:admin', scopes: '[groups]' }), { defaultScopes: ['roles'] });
    expect(withScopes.can(user('y', { groups: ['admins'] }), 'sync', 'a/b')).toBe(true);
  });
});
