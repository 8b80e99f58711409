// A team's own identity: an app of a project with a role on a cluster reaches EKS as that role
// (AssumeRole with the worker's credentials, the token presigned with the assumed ones), other
// apps as the fleet. Through the connector the worker's Lambda handler uses (environment.ts),
// the real SDK clients pointed at the STS and EKS doubles with the variables the SDK reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryOf, problemsOf } from '../config/registry-files.ts';
import { projectOf } from '../../shared/config/normalise-project.ts';
import type { ClusterSpec } from '../../shared/config/types.ts';
import { projectRoleFor, sessionName } from '../../shared/project/roles.ts';
import { clusterConnector } from '../../shared/runtime/environment.ts';
import { startAwsApi, startKubeEndpoint, type AwsApiDouble, type KubeEndpointDouble } from '../support/eks-api.ts';

const FLEET_KEY = 'AKIDFLEETEXAMPLE';
const TEAM_A_ROLE = 'arn:aws:iam::111122223333:role/team-a-prod';
const VARIABLES = ['AWS_ENDPOINT_URL_EKS', 'AWS_ENDPOINT_URL_STS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'] as const;

const PROJECTS = `apiVersion: driftless.io/v1alpha1
kind: Project
metadata:
  name: team-a
spec:
  roles:
    - cluster: prod-*
      namespace: team-a*
      roleArn: ${TEAM_A_ROLE}
---
apiVersion: driftless.io/v1alpha1
kind: Project
metadata:
  name: team-b
`;

let aws: AwsApiDouble;
let apiServer: KubeEndpointDouble;
const saved: Partial<Record<(typeof VARIABLES)[number], string>> = {};

beforeAll(async () => {
  aws = await startAwsApi();
  apiServer = await startKubeEndpoint();
  aws.clusters.set('prod-eu', { endpoint: apiServer.endpoint, caData: apiServer.caData });
  for (const name of VARIABLES) saved[name] = process.env[name];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_EKS: aws.url,
    AWS_ENDPOINT_URL_STS: aws.url,
    AWS_ACCESS_KEY_ID: FLEET_KEY,
    AWS_SECRET_ACCESS_KEY: 'fleet-secret',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});

afterAll(async () => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await apiServer.close();
  await aws.close();
});

/** The access key id the last request's token was presigned with, and its session token. */
function lastSigner(): { accessKeyId: string; sessionToken: string | null } {
  const authorization = String(apiServer.requests.at(-1)?.headers.authorization);
  expect(authorization.startsWith('Bearer k8s-aws-v1.')).toBe(true);
  const url = new URL(Buffer.from(authorization.slice('Bearer k8s-aws-v1.'.length), 'base64url').toString('utf8'));
  return { accessKeyId: url.searchParams.get('X-Amz-Credential')!.split('/')[0], sessionToken: url.searchParams.get('X-Amz-Security-Token') };
}

function assumeRoleCalls(): URLSearchParams[] {
  return aws.requests.map((request) => new URLSearchParams(request.body)).filter((form) => form.get('Action') === 'AssumeRole');
}

