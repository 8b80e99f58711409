// templatePatch merged as Argo CD merges it: a strategic merge patch on the Application type
// (Kubernetes' rules: mappings merge, null deletes, lists without a merge strategy are
// replaced, ObjectMeta's finalizers are a merged set), or a JSON patch (RFC 6902) when the
// patch is a list. Examples from Argo CD's "Templates" page (Template Patch) and its
// ApplyPatchTemplate tests.
import { describe, expect, it } from 'vitest';
import { applyTemplatePatch, TemplatePatchError } from '../../shared/appset/template-patch.ts';
import { renderGoTemplates } from '../../shared/appset/go-template.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';

// The Application of Argo CD's ApplyPatchTemplate test.
function guestbook(): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'my-cluster-guestbook', namespace: 'namespace', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: 'guestbook' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
    },
  };
}

const patched = {
  ...guestbook(),
  metadata: { ...(guestbook().metadata as object), annotations: { 'annotation-some-key': 'annotation-some-value' } },
  spec: {
    project: 'default',
    source: {
      repoURL: 'https://github.com/argoproj/argocd-example-apps.git',
      targetRevision: 'HEAD',
      path: 'guestbook',
      helm: { valueFiles: ['values.test.yaml', 'values.big.yaml'] },
    },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
    syncPolicy: { automated: { prune: true } },
  },
};

describe('strategic merge patch (a mapping)', () => {
  it("merges Argo CD's YAML example into the Application", () => {
    const patch = [
      'metadata:',
      '  annotations:',
      '    annotation-some-key: annotation-some-value',
      'spec:',
      '  source:',
      '    helm:',
      '      valueFiles:',
      '        - values.test.yaml',
      '        - values.big.yaml',
      '  syncPolicy:',
      '    automated:',
      '      prune: true',
    ].join('\n');
    expect(applyTemplatePatch(guestbook(), patch)).toEqual(patched);
  });

  it('reads the same patch written as JSON', () => {
    const patch = JSON.stringify({
      metadata: { annotations: { 'annotation-some-key': 'annotation-some-value' } },
      spec: { source: { helm: { valueFiles: ['values.test.yaml', 'values.big.yaml'] } }, syncPolicy: { automated: { prune: true } } },
    });
    expect(applyTemplatePatch(guestbook(), patch)).toEqual(patched);
  });

  it("renders Argo CD's documented templatePatch with goTemplate, then merges it", async () => {
    const element = {
      cluster: 'engineering-dev',
      url: 'https://kubernetes.default.svc',
      autoSync: true,
      prune: true,
      valueFiles: ['values.large.yaml', 'values.debug.yaml'],
    };
    const templatePatch = [
      'spec:',
      '  source:',
      '    helm:',
      '      valueFiles:',
      '      {{- range $valueFile := .valueFiles }}',
      '        - {{ $valueFile }}',
      '      {{- end }}',
      '{{- if .autoSync }}',
      '  syncPolicy:',
      '    automated:',
      '      prune: {{ .prune }}',
      '{{- end }}',
      '',
    ].join('\n');
    const [rendered] = await renderGoTemplates([{ template: templatePatch, params: element }], { goTemplateOptions: [] });
    expect(rendered).toEqual({ text: expect.any(String) });
    const application = applyTemplatePatch(guestbook(), (rendered as { text: string }).text);
    expect(application.spec).toEqual({
      ...(guestbook().spec as object),
      source: { ...((guestbook().spec as Record<string, object>).source as object), helm: { valueFiles: ['values.large.yaml', 'values.debug.yaml'] } },
      syncPolicy: { automated: { prune: true } },
    });
  });

  it('an empty `spec:` clears the spec, as Argo CD warns (#17040): null deletes', () => {
    const application = applyTemplatePatch(guestbook(), 'spec:\n');
    expect(application.spec).toBeUndefined();
    expect(applyTemplatePatch(guestbook(), 'spec:\n  source:\n    path: null\n').spec).toEqual({
      project: 'default',
      source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
    });
  });

  it('a list replaces the list it patches (the Application’s lists have no merge strategy)', () => {
    const app = {
      ...guestbook(),
      spec: {
        project: 'default',
        sources: [
          { repoURL: 'a', path: 'one' },
          { repoURL: 'b', path: 'two' },
        ],
        destination: {},
      },
    };
    const result = applyTemplatePatch(app, 'spec:\n  sources:\n    - repoURL: c\n      path: three\n');
    expect((result.spec as Record<string, unknown>).sources).toEqual([{ repoURL: 'c', path: 'three' }]);
  });

  it('metadata.finalizers is a merged set (ObjectMeta’s patchStrategy merge)', () => {
    const result = applyTemplatePatch(guestbook(), 'metadata:\n  finalizers:\n    - example.com/cleanup\n    - resources-finalizer.argocd.argoproj.io\n');
    expect((result.metadata as Record<string, unknown>).finalizers).toEqual(['resources-finalizer.argocd.argoproj.io', 'example.com/cleanup']);
  });

  it('$patch: replace replaces a mapping instead of merging it', () => {
    const result = applyTemplatePatch(guestbook(), 'spec:\n  destination:\n    $patch: replace\n    name: in-cluster\n    namespace: web\n');
    expect((result.spec as Record<string, unknown>).destination).toEqual({ name: 'in-cluster', namespace: 'web' });
  });

  it('an empty patch (every line in a false if) changes nothing; the input is never changed', () => {
    const app = guestbook();
    expect(applyTemplatePatch(app, '\n  \n')).toEqual(guestbook());
    applyTemplatePatch(app, 'metadata:\n  labels:\n    a: b\n');
    expect(app).toEqual(guestbook());
  });
});

