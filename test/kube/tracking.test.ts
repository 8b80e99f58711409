import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/kube/object.ts';
import { isOwnedBy, objectKey, parseTrackingId, trackingId, withTracking } from '../../shared/kube/tracking.ts';

const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } };
const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' } };
const clusterRole: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } };

function live(object: KubeObject, id: string | undefined): KubeObject {
  return { ...object, metadata: { ...object.metadata, annotations: id === undefined ? {} : { 'driftless.io/tracking-id': id } } };
}

describe('trackingId', () => {
  it.each([
    [deployment, 'shop:apps/Deployment:shop/web'],
    [configMap, 'shop:/ConfigMap:shop/settings'],
    [clusterRole, 'shop:rbac.authorization.k8s.io/ClusterRole:/reader'],
  ])('spells %o as Argo CD annotation tracking does', (object, expected) => {
    expect(trackingId('shop', object)).toBe(expected);
  });

  it('leaves the name empty for a generateName hook', () => {
    const hook: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'migrate-', namespace: 'shop' } };
    expect(trackingId('shop', hook)).toBe('shop:batch/Job:shop/');
  });

  it.each(['', 'a:b', 'team/app'])('refuses app name %j, which could not be parsed back', (app) => {
    expect(() => trackingId(app, deployment)).toThrow(/cannot be used in a tracking id/);
  });
});

describe('parseTrackingId', () => {
  it('reads back what trackingId wrote', () => {
    expect(parseTrackingId(trackingId('shop', configMap))).toEqual({ app: 'shop', group: '', kind: 'ConfigMap', namespace: 'shop', name: 'settings' });
    expect(parseTrackingId(trackingId('shop', clusterRole))).toEqual({
      app: 'shop',
      group: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      namespace: '',
      name: 'reader',
    });
  });

  it('reads a name with colons, as RBAC names may have them', () => {
    const role: KubeObject = { ...clusterRole, metadata: { name: 'system:metrics-server' } };
    expect(parseTrackingId(trackingId('metrics', role))).toMatchObject({ app: 'metrics', kind: 'ClusterRole', namespace: '', name: 'system:metrics-server' });
    expect(isOwnedBy('metrics', live(role, trackingId('metrics', role)))).toBe(true);
  });

  it.each([
    '',
    'shop',
    'shop:apps/Deployment',
    'shop:Deployment:shop/web',
    'shop:apps/Deployment:web',
    ':apps/Deployment:shop/web',
    'a:b:c:d',
    'shop:apps/:shop/web',
  ])('rejects %j', (value) => {
    expect(parseTrackingId(value)).toBeUndefined();
  });
});

describe('withTracking', () => {
  it('returns an annotated copy and leaves the input alone', () => {
    const input: KubeObject = { ...deployment, metadata: { ...deployment.metadata, annotations: { team: 'web' } } };
    const output = withTracking('shop', input);
    expect(output.metadata.annotations).toEqual({ team: 'web', 'driftless.io/tracking-id': 'shop:apps/Deployment:shop/web' });
    expect(input.metadata.annotations).toEqual({ team: 'web' });
  });

  it('adds annotations to an object that had none', () => {
    expect(withTracking('shop', configMap).metadata.annotations).toEqual({ 'driftless.io/tracking-id': 'shop:/ConfigMap:shop/settings' });
  });
});

describe('isOwnedBy', () => {
  it('is true for an object carrying its own id for the app', () => {
    expect(isOwnedBy('shop', withTracking('shop', deployment))).toBe(true);
    expect(isOwnedBy('shop', withTracking('shop', clusterRole))).toBe(true);
  });

  it('is false for another app, no annotation, or garbage', () => {
    expect(isOwnedBy('blog', withTracking('shop', deployment))).toBe(false);
    expect(isOwnedBy('shop', live(deployment, undefined))).toBe(false);
    expect(isOwnedBy('shop', live(deployment, 'not an id'))).toBe(false);
  });

  it('is false for a ReplicaSet that inherited its Deployment annotations', () => {
    const replicaSet: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d8f', namespace: 'shop' } };
    expect(isOwnedBy('shop', live(replicaSet, 'shop:apps/Deployment:shop/web'))).toBe(false);
  });

  it('is false for an object of another kind or group under the same name', () => {
    const statefulSet: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'shop' } };
    expect(isOwnedBy('shop', live(statefulSet, 'shop:apps/Deployment:shop/web'))).toBe(false);
    const knative: KubeObject = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } };
    expect(isOwnedBy('shop', live(knative, 'shop:/Service:shop/web'))).toBe(false);
  });

  it('is false for a copy under another name or namespace', () => {
    expect(isOwnedBy('shop', live({ ...deployment, metadata: { name: 'web-copy', namespace: 'shop' } }, 'shop:apps/Deployment:shop/web'))).toBe(false);
    expect(isOwnedBy('shop', live({ ...deployment, metadata: { name: 'web', namespace: 'staging' } }, 'shop:apps/Deployment:shop/web'))).toBe(false);
  });

  it('accepts a cluster-scoped object whose manifest carried a stray namespace', () => {
    expect(isOwnedBy('shop', live(clusterRole, 'shop:rbac.authorization.k8s.io/ClusterRole:shop/reader'))).toBe(true);
  });

  it('is false for a generateName hook id, which names no object', () => {
    const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate-x7k2p', namespace: 'shop' } };
    expect(isOwnedBy('shop', live(job, 'shop:batch/Job:shop/'))).toBe(false);
  });
});

describe('objectKey', () => {
  it.each([
    [deployment, 'apps/Deployment/shop/web'],
    [configMap, '/ConfigMap/shop/settings'],
    [clusterRole, 'rbac.authorization.k8s.io/ClusterRole//reader'],
  ])('keys %o without its version', (object, expected) => {
    expect(objectKey(object)).toBe(expected);
    expect(objectKey({ ...object, apiVersion: object.apiVersion.replace(/v1$/, 'v2') })).toBe(expected);
  });
});
