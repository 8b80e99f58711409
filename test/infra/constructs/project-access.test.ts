import { describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { readDriftlessContext } from '../../../infra/context.ts';
import { type Cfn, iamStatements, render, synthStack } from '../support.ts';

const ADMIN = 'arn:<AWS::Partition>:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy';
const EDIT = 'arn:<AWS::Partition>:eks::aws:cluster-access-policy/AmazonEKSEditPolicy';
const ENV = { account: '123456789012', region: 'eu-west-1' };
const GIVEN_ROLE = 'arn:aws:iam::210987654321:role/team-b-far';

const CLUSTERS = [
  { name: 'prod', namespaces: ['apps'] },
  { name: 'far', account: '210987654321', roleArn: 'arn:aws:iam::210987654321:role/deployer' },
];
const PROJECTS = [
  { name: 'team-a', roles: [{ cluster: 'prod', namespaces: ['team-a', 'team-a-jobs'] }] },
  {
    name: 'team-b',
    roles: [
      { cluster: 'prod', namespaces: ['team-b'], access: 'edit' as const },
      { cluster: 'far', roleArn: GIVEN_ROLE, namespaces: ['team-b'] },
    ],
  },
];

function synth() {
  return synthStack({ clusters: CLUSTERS, projects: PROJECTS }, { env: ENV }).template.toJSON() as {
    Resources: Record<string, { Type: string; Properties: Cfn }>;
    Outputs: Record<string, Cfn>;
  };
}

const projectRoles = (template: ReturnType<typeof synth>) =>
  Object.entries(template.Resources).filter(([id, resource]) => resource.Type === 'AWS::IAM::Role' && id.includes('Projects'));

describe('ProjectAccess', () => {
  it('creates one role per project and cluster without a given role, trusted by the worker role alone', () => {
    const template = synth();
    const roles = projectRoles(template);
    expect(roles.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['DriftlessProjectsteamaprod', 'DriftlessProjectsteambprod']);
    for (const [, role] of roles) {
      const statements = role.Properties.AssumeRolePolicyDocument.Statement as Cfn[];
      expect(statements).toHaveLength(1);
      expect(statements[0].Action).toBe('sts:AssumeRole');
      expect(statements[0].Effect).toBe('Allow');
      expect(render(statements[0].Principal.AWS)).toBe('arn:<AWS::Partition>:iam::<AWS::AccountId>:root');
      expect(render(statements[0].Condition.ArnEquals['aws:PrincipalArn'])).toMatch(/^<DriftlessSyncWorkerRole[0-9A-F]{8}\.Arn>$/);
      // The access entry is all it may do: no permissions policy of its own.
      expect(role.Properties.Policies).toBeUndefined();
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    expect(iamStatements(template).filter((statement) => statement.roles.some((r) => r.includes('Projects')))).toEqual([]);
  });

  it("maps each role on the stack's own clusters at namespace scope, admin by default or edit", () => {
    const template = synth();
    const entries = Object.entries(template.Resources)
      .filter(([id, resource]) => resource.Type === 'AWS::EKS::AccessEntry' && id.includes('Projects'))
      .map(([, resource]) => ({
        cluster: resource.Properties.ClusterName,
        principal: render(resource.Properties.PrincipalArn).replace(/^<DriftlessProjects([\w]+?)[0-9A-F]{8}\.Arn>$/, '$1'),
        type: resource.Properties.Type,
        policies: (resource.Properties.AccessPolicies as Cfn[]).map((policy) => ({ policy: render(policy.PolicyArn), scope: policy.AccessScope })),
      }))
      .sort((a, b) => a.principal.localeCompare(b.principal));
    // team-b on "far" is mapped by that cluster's owner (another account, reached through a role).
    expect(entries).toEqual([
      {
        cluster: 'prod',
        principal: 'teamaprod',
        type: 'STANDARD',
        policies: [{ policy: ADMIN, scope: { Type: 'namespace', Namespaces: ['team-a', 'team-a-jobs'] } }],
      },
      { cluster: 'prod', principal: 'teambprod', type: 'STANDARD', policies: [{ policy: EDIT, scope: { Type: 'namespace', Namespaces: ['team-b'] } }] },
    ]);
  });

  it('lets the worker, and only the worker, assume exactly the project roles', () => {
    const statements = iamStatements(synth()).filter((statement) => statement.actions.includes('sts:AssumeRole'));
    const worker = statements.filter((statement) => statement.roles.some((role) => role.includes('SyncWorkerRole')));
    expect(statements).toEqual(worker);
    expect(worker.flatMap((statement) => statement.resources).sort()).toEqual(
      [
        // The cluster's own role (ClusterAccess), then the projects'.
        'arn:aws:iam::210987654321:role/deployer',
        GIVEN_ROLE,
        ...['teamaprod', 'teambprod'].map((id) => expect.stringMatching(new RegExp(`^<DriftlessProjects${id}[0-9A-F]{8}\\.Arn>$`))),
      ].sort(),
    );
  });

  it('outputs the ARN of each role it creates, for the Project in Git', () => {
    const outputs = Object.values(synth().Outputs).filter((output) => String(output.Description).startsWith('roleArn for project'));
    expect(outputs.map((output) => output.Description).sort()).toEqual([
      'roleArn for project team-a on cluster prod (spec.roles of the Project in Git)',
      'roleArn for project team-b on cluster prod (spec.roles of the Project in Git)',
    ]);
  });

  it('reads the projects from CDK context, as JSON text from -c too, and names a bad key', () => {
    const context = { configRepoUrl: 'https://github.com/acme/platform-config', clusters: JSON.stringify(CLUSTERS) };
    const read = (projects: unknown) => readDriftlessContext(new App({ context: { ...context, projects } }).node);
    expect(read(JSON.stringify(PROJECTS)).projects).toEqual(PROJECTS);
    expect(() => read([{ name: 'team-a', roles: [{ cluster: 'prod', namespace: ['a'] }] }])).toThrow(/projects\.0\.roles\.0/);
  });

  it('creates nothing without projects', () => {
    const template = synthStack({ clusters: CLUSTERS }, { env: ENV }).template.toJSON() as { Resources: Record<string, { Type: string }> };
    expect(Object.keys(template.Resources).filter((id) => id.includes('Projects'))).toEqual([]);
  });

  it('refuses declarations IAM or EKS would reject, or that name no declared cluster', () => {
    const synthWith = (projects: unknown) => () => synthStack({ clusters: CLUSTERS, projects: projects as never }, { env: ENV });
    expect(synthWith([{ name: 'team-a', roles: [{ cluster: 'staging', namespaces: ['a'] }] }])).toThrow(
      /projects\[0\]\.roles\[0\]\.cluster "staging" is not declared in clusters \(declared: prod, far\)/,
    );
    expect(synthWith([{ name: 'team-a', roles: [{ cluster: 'prod', namespaces: [] }] }])).toThrow(
      /projects\[0\]\.roles\[0\]\.namespaces: list at least one namespace/,
    );
    expect(synthWith([{ name: 'team-a', roles: [{ cluster: 'prod', namespaces: ['a'], roleArn: 'arn:aws:iam::1:user/x' }] }])).toThrow(
      /roleArn "arn:aws:iam::1:user\/x" is not an IAM role ARN/,
    );
    expect(synthWith([{ name: 'Team A', roles: [{ cluster: 'prod', namespaces: ['a'] }] }])).toThrow(/projects\[0\]\.name "Team A" is not a project name/);
    expect(
      synthWith([
        {
          name: 'a',
          roles: [
            { cluster: 'prod', namespaces: ['a'] },
            { cluster: 'prod', namespaces: ['b'] },
          ],
        },
      ]),
    ).toThrow(/two roles on cluster "prod"/);
    expect(
      synthWith([
        { name: 'a', roles: [{ cluster: 'prod', namespaces: ['a'] }] },
        { name: 'a', roles: [{ cluster: 'prod', namespaces: ['a'] }] },
      ]),
    ).toThrow(/projects\[1\]: project "a" is declared twice/);
  });
});
