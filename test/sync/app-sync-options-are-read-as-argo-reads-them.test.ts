// Argo CD compares each entry of spec.syncPolicy.syncOptions whole and case-sensitively with
// the spellings it acts on (SyncOptions.HasOption("PruneLast=true"), argo-cd controller/sync.go;
// the strings of gitops-engine pkg/sync/common/types.go) and drops anything else without a
// word. The spellings below are the ones Argo CD's "Sync Options" page documents.
import { describe, expect, it } from 'vitest';
import { appRunOptions, parseAppSyncOptions } from '../../shared/sync/app-sync-options.ts';
import { problemsOf, registryOf } from '../config/registry-files.ts';

describe('app-level sync options', () => {
  it('acts on the spellings Argo CD documents', () => {
    const { options, ignored } = parseAppSyncOptions([
      'CreateNamespace=true',
      'Replace=true',
      'PruneLast=true',
      'ApplyOutOfSyncOnly=true',
      'RespectIgnoreDifferences=true',
      'FailOnSharedResource=true',
      'SkipDryRunOnMissingResource=true',
      'Prune=false',
      'Validate=false',
      'PrunePropagationPolicy=orphan',
    ]);
    expect(ignored).toEqual([]);
    expect(options).toEqual({
      createNamespace: true,
      replace: true,
      pruneLast: true,
      applyOutOfSyncOnly: true,
      respectIgnoreDifferences: true,
      failOnSharedResource: true,
      skipDryRunOnMissingResource: true,
      prune: false,
      validate: false,
      prunePropagationPolicy: 'Orphan',
    });
  });

  it('maps each PrunePropagationPolicy to the DeleteOptions value, and reads Prune=confirm', () => {
    expect(parseAppSyncOptions(['PrunePropagationPolicy=foreground']).options.prunePropagationPolicy).toBe('Foreground');
    expect(parseAppSyncOptions(['PrunePropagationPolicy=background']).options.prunePropagationPolicy).toBe('Background');
    expect(parseAppSyncOptions(['Prune=confirm']).options.prune).toBe('confirm');
  });

  it('without options, is Argo CD without options: validate, prune, apply', () => {
    const { options } = parseAppSyncOptions([]);
    expect(options).toMatchObject({ replace: false, pruneLast: false, applyOutOfSyncOnly: false, prune: true, validate: true, failOnSharedResource: false });
    expect(options.prunePropagationPolicy).toBeUndefined();
  });

  it('accepts what Argo CD accepts but changes nothing here, without a warning', () => {
    const { options, ignored } = parseAppSyncOptions([
      'ServerSideApply=true',
      'Replace=false',
      'Prune=true',
      'Validate=true',
      'Delete=false',
      'ClientSideApplyMigration=false',
    ]);
    expect(ignored).toEqual([]);
    expect(options).toEqual(parseAppSyncOptions([]).options);
  });

  it('ignores what Argo CD ignores (wrong case, other values, unknown names, Force), each with why', () => {
    const { options, ignored } = parseAppSyncOptions([
      'pruneLast=true',
      'Replace=True',
      'PrunePropagationPolicy=Foreground',
      'Force=true',
      'Frobnicate=true',
      'PruneLast',
    ]);
    expect(options).toEqual(parseAppSyncOptions([]).options);
    expect(ignored.map(({ option }) => option)).toEqual([
      'pruneLast=true',
      'Replace=True',
      'PrunePropagationPolicy=Foreground',
      'Force=true',
      'Frobnicate=true',
      'PruneLast',
    ]);
    expect(ignored[0].reason).toMatch(/case-sensitive \(PruneLast\)/);
    expect(ignored[1].reason).toMatch(/write Replace=true or Replace=false/);
    expect(ignored[2].reason).toMatch(/PrunePropagationPolicy=foreground/);
    expect(ignored[3].reason).toMatch(/annotation/);
    expect(ignored[4].reason).toMatch(/not a sync option Argo CD knows/);
    expect(ignored[5].reason).toMatch(/not Name=value/);
  });

  it('says ServerSideApply=false changes nothing: server-side apply is always on', () => {
    const { ignored } = parseAppSyncOptions(['ServerSideApply=false']);
    expect(ignored).toEqual([{ option: 'ServerSideApply=false', known: true, reason: expect.stringMatching(/always applies server-side/) }]);
  });
});

const ARGO_APP = (options: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
spec:
  project: default
  source:
    repoURL: https://github.com/acme/guestbook
    path: guestbook
  destination:
    name: dev
    namespace: guestbook
  syncPolicy:
    syncOptions: ${options}
  ignoreDifferences:
  - group: apps
    kind: Deployment
    jsonPointers: [/spec/replicas]
`;

const OUR_APP = (options: string) => `apiVersion: driftless.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  source:
    repoURL: https://github.com/acme/web
    path: deploy
  destination:
    name: dev
    namespace: web
  syncPolicy:
    syncOptions: ${options}
`;

describe('sync options in the registry', () => {
  it('refuses an entry of our own kind that Argo CD would ignore, at its file, line and field', () => {
    expect(problemsOf({ 'driftless/web.yaml': OUR_APP('[CreateNamespace=true, pruneLast=true]') })).toEqual([
      'driftless/web.yaml:13: Application/web: spec.syncPolicy.syncOptions[1]: "pruneLast=true" is not a sync option: names are case-sensitive (PruneLast)',
    ]);
  });

  it('keeps an Argo CD Application as Argo CD runs it, and the sync warns about what it ignores', () => {
    const registry = registryOf({
      'driftless/guestbook.yaml': ARGO_APP('[CreateNamespace=true, PruneLast=yes, ServerSideApply=true, RespectIgnoreDifferences=true]'),
    });
    const app = registry.apps.find((candidate) => candidate.name === 'guestbook');
    if (!app) throw new Error('guestbook is missing from the registry');
    const run = appRunOptions(app, 'guestbook');
    expect(run.createNamespace).toBe('guestbook');
    expect(run.syncOptions).toMatchObject({ respectIgnoreDifferences: true, pruneLast: false });
    expect(run.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]);
    expect(run.warnings).toEqual([
      'syncOptions "PruneLast=yes" is ignored, as Argo CD ignores it: it is not one Argo CD acts on: write PruneLast=true or PruneLast=false',
    ]);
  });
});
