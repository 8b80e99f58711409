// Every `kubectl create` subcommand of kubectl 1.34 against the sandbox. Its typed clients send
// protobuf (and never fall back to JSON), so each create proves the sandbox decodes that kind;
// `kubectl get -o json` must then show the fields the command set. `kubectl create token` and
// `kubectl auth` are checked the same way.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../local/sandbox/index.ts';
import { createServerTls } from '../../../local/sandbox/tls.ts';
import { kubectlFor, type Kubectl } from '../../support/kubectl.ts';

// kubectl's answers are JSON documents the tests assert on field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let sandbox: Sandbox;
let kubectl: Kubectl;

async function create(...args: string[]): Promise<void> {
  const result = await kubectl(['create', ...args]);
  expect(result.stderr, `kubectl create ${args.join(' ')}`).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/ created\n$/);
}

async function getJson(...target: string[]): Promise<Json> {
  const result = await kubectl(['get', ...target, '-o', 'json']);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

/** The create requests that reached the sandbox as protobuf, by resource. */
function protobufCreates(resource: string, subresource?: string) {
  return sandbox.requests
    .entries()
    .filter(
      (entry) => entry.method === 'POST' && entry.resource === resource && entry.subresource === subresource && (entry.contentType ?? '').includes('protobuf'),
    );
}

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  kubectl = await kubectlFor(sandbox.kubeconfig());
  await create('namespace', 'demo');
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('kubectl create', () => {
  it('namespace', async () => {
    expect(protobufCreates('namespaces')).toHaveLength(1);
    expect((await getJson('namespace', 'demo')).metadata.name).toBe('demo');
  });

  it('deployment, with replicas, ports, and zero replicas kept as zero', async () => {
    await create('deployment', 'web', '--image=nginx:1.27', '--port=80', '--replicas=2', '-n', 'demo');
    await create('deployment', 'idle', '--image=nginx:1.27', '--replicas=0', '-n', 'demo');
    expect(protobufCreates('deployments')).toHaveLength(2);
    const web = await getJson('deployment', 'web', '-n', 'demo');
    expect(web.metadata.labels).toEqual({ app: 'web' });
    expect(web.spec.replicas).toBe(2);
    expect(web.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(web.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(web.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] });
    expect((await getJson('deployment', 'idle', '-n', 'demo')).spec.replicas).toBe(0);
  });

  it('service clusterip, nodeport, loadbalancer and externalname', async () => {
    await create('service', 'clusterip', 'web', '--tcp=80:8080', '-n', 'demo');
    await create('service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080', '-n', 'demo');
    await create('service', 'loadbalancer', 'lb', '--tcp=443', '-n', 'demo');
    await create('service', 'externalname', 'ext', '--external-name=example.com', '-n', 'demo');
    expect(protobufCreates('services')).toHaveLength(4);
    const web = await getJson('service', 'web', '-n', 'demo');
    expect(web.spec).toMatchObject({ type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }] });
    expect((await getJson('service', 'np', '-n', 'demo')).spec).toMatchObject({ type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] });
    expect((await getJson('service', 'lb', '-n', 'demo')).spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 443 }] });
    expect((await getJson('service', 'ext', '-n', 'demo')).spec).toMatchObject({ type: 'ExternalName', externalName: 'example.com' });
  });

  it('job, cronjob, and a job from the cronjob', async () => {
    await create('job', 'once', '--image=busybox:1.36', '-n', 'demo', '--', 'echo', 'hi');
    await create('cronjob', 'tick', '--image=busybox:1.36', '--schedule=*/5 * * * *', '--restart=OnFailure', '-n', 'demo', '--', 'date');
    await create('job', 'manual', '--from=cronjob/tick', '-n', 'demo');
    expect(protobufCreates('jobs')).toHaveLength(2);
    expect(protobufCreates('cronjobs')).toHaveLength(1);
    const once = await getJson('job', 'once', '-n', 'demo');
    expect(once.spec.template.spec).toMatchObject({ restartPolicy: 'Never', containers: [{ name: 'once', image: 'busybox:1.36', command: ['echo', 'hi'] }] });
    const tick = await getJson('cronjob', 'tick', '-n', 'demo');
    expect(tick.spec.schedule).toBe('*/5 * * * *');
    expect(tick.spec.jobTemplate.spec.template.spec).toMatchObject({ restartPolicy: 'OnFailure', containers: [{ command: ['date'] }] });
    const manual = await getJson('job', 'manual', '-n', 'demo');
    expect(manual.metadata.annotations).toEqual({ 'cronjob.kubernetes.io/instantiate': 'manual' });
    expect(manual.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: tick.metadata.uid, controller: true }]);
  });

  it('role, clusterrole (with an aggregation rule, and named like the system roles), rolebinding, clusterrolebinding', async () => {
    await create('role', 'reader', '--verb=get,list', '--resource=pods,configmaps', '--resource-name=settings', '-n', 'demo');
    await create('clusterrole', 'node-reader', '--verb=get', '--resource=nodes', '--non-resource-url=/healthz');
    await create('clusterrole', 'monitoring', '--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true');
    await create('clusterrole', 'system:aggregated-metrics-reader', '--verb=get,list', '--resource=pods');
    await create('rolebinding', 'reader', '--role=reader', '--serviceaccount=demo:default', '-n', 'demo');
    await create('clusterrolebinding', 'node-reader', '--clusterrole=node-reader', '--user=alice', '--group=devs');
    expect(protobufCreates('roles')).toHaveLength(1);
    expect(protobufCreates('clusterroles')).toHaveLength(3);
    expect((await getJson('role', 'reader', '-n', 'demo')).rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'configmaps'], resourceNames: ['settings'], verbs: ['get', 'list'] },
    ]);
    const nodeReader = await getJson('clusterrole', 'node-reader');
    expect(nodeReader.rules).toEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      { nonResourceURLs: ['/healthz'], verbs: ['get'] },
    ]);
    expect((await getJson('clusterrole', 'monitoring')).aggregationRule).toEqual({
      clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }],
    });
    expect((await getJson('clusterrole', 'system:aggregated-metrics-reader')).metadata.name).toBe('system:aggregated-metrics-reader');
    const binding = await getJson('rolebinding', 'reader', '-n', 'demo');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'default', namespace: 'demo' }]);
    expect((await getJson('clusterrolebinding', 'node-reader')).subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
    ]);
  });

  it('poddisruptionbudget, with minAvailable, and maxUnavailable of zero kept as zero', async () => {
    await create('poddisruptionbudget', 'web', '--selector=app=web', '--min-available=1', '-n', 'demo');
    await create('poddisruptionbudget', 'frozen', '--selector=app=web', '--max-unavailable=0', '-n', 'demo');
    expect(protobufCreates('poddisruptionbudgets')).toHaveLength(2);
    expect((await getJson('pdb', 'web', '-n', 'demo')).spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
    expect((await getJson('pdb', 'frozen', '-n', 'demo')).spec).toEqual({ maxUnavailable: 0, selector: { matchLabels: { app: 'web' } } });
  });

  it('priorityclass, a value of zero kept', async () => {
    await create('priorityclass', 'high', '--value=1000', '--description=important things');
    await create('priorityclass', 'background', '--value=0', '--preemption-policy=Never');
    expect(protobufCreates('priorityclasses')).toHaveLength(2);
    expect(await getJson('priorityclass', 'high')).toMatchObject({ value: 1000, description: 'important things', preemptionPolicy: 'PreemptLowerPriority' });
    expect(await getJson('priorityclass', 'background')).toMatchObject({ value: 0, preemptionPolicy: 'Never' });
  });

  it('quota', async () => {
    await create('quota', 'compute', '--hard=cpu=1,memory=1Gi,pods=10', '--scopes=BestEffort', '-n', 'demo');
    expect(protobufCreates('resourcequotas')).toHaveLength(1);
    expect((await getJson('quota', 'compute', '-n', 'demo')).spec).toEqual({ hard: { cpu: '1', memory: '1Gi', pods: '10' }, scopes: ['BestEffort'] });
  });

  it('ingress', async () => {
    await create(
      'ingress',
      'web',
      '--class=nginx',
      '--rule=foo.com/bar*=svc1:8080,tls=my-cert',
      '--default-backend=defsvc:http',
      '--annotation=team=web',
      '-n',
      'demo',
    );
    expect(protobufCreates('ingresses')).toHaveLength(1);
    const ingress = await getJson('ingress', 'web', '-n', 'demo');
    expect(ingress.metadata.annotations).toEqual({ team: 'web' });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      defaultBackend: { service: { name: 'defsvc', port: { name: 'http' } } },
      tls: [{ hosts: ['foo.com'], secretName: 'my-cert' }],
      rules: [{ host: 'foo.com', http: { paths: [{ path: '/bar', pathType: 'Prefix', backend: { service: { name: 'svc1', port: { number: 8080 } } } }] } }],
    });
  });

  it('secret generic, docker-registry and tls', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubectl-tls-'));
    const tls = await createServerTls('127.0.0.1');
    await writeFile(join(dir, 'tls.crt'), tls.certPem);
    await writeFile(join(dir, 'tls.key'), tls.keyPem);
    await create('secret', 'generic', 'creds', '--from-literal=user=admin', '--type=example.com/basic', '-n', 'demo');
    await create('secret', 'docker-registry', 'pull', '--docker-server=registry.example.com', '--docker-username=u', '--docker-password=p', '-n', 'demo');
    await create('secret', 'tls', 'cert', `--cert=${join(dir, 'tls.crt')}`, `--key=${join(dir, 'tls.key')}`, '-n', 'demo');
    expect(protobufCreates('secrets')).toHaveLength(3);
    expect(await getJson('secret', 'creds', '-n', 'demo')).toMatchObject({
      type: 'example.com/basic',
      data: { user: Buffer.from('admin').toString('base64') },
    });
    const pull = await getJson('secret', 'pull', '-n', 'demo');
    expect(pull.type).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.parse(Buffer.from(pull.data['.dockerconfigjson'], 'base64').toString('utf8')).auths['registry.example.com'].username).toBe('u');
    const cert = await getJson('secret', 'cert', '-n', 'demo');
    expect(cert.type).toBe('kubernetes.io/tls');
    expect(Buffer.from(cert.data['tls.crt'], 'base64').toString('utf8')).toBe(tls.certPem);
  });

  it('configmap and serviceaccount', async () => {
    await create('configmap', 'settings', '--from-literal=color=blue', '--from-literal=size=large', '-n', 'demo');
    await create('serviceaccount', 'deployer', '-n', 'demo');
    expect(protobufCreates('configmaps')).toHaveLength(1);
    expect(protobufCreates('serviceaccounts')).toHaveLength(1);
    expect((await getJson('configmap', 'settings', '-n', 'demo')).data).toEqual({ color: 'blue', size: 'large' });
    expect((await getJson('serviceaccount', 'deployer', '-n', 'demo')).metadata.namespace).toBe('demo');
  });

  it('token: a token for the service account, for the audience and duration asked, that the sandbox accepts', async () => {
    const result = await kubectl(['create', 'token', 'deployer', '-n', 'demo', '--duration=20m', '--audience=vault']);
    expect(result.stderr).toBe('');
    expect(protobufCreates('serviceaccounts', 'token')).toHaveLength(1);
    const token = result.stdout.trim();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ aud: ['vault'], sub: 'system:serviceaccount:demo:deployer' });
    expect(claims.exp - claims.iat).toBe(1200);
    const whoami = await kubectl(['--token', token, 'auth', 'whoami', '-o', 'json']);
    expect(whoami.stderr).toBe('');
    expect(JSON.parse(whoami.stdout).status.userInfo.username).toBe('system:serviceaccount:demo:deployer');
  });
});

describe('kubectl auth', () => {
  it('can-i answers yes: the sandbox authorizes everything', async () => {
    const result = await kubectl(['auth', 'can-i', 'create', 'deployments', '-n', 'demo']);
    expect(result.stdout.trim()).toBe('yes');
    expect(protobufCreates('selfsubjectaccessreviews')).toHaveLength(1);
    const list = await kubectl(['auth', 'can-i', '--list', '-n', 'demo']);
    expect(list.stdout).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
  });

  it('whoami names the sandbox administrator', async () => {
    const result = await kubectl(['auth', 'whoami', '-o', 'json']);
    expect(JSON.parse(result.stdout).status.userInfo).toMatchObject({ username: 'sandbox-admin', groups: ['system:masters', 'system:authenticated'] });
  });
});
