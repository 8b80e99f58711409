// The render step: a folder of a checked-out tree → the ordered objects to apply, each
// tied to the file it came from. Any failure throws before anything is applied.
import { detectSourceType } from './detect.ts';
import { renderDirectory } from './directory.ts';
import { withScratch } from './exec.ts';
import { renderHelm } from './helm.ts';
import { renderKustomize } from './kustomize.ts';
import { normalize } from './normalize.ts';
import { assertNoEscapingSymlinks, resolveAppPath } from './paths.ts';
import type { AppLocation } from './paths.ts';
import type { RenderRequest, RenderResult, SourceOutput, SourceType } from './types.ts';

export async function render(request: RenderRequest): Promise<RenderResult> {
  const { app, sourceType, output } = await renderDocuments(request);
  const objects = normalize(output.documents, {
    destinationNamespace: request.destinationNamespace,
    isNamespaced: request.cluster?.isNamespaced,
    source: app.path === '' ? 'the repository root' : app.path,
  });
  return { objects, sourceType, skippedFiles: output.skippedFiles };
}

/**
 * One folder's documents as its source type produces them, before normalising: what
 * render-sources.ts gathers from each source of an app. `forceType` is a chart's: Helm, whatever
 * the folder holds.
 */
export async function renderDocuments(
  request: RenderRequest,
  options: { forceType?: SourceType; origin?: string } = {},
): Promise<{ app: AppLocation; sourceType: SourceType; output: SourceOutput }> {
  const app = await resolveAppPath(request.root, request.path);
  await assertNoEscapingSymlinks(app.root);
  const sourceType = options.forceType ?? (await detectSourceType(app.dir, request));
  const output = withOrigin(await renderSource(sourceType, app, request), options.origin);
  return { app, sourceType, output };
}

async function renderSource(sourceType: SourceType, app: AppLocation, request: RenderRequest): Promise<SourceOutput> {
  if (sourceType === 'directory') return renderDirectory(app.dir, app.path, request.directory);
  return withScratch((scratch) =>
    sourceType === 'helm'
      ? renderHelm({
          app,
          appName: request.appName,
          destinationNamespace: request.destinationNamespace,
          options: request.helm,
          cluster: request.cluster,
          scratch,
          refs: request.refs,
        })
      : renderKustomize(app, request.kustomize, scratch),
  );
}

/** Every object's location names the source it came from, whatever its source type. */
function withOrigin(output: SourceOutput, origin: string | undefined): SourceOutput {
  if (origin === undefined) return output;
  return { ...output, documents: output.documents.map((document) => ({ ...document, source: { ...document.source, origin } })) };
}
