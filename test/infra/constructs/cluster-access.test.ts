import { describe, expect, it } from 'vitest';
import { type Cfn, resources, synthStack, render } from '../support.ts';

const ADMIN = 'arn:<AWS::Partition>:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy';
const CLUSTER_ADMIN = 'arn:<AWS::Partition>:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

interface Entry {
  cluster: string;
  principal: string;
  groups: string[] | undefined;
  policies: Array<{ policy: string; scope: unknown }>;
}

function accessEntries(settings: Parameters<typeof synthStack>[0], options?: Parameters<typeof synthStack>[1]): Entry[] {
  const { template } = synthStack(settings, options);
  return Object.values(resources(template))
    .filter((resource) => resource.Type === 'AWS::EKS::AccessEntry')
    .map((resource) => {
      const props = resource.Properties as Record<string, Cfn>;
      expect(props.Type).toBe('STANDARD');
      return {
        cluster: props.ClusterName,
        principal: render(props.PrincipalArn).replace(/^<Driftless(\w+?)Role[0-9A-F]{8}\.Arn>$/, '$1'),
        groups: props.KubernetesGroups,
        policies: ((props.AccessPolicies ?? []) as Cfn[]).map((policy) => ({ policy: render(policy.PolicyArn), scope: policy.AccessScope })),
      };
    })
    .sort((a, b) => `${a.cluster}${a.principal}`.localeCompare(`${b.cluster}${b.principal}`));
}

