import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../../local/sandbox/patch/defaults.ts';
import type { KubeObject } from '../../../../shared/kube/object.ts';

// Defaulted objects are read field by field; typing each shape would hide the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const deployment = (spec: Json = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { template: { spec: { containers: [{ name: 'web', image: 'web:1.2', ports: [{ containerPort: 80 }] }] } }, ...spec },
});

const service = (spec: Json): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec });

describe('applyDefaults', () => {
  it('defaults a Deployment and its pod template as an API server does', () => {
    const spec = applyDefaults(deployment()).spec as Json;
    expect(spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(spec.template.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
    });
    expect(spec.template.spec.containers[0]).toEqual({
      name: 'web',
      image: 'web:1.2',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
      resources: {},
    });
  });

  it('pulls untagged and latest images always', () => {
    const spec = applyDefaults(
      deployment({
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'nginx' },
              { name: 'b', image: 'registry:5000/app:latest' },
            ],
          },
        },
      }),
    ).spec as Json;
    expect(spec.template.spec.containers.map((c: Json) => c.imagePullPolicy)).toEqual(['Always', 'Always']);
  });

  it('keeps every value that is present', () => {
    const given = deployment({
      replicas: 0,
      strategy: { type: 'Recreate' },
      revisionHistoryLimit: 2,
      template: { spec: { restartPolicy: 'Always', dnsPolicy: 'None', containers: [{ name: 'web', image: 'web', imagePullPolicy: 'Never' }] } },
    });
    const spec = applyDefaults(given).spec as Json;
    expect(spec.replicas).toBe(0);
    expect(spec.strategy).toEqual({ type: 'Recreate' });
    expect(spec.revisionHistoryLimit).toBe(2);
    expect(spec.template.spec.dnsPolicy).toBe('None');
    expect(spec.template.spec.containers[0].imagePullPolicy).toBe('Never');
  });

  it('leaves its input untouched', () => {
    const given = deployment();
    applyDefaults(given);
    expect(given).toEqual(deployment());
  });

  it('defaults a Job without choosing its pods restart policy', () => {
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'm:1' }] } } },
    };
    const spec = applyDefaults(job).spec as Json;
    expect(spec).toMatchObject({
      backoffLimit: 6,
      completions: 1,
      parallelism: 1,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
    expect(spec.manualSelector).toBeUndefined();
    expect(spec.template.spec.restartPolicy).toBe('Never');
    expect(spec.template.spec.containers[0].terminationMessagePolicy).toBe('File');

    const unset = applyDefaults({ ...job, spec: { template: { spec: { containers: [] } } } }).spec as Json;
    expect(unset.template.spec.restartPolicy).toBeUndefined();
  });

  it('gives a ClusterIP Service a stable address and its port defaults', () => {
    const spec = applyDefaults(service({ selector: { app: 'web' }, ports: [{ port: 80 }] })).spec as Json;
    expect(spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    });
    expect(spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(spec.clusterIPs).toEqual([spec.clusterIP]);
    expect((applyDefaults(service({ ports: [{ port: 80 }] })).spec as Json).clusterIP).toBe(spec.clusterIP);
    expect(spec.externalTrafficPolicy).toBeUndefined();
  });

  it('allocates distinct node ports in range for a LoadBalancer Service', () => {
    const spec = applyDefaults(service({ type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443, targetPort: 8443 }] })).spec as Json;
    const nodePorts = spec.ports.map((p: Json) => p.nodePort);
    expect(new Set(nodePorts).size).toBe(2);
    for (const port of nodePorts) {
      expect(port).toBeGreaterThanOrEqual(30000);
      expect(port).toBeLessThanOrEqual(32767);
    }
    expect(spec.ports[1].targetPort).toBe(8443);
    expect(spec).toMatchObject({ externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
  });

  it('gives headless and ExternalName Services no allocated address', () => {
    expect((applyDefaults(service({ clusterIP: 'None' })).spec as Json).clusterIPs).toEqual(['None']);
    const external = applyDefaults(service({ type: 'ExternalName', externalName: 'example.com' })).spec as Json;
    expect(external.clusterIP).toBeUndefined();
    expect(external.ipFamilies).toBeUndefined();
  });

  it('moves a Secret stringData into data as base64', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==' }, stringData: { b: 'hello' } };
    const result = applyDefaults(secret);
    expect(result).toMatchObject({ type: 'Opaque', data: { a: 'eA==', b: 'aGVsbG8=' } });
    expect(result.stringData).toBeUndefined();
  });

  it('labels a Namespace with its name and gives it the kubernetes finalizer', () => {
    const result = applyDefaults({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'a' } } });
    expect(result.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/metadata.name': 'shop' });
    expect(result.spec).toEqual({ finalizers: ['kubernetes'] });
  });

  it('leaves kinds it does not know alone', () => {
    const custom: KubeObject = { apiVersion: 'example.com/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: {} };
    expect(applyDefaults(custom)).toEqual(custom);
  });
});
