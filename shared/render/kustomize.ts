// A Kustomize source built with kubectl's built-in kustomize. With Argo CD-style options the
// build runs on a private copy of the tree whose kustomization has been edited, because the
// checked-out tree is shared and must never change. Helm charts inside kustomizations are
// not inflated (no --enable-helm, as Argo CD's default), and remote bases cannot be fetched.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { KustomizeBuildError } from './errors.ts';
import { runTool } from './exec.ts';
import { editKustomization, hasKustomizeEdits } from './kustomize-edit.ts';
import { findKustomization } from './detect.ts';
import { parseYamlStream } from './parse.ts';
import { repoPath, withRepoPaths } from './paths.ts';
import type { AppLocation } from './paths.ts';
import type { KustomizeOptions, RawDocument, SourceOutput } from './types.ts';

export async function renderKustomize(app: AppLocation, options: KustomizeOptions | undefined, scratch: string): Promise<SourceOutput> {
  const name = await findKustomization(app.dir);
  const kustomization = repoPath(app.path, name ?? 'kustomization.yaml');
  let buildDir = app.dir;
  let treeCopy: string | undefined;
  if (name && hasKustomizeEdits(options)) {
    treeCopy = join(scratch, 'tree');
    await cp(app.root, treeCopy, {
      recursive: true,
      filter: (source) => basename(source) !== '.git',
      // Keep relative links relative, so they point inside the copy rather than back at the tree.
      verbatimSymlinks: true,
    });
    buildDir = join(treeCopy, app.path);
    const file = join(buildDir, name);
    await writeFile(file, editKustomization(await readFile(file, 'utf8'), kustomization, options));
  }
  const outcome = await runTool('kubectl', ['kustomize', buildDir], { cwd: buildDir, scratch });
  if (!outcome.ok) {
    // Messages should name repository paths, not the worker's folders or our scratch copy.
    const detail = withRepoPaths(outcome.message, treeCopy ? [treeCopy, app.root] : [app.root]);
    throw new KustomizeBuildError(kustomization, detail.replace(/^error: /, ''));
  }
  return { documents: toDocuments(outcome.stdout, kustomization), skippedFiles: [] };
}

function toDocuments(output: string, kustomization: string): RawDocument[] {
  return parseYamlStream(output, kustomization)
    .filter((document) => document.value !== null)
    .map((document, position) => ({ value: document.value, source: { file: kustomization, document: position + 1 } }));
}
