import { describe, expect, it } from 'vitest';
import { editKustomization, parseImageOverride } from '../../shared/render/kustomize-edit.ts';
import { RenderOptionsError } from '../../shared/render/errors.ts';

describe('kustomize edit equivalents', () => {
  it.each([
    ['nginx:1.27', { name: 'nginx', newTag: '1.27' }],
    ['nginx=registry.local/nginx:1.27', { name: 'nginx', newName: 'registry.local/nginx', newTag: '1.27' }],
    ['nginx@sha256:abc', { name: 'nginx', digest: 'sha256:abc' }],
    ['registry:5000/team/app', { name: 'registry:5000/team/app' }],
    ['app=registry:5000/team/app:v2', { name: 'app', newName: 'registry:5000/team/app', newTag: 'v2' }],
  ])('reads image override %s as kustomize edit set image does', (spec, expected) => {
    expect(parseImageOverride(spec)).toEqual(expected);
  });

  it('refuses an image override without a name', () => {
    expect(() => parseImageOverride('=x')).toThrow(RenderOptionsError);
  });

  it('keeps the comments and fields of the kustomization it edits', () => {
    const edited = editKustomization('# base of the shop\nresources: [a.yaml]\nnamePrefix: old-\n', 'k.yaml', {
      namePrefix: 'new-',
      images: ['nginx@sha256:abc'],
    });
    expect(edited).toContain('# base of the shop');
    expect(edited).toContain('namePrefix: new-');
    expect(edited).toMatch(/images:\n\s+- name: nginx\n\s+digest: sha256:abc/);
  });

  it('replaces the tag of an existing image entry when given a digest', () => {
    const edited = editKustomization('images:\n  - name: nginx\n    newTag: "1.0"\n', 'k.yaml', { images: ['nginx@sha256:abc'] });
    expect(edited).not.toContain('newTag');
    expect(edited).toContain('digest: sha256:abc');
  });
});
