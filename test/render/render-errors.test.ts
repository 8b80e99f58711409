import { afterEach, describe, expect, it } from 'vitest';
import { render } from '../../shared/render/render.ts';
import { DuplicateObjectError, InvalidObjectError, ManifestSyntaxError, RenderError, RenderOptionsError, SourcePathError } from '../../shared/render/errors.ts';
import { configMap, writeTree } from './tree.ts';
import type { Tree } from './tree.ts';

let tree: Tree | undefined;
afterEach(async () => {
  await tree?.remove();
  tree = undefined;
});

async function renderFailure(
  files: Record<string, string>,
  extra: Partial<Parameters<typeof render>[0]> = {},
  links: Record<string, string> = {},
): Promise<RenderError> {
  tree = await writeTree(files, links);
  const error = await render({ root: tree.root, path: 'app', destinationNamespace: 'shop', appName: 'web', ...extra }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RenderError);
  return error as RenderError;
}

describe('render errors', () => {
  it('names the file and line of a YAML syntax error in a manifest', async () => {
    const error = await renderFailure({
      'app/ok.yaml': configMap('fine'),
      'app/broken.yaml': `${configMap('a')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  labels: [unclosed\n`,
    });
    expect(error).toBeInstanceOf(ManifestSyntaxError);
    expect(error).toMatchObject({ file: 'app/broken.yaml', name: 'ManifestSyntaxError' });
    expect((error as ManifestSyntaxError).line).toBeGreaterThanOrEqual(10);
    expect(error.message).toMatch(/^app\/broken\.yaml:\d+: cannot parse/);
  });

  it('names the file, document, line and field of an object without apiVersion', async () => {
    const error = await renderFailure({ 'app/cm.yaml': `${configMap('a')}---\nkind: ConfigMap\nmetadata:\n  name: b\n` });
    expect(error).toBeInstanceOf(InvalidObjectError);
    expect(error).toMatchObject({ field: 'apiVersion', source: { file: 'app/cm.yaml', document: 2, line: 6 } });
    expect(error.message).toContain('app/cm.yaml (document 2, line 6): ConfigMap "b" has no apiVersion');
  });

  it('refuses an object without a name, and generateName outside hooks', async () => {
    const nameless = await renderFailure({ 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n' });
    expect(nameless).toMatchObject({ field: 'metadata.name' });
    await tree?.remove();
    const generated = await renderFailure({ 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: x-\n' });
    expect(generated.message).toMatch(/generateName is only allowed on hooks/);
  });

  it('names both sources of a duplicate object, after namespace defaulting', async () => {
    const error = await renderFailure({
      'app/a.yaml': configMap('same'),
      'app/b.yaml': configMap('same', '  namespace: shop\n'),
    });
    expect(error).toBeInstanceOf(DuplicateObjectError);
    expect(error.message).toBe(
      'ConfigMap/shop/same is defined twice: in app/a.yaml (document 1, line 1) and in app/b.yaml (document 1, line 1); keep one of them',
    );
  });

  it('treats a YAML file that looks like a manifest but has no kind as an error, not as a skipped file', async () => {
    const error = await renderFailure({ 'app/cm.yaml': 'apiVersion: v1\nkind:\nmetadata:\n  name: a\n' });
    expect(error).toMatchObject({ field: 'kind' });
  });

  it('refuses a JSON file that is not valid JSON', async () => {
    const error = await renderFailure({ 'app/package.json': '{"name": "x",\n' });
    expect(error).toBeInstanceOf(ManifestSyntaxError);
    expect(error.message).toMatch(/^app\/package\.json/);
  });

  it('refuses an app path that climbs out of the tree', async () => {
    const error = await renderFailure({ 'app/cm.yaml': configMap('a') }, { path: '../elsewhere' });
    expect(error).toBeInstanceOf(SourcePathError);
    expect(error.message).toContain('escapes the repository root');
  });

  it('refuses an app path that leaves the tree through a symlink', async () => {
    const error = await renderFailure({}, { path: 'app' }, { app: '/tmp' });
    expect(error).toBeInstanceOf(SourcePathError);
    expect(error.message).toMatch(/symlink.*outside/);
  });

  it('refuses a tree holding a symlink to a file outside it', async () => {
    const error = await renderFailure({ 'app/cm.yaml': configMap('a') }, {}, { 'app/passwd.yaml': '/etc/passwd' });
    expect(error).toBeInstanceOf(SourcePathError);
    expect(error.message).toContain('app/passwd.yaml → /etc/passwd');
  });

  it('refuses options for two source types at once, as Argo CD does', async () => {
    const error = await renderFailure({ 'app/cm.yaml': configMap('a') }, { helm: {}, directory: {} });
    expect(error).toBeInstanceOf(RenderOptionsError);
    expect(error.message).toContain('multiple application sources defined: helm, directory');
  });
});
