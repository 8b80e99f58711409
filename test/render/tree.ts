// Builds a throwaway source tree for one test from a map of relative paths to contents.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Tree {
  root: string;
  remove(): Promise<void>;
}

export async function writeTree(files: Record<string, string>, links: Record<string, string> = {}): Promise<Tree> {
  const root = await mkdtemp(join(tmpdir(), 'render-test-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  for (const [path, target] of Object.entries(links)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await symlink(target, join(root, path));
  }
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** `Kind/namespace/name` of each rendered object, in order. */
export function ids(result: { objects: Array<{ object: { kind: string; metadata: { name?: string; namespace?: string } } }> }): string[] {
  return result.objects.map(({ object }) => [object.kind, object.metadata.namespace, object.metadata.name].filter(Boolean).join('/'));
}

export function configMap(name: string, extra = ''): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;
}
