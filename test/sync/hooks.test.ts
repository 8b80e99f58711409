import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/kube/object.ts';
import { syncOptions, syncWave } from '../../shared/sync/annotations.ts';
import { InvalidAnnotationError } from '../../shared/sync/errors.ts';
import { deletePolicies, hookRole } from '../../shared/sync/hooks.ts';

function job(annotations: Record<string, string>): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'shop', annotations } };
}

describe('hookRole', () => {
  it('treats an object without hook annotations as a normal resource', () => {
    expect(hookRole(job({}))).toEqual({ role: 'resource' });
  });

  it.each([
    [{ 'driftless.io/hook': 'PreSync' }, 'driftless', ['PreSync']],
    [{ 'argocd.argoproj.io/hook': 'PostSync' }, 'argocd', ['PostSync']],
    [{ 'argocd.argoproj.io/hook': 'PreSync, PostSync' }, 'argocd', ['PreSync', 'PostSync']],
    [{ 'argocd.argoproj.io/hook': 'SyncFail' }, 'argocd', ['SyncFail']],
    [{ 'helm.sh/hook': 'pre-install' }, 'helm', ['PreSync']],
    [{ 'helm.sh/hook': 'pre-install,pre-upgrade' }, 'helm', ['PreSync']],
    [{ 'helm.sh/hook': 'post-install,post-upgrade' }, 'helm', ['PostSync']],
    [{ 'helm.sh/hook': 'pre-upgrade,post-upgrade' }, 'helm', ['PreSync', 'PostSync']],
    [{ 'helm.sh/hook': 'crd-install,pre-install' }, 'helm', ['PreSync']],
    [{ 'helm.sh/hook': 'pre-install,test' }, 'helm', ['PreSync']],
  ])('reads %o as a %s hook in %o', (annotations, family, phases) => {
    expect(hookRole(job(annotations))).toMatchObject({ role: 'hook', family, phases });
  });

  it('takes driftless.io over argocd.argoproj.io over helm.sh', () => {
    const all = { 'driftless.io/hook': 'Sync', 'argocd.argoproj.io/hook': 'PostSync', 'helm.sh/hook': 'pre-install' };
    expect(hookRole(job(all))).toMatchObject({ family: 'driftless', phases: ['Sync'] });
    const argoAndHelm = { 'argocd.argoproj.io/hook': 'PostSync', 'helm.sh/hook': 'pre-install' };
    expect(hookRole(job(argoAndHelm))).toMatchObject({ family: 'argocd', phases: ['PostSync'] });
  });

  it('treats a Helm crd-install hook as a normal resource, as Argo CD does', () => {
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com', annotations: { 'helm.sh/hook': 'crd-install' } },
    };
    expect(hookRole(crd)).toEqual({ role: 'resource' });
  });

  it.each(['test', 'test-success', 'test-failure', 'pre-delete', 'post-delete', 'pre-rollback', 'post-rollback', 'pre-delete,test'])(
    'skips a Helm %s hook, which a sync never runs',
    (event) => {
      expect(hookRole(job({ 'helm.sh/hook': event }))).toMatchObject({ role: 'skip' });
    },
  );

  it.each<Record<string, string>>([{ 'driftless.io/hook': 'Skip' }, { 'argocd.argoproj.io/hook': 'Skip' }, { 'argocd.argoproj.io/hook': 'PreDelete' }])(
    'skips %o',
    (annotations) => {
      expect(hookRole(job(annotations))).toMatchObject({ role: 'skip' });
    },
  );

  it('ignores Argo CD Skip beside a phase, as Argo CD does', () => {
    expect(hookRole(job({ 'argocd.argoproj.io/hook': 'Skip,PreSync' }))).toMatchObject({ role: 'hook', phases: ['PreSync'] });
  });

  it.each([
    [{ 'driftless.io/hook': 'Presync' }, 'driftless.io/hook'],
    [{ 'driftless.io/hook': '' }, 'driftless.io/hook'],
    [{ 'driftless.io/hook': 'Skip,PreSync' }, 'driftless.io/hook'],
    [{ 'argocd.argoproj.io/hook': 'PreSnyc' }, 'argocd.argoproj.io/hook'],
  ])('rejects %o naming the object and the annotation', (annotations, annotation) => {
    const attempt = () => hookRole(job(annotations));
    expect(attempt).toThrow(InvalidAnnotationError);
    expect(attempt).toThrow(`Job/shop/migrate: annotation ${annotation}`);
  });
});

