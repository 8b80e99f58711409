// What a sync needs from a chart repository: one chart at one version, unpacked in a folder.
// A Helm repository (an http(s) URL serving index.yaml) and an OCI registry (`oci://host/path`
// or a bare `host/path`, as Argo CD accepts both) are two implementations behind this one
// interface; the worker and local mode pass one ChartFetcher in their dependencies.

export interface ChartRequest {
  /** As the Application writes it: `https://charts.example.com`, `oci://ghcr.io/org/charts`, `public.ecr.aws/org`. */
  repoURL: string;
  /** `source.chart`: the chart's name in that repository. */
  chart: string;
  /** `source.targetRevision`: an exact version or a semver constraint (`1.2.*`, `>=4.0.0 <5`). */
  targetRevision: string;
}

export interface FetchedChart {
  /** Folder holding the unpacked chart (its Chart.yaml at the top). Shared: read only. */
  dir: string;
  chart: string;
  /** The exact version the request resolved to, recorded with the sync. */
  version: string;
  /** The chart archive's sha256 (index.yaml digest or OCI manifest digest), when known. */
  digest?: string;
  /** Releases this use; the folder may stay cached for the next fetch of the same version. */
  dispose(): Promise<void>;
}

export interface ChartFetcher {
  fetch(request: ChartRequest): Promise<FetchedChart>;
}
