// The contract between the render step and everything after it: what to render, and the
// ordered objects it produced, each remembering where in the repository it came from.
import type { KubeObject } from '../kube/object.ts';

export type SourceType = 'directory' | 'kustomize' | 'helm';

/** Where an object came from, so every later error can point the user at it. */
export interface SourceLocation {
  /** Repository-relative path with forward slashes, e.g. `apps/web/deploy.yaml`. */
  file: string;
  /**
   * 1-based position of the YAML document within `file`. For Helm, the position among that
   * template's documents in helm's output, which helm sorts by kind (its install order).
   */
  document: number;
  /** 1-based line in `file`; absent for tool output, whose lines do not map back to a file. */
  line?: number;
  /**
   * Which source of the app `file` belongs to, when that is not plain: a chart
   * (`chart web 1.2.0 from https://charts.example.com`) or one of several sources
   * (`spec.sources[1] (https://github.com/acme/values.git)`).
   */
  origin?: string;
}

export interface RenderedObject {
  object: KubeObject;
  source: SourceLocation;
}

/** A file that looked like a manifest by its name but was left out, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

export interface RenderResult {
  objects: RenderedObject[];
  sourceType: SourceType;
  skippedFiles: SkippedFile[];
}

/** Answers from the target cluster's discovery; `undefined` means "not known there". */
export type IsNamespaced = (group: string, kind: string) => boolean | undefined;

export interface ClusterInfo {
  /** As the API server reports it, e.g. `v1.34.2-eks-113cf36`; passed to `helm --kube-version`. */
  kubeVersion?: string;
  /** `group/version` and `group/version/Kind` entries; passed to `helm --api-versions`. */
  apiVersions?: string[];
  isNamespaced?: IsNamespaced;
}

export interface HelmParameter {
  name: string;
  value: string;
  /** `--set-string` instead of `--set`, so `"true"` or `"1"` stay strings. */
  forceString?: boolean;
}

export interface HelmOptions {
  /** Defaults to the application name, as in Argo CD. */
  releaseName?: string;
  /** Defaults to the destination namespace. */
  namespace?: string;
  /** Relative to the app path; an absolute path is relative to the repository root (Argo CD). */
  valueFiles?: string[];
  ignoreMissingValueFiles?: boolean;
  /** Applied after `valueFiles`, before `parameters`. */
  values?: string | Record<string, unknown>;
  parameters?: HelmParameter[];
  skipCrds?: boolean;
  skipTests?: boolean;
  /** Override the cluster's answers, as Argo CD's `helm.kubeVersion` / `helm.apiVersions` do. */
  kubeVersion?: string;
  apiVersions?: string[];
}

export interface KustomizeOptions {
  namePrefix?: string;
  nameSuffix?: string;
  /** `kustomize edit set image` syntax: `nginx:1.27`, `nginx=registry/nginx:1.27`, `nginx@sha256:…`. */
  images?: string[];
  commonLabels?: Record<string, string>;
  /** Replace labels the kustomization already sets instead of failing (`kustomize edit add label --force`). */
  forceCommonLabels?: boolean;
}

export interface DirectoryOptions {
  recurse?: boolean;
  /** Glob on the path relative to the app path; `*` also crosses `/` (Argo CD's glob). */
  include?: string;
  exclude?: string;
}

export interface RenderRequest {
  /** The checked-out tree. */
  root: string;
  /** The application's folder within `root`. */
  path: string;
  destinationNamespace: string;
  appName: string;
  /**
   * Setting exactly one of `helm`, `kustomize`, `directory` forces that source type, as the
   * matching section of an Argo CD Application does; with none, the folder's files decide.
   */
  helm?: HelmOptions;
  kustomize?: KustomizeOptions;
  directory?: DirectoryOptions;
  cluster?: ClusterInfo;
  /**
   * Ref sources of a multi-source app by ref name: the root of each one's tree, where Helm
   * value files written `$<ref>/path` are read from.
   */
  refs?: ReadonlyMap<string, string>;
}

/** One document as a source type produced it, before validation and namespace defaulting. */
export interface RawDocument {
  value: unknown;
  source: SourceLocation;
  /** Lines of the entries of a top-level `items` list, for precise errors after List flattening. */
  itemLines?: number[];
}

export interface SourceOutput {
  documents: RawDocument[];
  skippedFiles: SkippedFile[];
}
