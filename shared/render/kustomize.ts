// A Kustomize source built with kubectl's built-in kustomize. With Argo CD-style options the
// build runs on a private copy of the tree whose kustomization has been edited, because the
// checked-out tree is shared and must never change. Helm charts inside kustomizations are
// not inflated (no --enable-helm, as Argo CD's default), and nothing outside the checked-out
// tree is read: every reference is checked before kustomize runs (kustomize-references.ts).
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { positionalFromGit } from '../tools/argv.ts';
import { KustomizeBuildError, OptionLikeArgumentError } from './errors.ts';
import { runTool } from './exec.ts';
import { editKustomization, hasKustomizeEdits } from './kustomize-edit.ts';
import { checkKustomizeReferences } from './kustomize-references.ts';
import { findKustomization } from './detect.ts';
import { tooManyBytes } from './limits.ts';
import { parseYamlStream } from './parse.ts';
import { repoPath } from './paths.ts';
import { toolFailureDetail } from './tool-failure.ts';
import type { AppLocation } from './paths.ts';
import type { KustomizeOptions, RawDocument, SourceOutput } from './types.ts';

export async function renderKustomize(app: AppLocation, options: KustomizeOptions | undefined, scratch: string): Promise<SourceOutput> {
  const name = await findKustomization(app.dir);
  const kustomization = repoPath(app.path, name ?? 'kustomization.yaml');
  // Before any edit: the options add names and images, never paths.
  const secrets = await checkKustomizeReferences(app);
  let buildDir = app.dir;
  let treeCopy: string | undefined;
  if (name && hasKustomizeEdits(options)) {
    treeCopy = join(scratch, 'tree');
    const gitDir = join(app.root, '.git');
    await cp(app.root, treeCopy, {
      recursive: true,
      filter: (source) => source !== gitDir,
      // Keep relative links relative, so they point inside the copy rather than back at the tree.
      verbatimSymlinks: true,
    });
    buildDir = join(treeCopy, app.path);
    const file = join(buildDir, name);
    await writeFile(file, editKustomization(await readFile(file, 'utf8'), kustomization, options));
  }
  const folder = positionalFromGit(buildDir, (value) => new OptionLikeArgumentError('kustomization folder', value));
  const outcome = await runTool('kubectl', ['kustomize', '--', folder], { cwd: buildDir, scratch });
  if (!outcome.ok) {
    if (outcome.outputTooLarge) throw tooManyBytes(kustomization, 'renders manifests');
    // Messages should name repository paths, not the worker's folders or our scratch copy.
    const roots = treeCopy ? [treeCopy, app.root] : [app.root];
    throw new KustomizeBuildError(kustomization, toolFailureDetail(outcome.message, { roots, secrets, prefix: /^error: / }));
  }
  return { documents: toDocuments(outcome.stdout, kustomization), skippedFiles: [] };
}

function toDocuments(output: string, kustomization: string): RawDocument[] {
  return parseYamlStream(output, kustomization)
    .filter((document) => document.value !== null)
    .map((document, position) => ({ value: document.value, source: { file: kustomization, document: position + 1 } }));
}
