// The clusters generator: one parameter set per registered Cluster whose labels match the
// `selector` (all of them without one), in name order. Parameters, as Argo CD's cluster
// generator sets them: `name`, `nameNormalized`, `server`, the Cluster's labels and annotations
// (`metadata.labels.<k>` / `metadata.annotations.<k>` with fasttemplate, nested under
// `metadata` with goTemplate, only when there are some), and `values`, each rendered with the
// cluster's parameters.
//
// `project` is "" (Argo CD reads it from the cluster secret's project field; our Clusters have
// none). With `flatList: true` the generator yields one parameter set, `clusters`, the list of
// every matching cluster's parameters (none when no cluster matches).
//
// `server` is the Cluster's spec.server. Argo CD always has one (its cluster secrets require
// it); ours may be reached through eks or a kubeconfig context only, and then `server` is ""
// (generate.ts refuses an Application whose destination.server renders empty, pointing at
// `destination.name: '{{name}}'`, which finds every registered Cluster).
import type { ClusterSpec } from '../../config/types.ts';
import { sanitizeName } from '../params.ts';
import { matchesSelector } from '../selector.ts';
import type { Params } from '../types.ts';
import { withTemplatedValues, type ClustersGenerator, type GeneratorContext } from './context.ts';

export async function clusterParams(generator: ClustersGenerator, context: GeneratorContext): Promise<Params[]> {
  const clusters = context.clusters
    .filter((cluster) => matchesSelector(generator.selector, cluster.labels))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const paramSets = await withTemplatedValues(
    clusters.map((cluster) => clusterParamSet(cluster, context.set.goTemplate)),
    generator.values,
    context,
  );
  if (generator.flatList) return paramSets.length > 0 ? [{ clusters: paramSets }] : [];
  return paramSets;
}

function clusterParamSet(cluster: ClusterSpec, goTemplate: boolean): Params {
  const params: Params = { name: cluster.name, nameNormalized: sanitizeName(cluster.name), server: cluster.server ?? '', project: '' };
  const labels = cluster.labels;
  const annotations = cluster.annotations ?? {};
  if (goTemplate) {
    const metadata: Params = {};
    if (Object.keys(annotations).length > 0) metadata.annotations = { ...annotations };
    if (Object.keys(labels).length > 0) metadata.labels = { ...labels };
    params.metadata = metadata;
  } else {
    for (const [key, value] of Object.entries(annotations)) params[`metadata.annotations.${key}`] = value;
    for (const [key, value] of Object.entries(labels)) params[`metadata.labels.${key}`] = value;
  }
  return params;
}