describe('JSON patch (a list)', () => {
  it("applies Argo CD's json+patch example", () => {
    const app = { ...guestbook(), spec: { ...(guestbook().spec as object), source: { repoURL: 'r', path: 'p', helm: { valueFiles: ['values.yaml'] } } } };
    const patch = JSON.stringify([
      { op: 'replace', path: '/spec/source/helm/valueFiles', value: ['values.large.yaml', 'values.debug.yaml'] },
      { op: 'add', path: '/spec/syncPolicy', value: { automated: { prune: true } } },
    ]);
    const result = applyTemplatePatch(app, patch);
    expect(result.spec).toEqual({
      ...app.spec,
      source: { repoURL: 'r', path: 'p', helm: { valueFiles: ['values.large.yaml', 'values.debug.yaml'] } },
      syncPolicy: { automated: { prune: true } },
    });
  });

  it('patches inside spec.sources by index, and appends with -', () => {
    const app = { ...guestbook(), spec: { project: 'default', sources: [{ repoURL: 'a' }, { repoURL: 'b' }], destination: {} } };
    const result = applyTemplatePatch(
      app,
      JSON.stringify([
        { op: 'add', path: '/spec/sources/1/ref', value: 'values' },
        { op: 'add', path: '/spec/sources/-', value: { repoURL: 'c' } },
        { op: 'remove', path: '/spec/sources/0' },
      ]),
    );
    expect((result.spec as Record<string, unknown>).sources).toEqual([{ repoURL: 'b', ref: 'values' }, { repoURL: 'c' }]);
  });

  it('a failed test or a missing path is refused', () => {
    expect(() => applyTemplatePatch(guestbook(), '[{"op": "test", "path": "/spec/project", "value": "prod"}]')).toThrow(/test failed/);
    expect(() => applyTemplatePatch(guestbook(), '[{"op": "remove", "path": "/spec/nothing"}]')).toThrow(/\/spec\/nothing does not exist/);
  });
});

describe('refused patches', () => {
  it('YAML that does not parse, a scalar, or several documents: bad input naming spec.templatePatch', () => {
    for (const patch of ['spec: [unclosed', 'hello world', 'a: 1\n---\nb: 2\n']) {
      const error = (() => {
        try {
          applyTemplatePatch(guestbook(), patch);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(TemplatePatchError);
      expect(isBadInput(error)).toBe(true);
      expect((error as Error).message).toMatch(/^spec\.templatePatch: /);
    }
  });

  it('spec.project cannot be patched, by either kind of patch', () => {
    expect(() => applyTemplatePatch(guestbook(), 'spec:\n  project: admin\n')).toThrow(/spec\.project cannot be patched/);
    expect(() => applyTemplatePatch(guestbook(), '[{"op": "replace", "path": "/spec/project", "value": "admin"}]')).toThrow(/spec\.project cannot be patched/);
  });
});