describe('deletePolicies', () => {
  it('defaults to BeforeHookCreation, as Argo CD', () => {
    expect(deletePolicies(job({ 'argocd.argoproj.io/hook': 'PreSync' }))).toEqual(['BeforeHookCreation']);
    expect(hookRole(job({ 'helm.sh/hook': 'pre-install' }))).toMatchObject({ deletePolicies: ['BeforeHookCreation'] });
  });

  it.each([
    [{ 'driftless.io/hook-delete-policy': 'HookSucceeded' }, ['HookSucceeded']],
    [{ 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,HookFailed' }, ['HookSucceeded', 'HookFailed']],
    [{ 'helm.sh/hook-delete-policy': 'hook-succeeded' }, ['HookSucceeded']],
    [{ 'helm.sh/hook-delete-policy': 'hook-failed' }, ['HookFailed']],
    [{ 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' }, ['BeforeHookCreation', 'HookSucceeded']],
    [{ 'helm.sh/hook-delete-policy': 'sometimes' }, ['BeforeHookCreation']],
  ])('reads %o', (annotations, expected) => {
    expect(deletePolicies(job(annotations))).toEqual(expected);
  });

  it('takes driftless.io over argocd.argoproj.io over helm.sh', () => {
    const annotations = {
      'driftless.io/hook-delete-policy': 'HookFailed',
      'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
      'helm.sh/hook-delete-policy': 'before-hook-creation',
    };
    expect(deletePolicies(job(annotations))).toEqual(['HookFailed']);
    const { 'driftless.io/hook-delete-policy': _, ...argoAndHelm } = annotations;
    expect(deletePolicies(job(argoAndHelm))).toEqual(['HookSucceeded']);
  });

  it('rejects an unknown policy in our annotation', () => {
    expect(() => deletePolicies(job({ 'driftless.io/hook-delete-policy': 'Always' }))).toThrow(/driftless.io\/hook-delete-policy.*"Always"/);
  });
});

describe('syncWave', () => {
  it.each([
    [{}, 0],
    [{ 'driftless.io/sync-wave': '3' }, 3],
    [{ 'argocd.argoproj.io/sync-wave': '-2' }, -2],
    [{ 'argocd.argoproj.io/sync-wave': '+4' }, 4],
    [{ 'helm.sh/hook-weight': '5' }, 5],
    [{ 'helm.sh/hook-weight': ' -1 ' }, -1],
    [{ 'driftless.io/sync-wave': '1', 'argocd.argoproj.io/sync-wave': '2', 'helm.sh/hook-weight': '3' }, 1],
    [{ 'argocd.argoproj.io/sync-wave': '2', 'helm.sh/hook-weight': '3' }, 2],
  ])('reads %o as wave %d', (annotations, wave) => {
    expect(syncWave(job(annotations))).toBe(wave);
  });

  it.each([
    ['driftless.io/sync-wave', 'first'],
    ['argocd.argoproj.io/sync-wave', '1.5'],
    ['helm.sh/hook-weight', ''],
    ['argocd.argoproj.io/sync-wave', '99999999999999999999'],
  ])('rejects %s=%j naming the object and the annotation', (annotation, value) => {
    expect(() => syncWave(job({ [annotation]: value }))).toThrow(`Job/shop/migrate: annotation ${annotation}: ${JSON.stringify(value)} is not an integer`);
  });
});

describe('syncOptions', () => {
  it('parses Argo CD sync options into typed fields', () => {
    const annotations = { 'argocd.argoproj.io/sync-options': 'Prune=false, SkipDryRunOnMissingResource=true,Replace=true,ServerSideApply=true,Delete=confirm' };
    expect(syncOptions(job(annotations))).toEqual({
      prune: false,
      skipDryRunOnMissingResource: true,
      replace: true,
      serverSideApply: true,
      delete: 'confirm',
    });
  });

  it('merges key by key, driftless.io over argocd over helm resource-policy', () => {
    const annotations = {
      'helm.sh/resource-policy': 'keep',
      'argocd.argoproj.io/sync-options': 'Prune=false,Replace=true',
      'driftless.io/sync-options': 'Prune=true',
    };
    expect(syncOptions(job(annotations))).toEqual({ delete: false, prune: true, replace: true });
  });

  it('ignores Argo CD options we do not act on', () => {
    expect(syncOptions(job({ 'argocd.argoproj.io/sync-options': 'CreateNamespace=true,Validate=false' }))).toEqual({ validate: false });
  });

  it.each([
    [{ 'driftless.io/sync-options': 'CreateNamespace=true' }, /unknown option "CreateNamespace"/],
    [{ 'argocd.argoproj.io/sync-options': 'Prune=maybe' }, /sets Prune to something other than true, false, confirm/],
    [{ 'driftless.io/sync-options': 'Replace' }, /sets Replace to something other than true, false/],
  ])('rejects %o', (annotations, message) => {
    expect(() => syncOptions(job(annotations))).toThrow(message);
  });
});
