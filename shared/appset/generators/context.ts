// What every generator may read while it runs: the set (its name and syntax), the registered
// Clusters, the Git trees, and the string renderer of the set's syntax.
import type { ClusterSpec } from '../../config/types.ts';
import type { GitFiles } from '../git-files.ts';
import type { StringRenderer } from '../render-strings.ts';
import type { ApplicationSetSpec, Params } from '../types.ts';
import type { LabelSelector } from '../schema.ts';

export interface GeneratorContext {
  set: ApplicationSetSpec;
  clusters: readonly ClusterSpec[];
  git: GitFiles;
  render: StringRenderer;
}

/** A generator's own Application template, as written (merged over the set's by generate.ts). */
export interface GeneratorTemplate {
  metadata?: Record<string, unknown>;
  spec?: Record<string, unknown>;
}

/** One entry of `spec.generators` (or of a matrix's or merge's `generators`), as schema.ts validated it. */
export interface GeneratorEntry {
  list?: ListGenerator;
  clusters?: ClustersGenerator;
  git?: GitGenerator;
  matrix?: MatrixGenerator;
  merge?: MergeGenerator;
  selector?: LabelSelector;
}

export interface ListGenerator {
  elements: Array<Record<string, unknown>>;
  elementsYaml?: string;
  template?: GeneratorTemplate;
}

export interface ClustersGenerator {
  selector?: LabelSelector;
  values?: Record<string, string>;
  flatList?: boolean;
  template?: GeneratorTemplate;
}

export interface GitGenerator {
  repoURL: string;
  revision: string;
  directories?: Array<{ path: string; exclude?: boolean }>;
  files?: Array<{ path: string; exclude?: boolean }>;
  values?: Record<string, string>;
  pathParamPrefix?: string;
  template?: GeneratorTemplate;
}

export interface MatrixGenerator {
  generators: GeneratorEntry[];
  template?: GeneratorTemplate;
}

export interface MergeGenerator {
  generators: GeneratorEntry[];
  mergeKeys: string[];
  template?: GeneratorTemplate;
}

/**
 * Argo CD's appendTemplatedValues: each of `values` rendered with the parameters so far (not
 * with other values), then added as `values.<key>` (fasttemplate) or under `values` (goTemplate).
 * Values of many parameter sets render in one batch.
 */
export async function withTemplatedValues(paramSets: Params[], values: Record<string, string> | undefined, context: GeneratorContext): Promise<Params[]> {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return paramSets;
  const texts = await context.render(paramSets.flatMap((params) => entries.map(([, template]) => ({ template, params }))));
  return paramSets.map((params, index) => {
    const rendered = entries.map(([key], position) => [key, texts[index * entries.length + position]] as const);
    if (context.set.goTemplate) return { ...params, values: Object.fromEntries(rendered) };
    const out: Params = { ...params };
    for (const [key, text] of rendered) out[`values.${key}`] = text;
    return out;
  });
}
