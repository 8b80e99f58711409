import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/kube/object.ts';
import { DuplicateTargetError, InvalidAnnotationError, UnnamedObjectError } from '../../shared/sync/errors.ts';
import { compareKindOrder } from '../../shared/sync/kind-order.ts';
import { planSync, type SyncPlan } from '../../shared/sync/plan.ts';

function object(apiVersion: string, kind: string, name: string, extra: { namespace?: string; annotations?: Record<string, string> } = {}): KubeObject {
  return { apiVersion, kind, metadata: { name, ...extra } };
}

/** `Phase/wave: Kind/ns/name, ...` — the whole order at a glance. */
function outline(plan: SyncPlan): string[] {
  return plan.steps.map(
    (step) =>
      `${step.phase}/${step.wave}: ${step.objects
        .map(({ object: o }) => [o.kind, o.metadata.namespace, o.metadata.name ?? `${o.metadata.generateName}*`].filter(Boolean).join('/'))
        .join(', ')}`,
  );
}

describe('compareKindOrder', () => {
  const kinds = (objects: KubeObject[]) => [...objects].sort(compareKindOrder).map((o) => o.kind);

  it('puts PriorityClass and Namespace first and webhooks last, as Helm', () => {
    const objects = [
      object('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'v'),
      object('apps/v1', 'Deployment', 'd'),
      object('v1', 'Namespace', 'n'),
      object('scheduling.k8s.io/v1', 'PriorityClass', 'p'),
      object('v1', 'ServiceAccount', 'sa'),
      object('v1', 'Secret', 's'),
      object('v1', 'ConfigMap', 'c'),
      object('v1', 'Service', 'svc'),
      object('rbac.authorization.k8s.io/v1', 'ClusterRole', 'cr'),
      object('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'm'),
      object('networking.k8s.io/v1', 'Ingress', 'i'),
      object('batch/v1', 'Job', 'j'),
    ];
    expect(kinds(objects)).toEqual([
      'PriorityClass',
      'Namespace',
      'ServiceAccount',
      'Secret',
      'ConfigMap',
      'ClusterRole',
      'Service',
      'Deployment',
      'Job',
      'Ingress',
      'MutatingWebhookConfiguration',
      'ValidatingWebhookConfiguration',
    ]);
  });

  it('puts custom resources after every known kind, CRDs before them, unknown kinds by name', () => {
    const objects = [
      object('example.com/v1', 'Widget', 'w'),
      object('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'v'),
      object('cert-manager.io/v1', 'Certificate', 'c'),
      object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com'),
    ];
    expect(kinds(objects)).toEqual(['CustomResourceDefinition', 'ValidatingWebhookConfiguration', 'Certificate', 'Widget']);
  });

  it('does not mistake a custom resource named like a built-in kind for it', () => {
    const objects = [
      object('serving.knative.dev/v1', 'Service', 'k'),
      object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'services.serving.knative.dev'),
    ];
    expect(kinds(objects)).toEqual(['CustomResourceDefinition', 'Service']);
    expect(compareKindOrder(object('serving.knative.dev/v1', 'Service', 'k'), object('apps/v1', 'Deployment', 'd'))).toBeGreaterThan(0);
  });
});

describe('planSync', () => {
  it('orders by phase, then wave, then kind, namespace and name', () => {
    const plan = planSync([
      { object: object('apps/v1', 'Deployment', 'web', { namespace: 'shop' }) },
      { object: object('v1', 'ConfigMap', 'b', { namespace: 'shop' }) },
      { object: object('v1', 'ConfigMap', 'a', { namespace: 'shop' }) },
      { object: object('v1', 'ConfigMap', 'a', { namespace: 'blog' }) },
      { object: object('v1', 'Namespace', 'shop') },
      { object: object('batch/v1', 'Job', 'smoke', { namespace: 'shop', annotations: { 'argocd.argoproj.io/hook': 'PostSync' } }) },
      { object: object('batch/v1', 'Job', 'migrate', { namespace: 'shop', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } }) },
      { object: object('apps/v1', 'Deployment', 'worker', { namespace: 'shop', annotations: { 'argocd.argoproj.io/sync-wave': '1' } }) },
      { object: object('v1', 'Secret', 'early', { namespace: 'shop', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } }) },
    ]);
    expect(outline(plan)).toEqual([
      'PreSync/0: Job/shop/migrate',
      'Sync/-1: Secret/shop/early',
      'Sync/0: Namespace/shop, ConfigMap/blog/a, ConfigMap/shop/a, ConfigMap/shop/b, Deployment/shop/web',
      'Sync/1: Deployment/shop/worker',
      'PostSync/0: Job/shop/smoke',
    ]);
  });

  it('applies a CRD before its custom resources in the same wave', () => {
    const plan = planSync([
      { object: object('example.com/v1', 'Widget', 'w', { namespace: 'shop' }) },
      { object: object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com') },
    ]);
    expect(outline(plan)).toEqual(['Sync/0: CustomResourceDefinition/widgets.example.com, Widget/shop/w']);
  });

  it('uses the Helm hook weight as the wave of a Helm hook', () => {
    const hook = (name: string, weight: string) =>
      object('batch/v1', 'Job', name, { namespace: 'shop', annotations: { 'helm.sh/hook': 'pre-upgrade', 'helm.sh/hook-weight': weight } });
    const plan = planSync([{ object: hook('second', '5') }, { object: hook('first', '-5') }]);
    expect(outline(plan)).toEqual(['PreSync/-5: Job/shop/first', 'PreSync/5: Job/shop/second']);
  });

  it('runs a hook in every phase it names, and keeps SyncFail hooks last in their own steps', () => {
    const plan = planSync([
      { object: object('batch/v1', 'Job', 'notify', { namespace: 'shop', annotations: { 'argocd.argoproj.io/hook': 'SyncFail' } }) },
      { object: object('batch/v1', 'Job', 'check', { namespace: 'shop', annotations: { 'driftless.io/hook': 'PreSync,PostSync' } }) },
      { object: object('v1', 'ConfigMap', 'c', { namespace: 'shop' }) },
    ]);
    expect(outline(plan)).toEqual(['PreSync/0: Job/shop/check', 'Sync/0: ConfigMap/shop/c', 'PostSync/0: Job/shop/check', 'SyncFail/0: Job/shop/notify']);
  });

  it('leaves Skip hooks and unsupported Helm hooks out of the steps, listing them as skipped', () => {
    const skipped = object('v1', 'ConfigMap', 'manual', { namespace: 'shop', annotations: { 'argocd.argoproj.io/hook': 'Skip' } });
    const test = object('v1', 'Pod', 'chart-test', { namespace: 'shop', annotations: { 'helm.sh/hook': 'test' } });
    const plan = planSync([{ object: skipped, source: 'a.yaml' }, { object: test }, { object: object('v1', 'ConfigMap', 'kept', { namespace: 'shop' }) }]);
    expect(outline(plan)).toEqual(['Sync/0: ConfigMap/shop/kept']);
    expect(plan.skipped).toEqual([
      { object: skipped, source: 'a.yaml', reason: 'argocd.argoproj.io/hook: Skip' },
      { object: test, source: undefined, reason: expect.stringContaining('helm.sh/hook: test') },
    ]);
  });

  it('records hook-ness, delete policies and sync options on each planned object', () => {
    const plan = planSync([
      {
        object: object('batch/v1', 'Job', 'migrate', {
          namespace: 'shop',
          annotations: { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-delete-policy': 'hook-succeeded' },
        }),
      },
      { object: object('v1', 'ConfigMap', 'c', { namespace: 'shop', annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } }) },
    ]);
    const [pre, sync] = plan.steps;
    expect(pre.objects[0]).toMatchObject({ isHook: true, deletePolicies: ['HookSucceeded'], syncOptions: {} });
    expect(sync.objects[0]).toMatchObject({ isHook: false, deletePolicies: [], syncOptions: { prune: false } });
  });

  it('accepts generateName on hooks and orders them by the prefix', () => {
    const hook = (generateName: string): KubeObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { generateName, namespace: 'shop', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
    });
    const plan = planSync([{ object: hook('seed-') }, { object: hook('migrate-') }, { object: hook('migrate-') }]);
    expect(outline(plan)).toEqual(['PreSync/0: Job/shop/migrate-*, Job/shop/migrate-*, Job/shop/seed-*']);
  });

  it('refuses generateName on an object that is not a hook', () => {
    const unnamed: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'c-', namespace: 'shop' } };
    expect(() => planSync([{ object: unnamed }])).toThrow(UnnamedObjectError);
  });

  it('refuses the same object twice', () => {
    const twice = () =>
      planSync([{ object: object('v1', 'ConfigMap', 'c', { namespace: 'shop' }) }, { object: object('v1', 'ConfigMap', 'c', { namespace: 'shop' }) }]);
    expect(twice).toThrow(DuplicateTargetError);
    expect(twice).toThrow('ConfigMap/shop/c: rendered more than once');
  });

  it('fails on an invalid wave, naming the object, the annotation and the source', () => {
    const bad = object('apps/v1', 'Deployment', 'web', { namespace: 'shop', annotations: { 'argocd.argoproj.io/sync-wave': 'late' } });
    let caught: unknown;
    try {
      planSync([{ object: bad, source: { path: 'apps/web.yaml' } }]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidAnnotationError);
    expect((caught as InvalidAnnotationError).message).toBe('Deployment/shop/web: annotation argocd.argoproj.io/sync-wave: "late" is not an integer');
    expect((caught as InvalidAnnotationError).source).toEqual({ path: 'apps/web.yaml' });
  });

  it('plans nothing from nothing', () => {
    expect(planSync([])).toEqual({ steps: [], skipped: [] });
  });

  it('carries the source type through', () => {
    const plan = planSync<{ path: string }>([{ object: object('v1', 'ConfigMap', 'c'), source: { path: 'c.yaml' } }]);
    const path: string | undefined = plan.steps[0].objects[0].source?.path;
    expect(path).toBe('c.yaml');
  });
});
