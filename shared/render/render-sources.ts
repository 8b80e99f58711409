// The render step for an app of several sources, or of a chart: each source rendered by its
// type (a Git folder as render.ts renders it, a chart with Helm), with `$<ref>/…` value files
// read from the ref sources' trees, and the objects put together in source order. They are
// normalised as one set, so a CRD of one source scopes the custom resources of another, and an
// object produced by two sources is an error naming both (Argo CD warns and applies the last).
import { realpath } from 'node:fs/promises';
import { SourcePathError } from './errors.ts';
import { normalize } from './normalize.ts';
import { assertNoEscapingSymlinks } from './paths.ts';
import { renderDocuments } from './render.ts';
import type { ClusterInfo, DirectoryOptions, HelmOptions, KustomizeOptions, RawDocument, RenderedObject, SkippedFile, SourceType } from './types.ts';

export interface SourceTree {
  /** The source's files: a checked-out tree, or the folder a chart was unpacked in. */
  root: string;
  /** The folder to render within `root` (`.` for a chart). */
  path: string;
  /** A chart renders with Helm whatever else its folder holds. */
  chart: boolean;
  /** False for a ref source without a path: it only lends its files. */
  renders: boolean;
  /** The name other sources' `$<ref>/…` value files use for this tree. */
  ref?: string;
  helm?: HelmOptions;
  kustomize?: KustomizeOptions;
  directory?: DirectoryOptions;
  /** How errors and every object's location name this source; undefined for an app's one Git source. */
  origin?: string;
}

export interface SourcesRenderRequest {
  sources: SourceTree[];
  destinationNamespace: string;
  appName: string;
  cluster?: ClusterInfo;
}

export interface SourcesRenderResult {
  objects: RenderedObject[];
  /** Per source, in order; undefined for a source that renders nothing. */
  sourceTypes: Array<SourceType | undefined>;
  skippedFiles: SkippedFile[];
}

export async function renderSources(request: SourcesRenderRequest): Promise<SourcesRenderResult> {
  const refs = await refRoots(request.sources);
  const documents: RawDocument[] = [];
  const sourceTypes: Array<SourceType | undefined> = [];
  const skippedFiles: SkippedFile[] = [];
  // One after the other: helm and kustomize each take a core, and the worker has few.
  for (const source of request.sources) {
    if (!source.renders) {
      sourceTypes.push(undefined);
      continue;
    }
    const { sourceType, output } = await renderDocuments(
      {
        root: source.root,
        path: source.path,
        appName: request.appName,
        destinationNamespace: request.destinationNamespace,
        helm: source.chart ? (source.helm ?? {}) : source.helm,
        kustomize: source.kustomize,
        directory: source.directory,
        cluster: request.cluster,
        refs,
      },
      { forceType: source.chart ? 'helm' : undefined, origin: source.origin },
    );
    sourceTypes.push(sourceType);
    documents.push(...output.documents);
    skippedFiles.push(...output.skippedFiles.map((skipped) => (source.origin ? { ...skipped, file: `${skipped.file} of ${source.origin}` } : skipped)));
  }
  const objects = normalize(documents, {
    destinationNamespace: request.destinationNamespace,
    isNamespaced: request.cluster?.isNamespaced,
    source: `the sources of ${request.appName}`,
  });
  return { objects, sourceTypes, skippedFiles };
}

/** Each ref source's real root, its tree checked for symlinks out of it (Helm reads its files). */
async function refRoots(sources: readonly SourceTree[]): Promise<Map<string, string>> {
  const refs = new Map<string, string>();
  for (const source of sources) {
    if (source.ref === undefined) continue;
    const root = await realpath(source.root).catch((error: unknown) => {
      throw new SourcePathError(`the tree of ref source "${source.ref}" (${source.root}) does not exist`, { cause: error });
    });
    await assertNoEscapingSymlinks(root);
    refs.set(source.ref, root);
  }
  return refs;
}