describe('ClusterAccess', () => {
  it('maps the worker as cluster admin only when asked, the webhook and the drift scan (which only plans) not at all', () => {
    const expected = [{ cluster: 'dev', principal: 'SyncWorker', groups: undefined, policies: [{ policy: CLUSTER_ADMIN, scope: { Type: 'cluster' } }] }];
    expect(accessEntries({ clusters: [{ name: 'dev', access: 'cluster-admin' }] })).toEqual(expected);
    expect(accessEntries({ clusters: [{ name: 'dev', accessScope: { type: 'cluster' } }] })).toEqual(expected);
  });

  it('has no default scope: a cluster Driftless maps itself on must say what it may do there', () => {
    expect(() => synthStack({ clusters: [{ name: 'dev' }] })).toThrow(
      /clusters\[0\]: say what Driftless may do there: "namespaces": \[\.\.\.\].*"access": "cluster-admin".*"kubernetesGroups"/,
    );
    // A cluster reached through a role is mapped by its owner: nothing to say here.
    expect(() => synthStack({ clusters: [{ name: 'far', account: '210987654321', roleArn: 'arn:aws:iam::210987654321:role/deployer' }] })).not.toThrow();
  });

  it('grants Kubernetes admin in the listed namespaces with "namespaces"', () => {
    expect(accessEntries({ clusters: [{ name: 'shared', namespaces: ['web', 'jobs'] }] })).toEqual([
      {
        cluster: 'shared',
        principal: 'SyncWorker',
        groups: undefined,
        policies: [{ policy: ADMIN, scope: { Type: 'namespace', Namespaces: ['web', 'jobs'] } }],
      },
    ]);
  });

  it('maps custom RBAC with kubernetesGroups: an entry with the groups and no access policy', () => {
    expect(accessEntries({ clusters: [{ name: 'rbac', kubernetesGroups: ['driftless-deployers'] }] })).toEqual([
      { cluster: 'rbac', principal: 'SyncWorker', groups: ['driftless-deployers'], policies: [] },
    ]);
    // Groups beside a policy: both on the one entry.
    expect(accessEntries({ clusters: [{ name: 'both', namespaces: ['web'], kubernetesGroups: ['crd-readers'] }] })).toEqual([
      { cluster: 'both', principal: 'SyncWorker', groups: ['crd-readers'], policies: [{ policy: ADMIN, scope: { Type: 'namespace', Namespaces: ['web'] } }] },
    ]);
  });

  it('refuses declarations that contradict each other or are empty', () => {
    expect(() => synthStack({ clusters: [{ name: 'a', access: 'cluster-admin', namespaces: ['web'] }] })).toThrow(
      /clusters\[0\]: "access": "cluster-admin" is cluster-wide/,
    );
    expect(() => synthStack({ clusters: [{ name: 'a', namespaces: ['web'], accessScope: { type: 'cluster' } }] })).toThrow(
      /either accessScope or namespaces\/access/,
    );
    expect(() => synthStack({ clusters: [{ name: 'a', namespaces: [] }] })).toThrow(/clusters\[0\]\.namespaces: list at least one namespace/);
    expect(() => synthStack({ clusters: [{ name: 'a', kubernetesGroups: [] }] })).toThrow(/clusters\[0\]\.kubernetesGroups: list at least one group/);
    expect(() => synthStack({ clusters: [{ name: 'a', access: 'admin' as never }] })).toThrow(/clusters\[0\]\.access must be "cluster-admin"/);
  });

  it('confines a namespace-scoped cluster to its namespaces with the admin policy', () => {
    const entries = accessEntries({
      clusters: [{ name: 'shared', accessScope: { type: 'namespace', namespaces: ['team-a', 'team-b'] } }],
    });
    expect(entries).toEqual([
      {
        cluster: 'shared',
        principal: 'SyncWorker',
        groups: undefined,
        policies: [{ policy: ADMIN, scope: { Type: 'namespace', Namespaces: ['team-a', 'team-b'] } }],
      },
    ]);
  });

  it('creates entries only for clusters of the stack account and region that are reached without a role', () => {
    const env = { account: '123456789012', region: 'eu-west-1' };
    const entries = accessEntries(
      {
        clusters: [
          { name: 'here', namespaces: ['apps'] },
          { name: 'here-explicit', account: '123456789012', region: 'eu-west-1', namespaces: ['apps'] },
          { name: 'other-region', region: 'us-east-1', namespaces: ['apps'] },
          { name: 'other-account', account: '210987654321', namespaces: ['apps'] },
          { name: 'via-role', roleArn: 'arn:aws:iam::123456789012:role/deployer' },
        ],
      },
      { env },
    );
    expect([...new Set(entries.map((entry) => entry.cluster))].sort()).toEqual(['here', 'here-explicit']);
  });

  it('leaves a cluster that names a region to its owner when the stack region is unknown at synth time', () => {
    expect(accessEntries({ clusters: [{ name: 'somewhere', region: 'eu-west-1', namespaces: ['apps'] }] })).toEqual([]);
  });

  it('allows DescribeCluster on each declared cluster in its own account and region', () => {
    const { template } = synthStack({
      clusters: [
        { name: 'dev', namespaces: ['apps'] },
        { name: 'prod', account: '210987654321', region: 'us-east-1', access: 'cluster-admin' },
      ],
    });
    const policy = Object.values(resources(template)).find(
      (resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties).includes('SyncWorkerRole'),
    );
    const statement = (policy?.Properties as Cfn).PolicyDocument.Statement.find((s: Cfn) => s.Action === 'eks:DescribeCluster');
    expect(statement.Resource.map(render)).toEqual([
      'arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:cluster/dev',
      'arn:<AWS::Partition>:eks:us-east-1:210987654321:cluster/prod',
    ]);
  });

  it('rejects cluster declarations EKS or IAM would reject', () => {
    expect(() => synthStack({ clusters: [{ name: 'bad name' }] })).toThrow(/clusters\[0\]\.name "bad name" is not an EKS cluster name/);
    expect(() =>
      synthStack({
        clusters: [
          { name: 'a', namespaces: ['x'] },
          { name: 'a', namespaces: ['x'] },
        ],
      }),
    ).toThrow(/clusters\[1\]: cluster "a" is declared twice/);
    expect(() => synthStack({ clusters: [{ name: 'a', roleArn: 'arn:aws:iam::123:user/x' }] })).toThrow(/is not an IAM role ARN/);
    expect(() => synthStack({ clusters: [{ name: 'a', accessScope: { type: 'namespace', namespaces: [] } }] })).toThrow(/needs at least one namespace/);
  });
});