describe('a project role on an EKS cluster', () => {
  const registry = registryOf({ 'driftless/projects.yaml': PROJECTS });
  const prod = registry.clusters.find((cluster) => cluster.name === 'prod-eu')!;
  // The fixture's prod-eu is reached through a cross-account role; this one is the fleet's own.
  const cluster: ClusterSpec = { ...prod, eks: { clusterName: 'prod-eu', region: 'eu-west-1' } };
  const teamA = projectOf(registry, 'team-a')!;
  const teamB = projectOf(registry, 'team-b')!;

  it('is what an app of that project on that cluster and namespace acts as; others act as the fleet', () => {
    expect(projectRoleFor(teamA, cluster, 'team-a-web', 'web')).toEqual({ roleArn: TEAM_A_ROLE, sessionName: 'team-a+web' });
    // Not its namespace, not its cluster, not its project: the cluster's own connection.
    expect(projectRoleFor(teamA, cluster, 'kube-system', 'web')).toBeUndefined();
    expect(projectRoleFor(teamA, { name: 'dev' }, 'team-a-web', 'web')).toBeUndefined();
    expect(projectRoleFor(teamB, cluster, 'team-a-web', 'web')).toBeUndefined();
  });

  it('assumes the role with a session naming project and app, and signs the token with the assumed credentials', async () => {
    const connect = clusterConnector({});
    const before = assumeRoleCalls().length;
    const asTeam = await connect(cluster, projectRoleFor(teamA, cluster, 'team-a-web', 'web'));
    await asTeam.get('/version');
    const calls = assumeRoleCalls().slice(before);
    expect(calls.map((form) => [form.get('RoleArn'), form.get('RoleSessionName')])).toEqual([[TEAM_A_ROLE, 'team-a+web']]);
    const team = lastSigner();
    // The STS double hands out ASIAROLE<serial> keys and role-session-token-<serial>.
    expect(team.accessKeyId).toMatch(/^ASIAROLE\d{12}$/);
    expect(team.sessionToken).toMatch(/^role-session-token-\d+$/);
    // The AssumeRole call itself was signed by the fleet's credentials.
    const assumeRequest = aws.requests.filter((request) => new URLSearchParams(request.body).get('Action') === 'AssumeRole').at(-1)!;
    expect(String(assumeRequest.headers.authorization)).toContain(`Credential=${FLEET_KEY}/`);

    const asFleet = await connect(cluster, projectRoleFor(teamB, cluster, 'team-b-api', 'api'));
    await asFleet.get('/version');
    expect(lastSigner()).toEqual({ accessKeyId: FLEET_KEY, sessionToken: null });
    expect(assumeRoleCalls().length - before).toBe(1);
  });

  it("keeps one connection and one session per cluster and role session, apart from the cluster's own", async () => {
    const connect = clusterConnector({});
    const role = projectRoleFor(teamA, cluster, 'team-a-web', 'web');
    const [first, second] = await Promise.all([connect(cluster, role), connect(cluster, role)]);
    expect(second).toBe(first);
    expect(await connect(cluster)).not.toBe(first);
    const other = await connect(cluster, projectRoleFor(teamA, cluster, 'team-a-jobs', 'jobs'));
    expect(other).not.toBe(first);
    const before = assumeRoleCalls().length;
    await first.get('/version');
    await second.get('/version');
    await other.get('/version');
    // One AssumeRole for the jobs session; web's credentials of the test above are reused.
    expect(
      assumeRoleCalls()
        .slice(before)
        .map((form) => form.get('RoleSessionName')),
    ).toEqual(['team-a+jobs']);
  });
});

describe('project roles in the registry', () => {
  it("maps an AppProject destination service account to the role its annotation names, keeping Argo CD's first match", () => {
    const appProject = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: team-a
  annotations:
    driftless.io/role-arn.team-a-deployer: ${TEAM_A_ROLE}
spec:
  sourceRepos: ['*']
  destinations: [{ server: '*', namespace: '*' }]
  destinationServiceAccounts:
    - server: https://kubernetes.default.svc
      namespace: kube-system
      defaultServiceAccount: system-deployer
    - server: https://kubernetes.default.svc
      namespace: team-a-*
      defaultServiceAccount: team-a:team-a-deployer
`;
    const registry = registryOf({ 'driftless/team-a.yaml': appProject });
    const project = projectOf(registry, 'team-a')!;
    const cluster = registry.clusters.find((candidate) => candidate.name === 'prod-eu')!;
    expect(projectRoleFor(project, cluster, 'team-a-web', 'web')).toEqual({ roleArn: TEAM_A_ROLE, sessionName: 'team-a+web' });
    // The first entry matches kube-system and no annotation maps its account: the cluster's connection.
    expect(projectRoleFor(project, cluster, 'kube-system', 'web')).toBeUndefined();
    // Another server: no entry matches.
    expect(
      projectRoleFor(
        project,
        registry.clusters.find((candidate) => candidate.name === 'prod-us')!,
        'team-a-web',
        'web',
      ),
    ).toBeUndefined();
  });

  it('reads an AppProject without the annotation as it reads today (no role)', () => {
    const appProject = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: team-a
spec:
  destinationServiceAccounts:
    - { server: '*', namespace: '*', defaultServiceAccount: deployer }
`;
    expect(projectOf(registryOf({ 'driftless/team-a.yaml': appProject }), 'team-a')!.roles).toBeUndefined();
  });

  it('refuses a role ARN not of the right shape at its file and line', () => {
    const ours = PROJECTS.replace(TEAM_A_ROLE, 'arn:aws:iam::1111:user/team-a');
    const argo = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: team-c
  annotations:
    driftless.io/role-arn.deployer: team-c-role
`;
    expect(problemsOf({ 'driftless/projects.yaml': ours, 'driftless/team-c.yaml': argo })).toEqual([
      'driftless/projects.yaml:9: Project/team-a: spec.roles[0].roleArn: is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)',
      'driftless/team-c.yaml:6: AppProject/team-c: metadata.annotations.driftless.io/role-arn.deployer: is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)',
    ]);
  });

  it("keeps session names within STS's 64 characters, distinct per app", () => {
    const project = 'p'.repeat(40);
    const one = sessionName(project, 'a'.repeat(40));
    const two = sessionName(project, `${'a'.repeat(39)}b`);
    expect(one).toHaveLength(64);
    expect(one).toMatch(/^[\w+=,.@-]+$/);
    expect(one).not.toBe(two);
  });
});
