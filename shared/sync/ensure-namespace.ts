// Ensure namespace: Argo CD's CreateNamespace=true. The destination namespace is created
// before anything else when it does not exist, and the change set says so (Argo CD lists it
// as a PreSync task; gitops-engine's autoCreateNamespace). An existing one is left as it is,
// unless the app sets managedNamespaceMetadata: then, as Argo CD's syncNamespace does, its
// labels and annotations are applied to the namespace, new or not (server-side, so labels
// others set stay), and a namespace another app tracks is refused. When the app renders that
// Namespace itself, its manifest wins and managedNamespaceMetadata is not used (Argo CD docs).
import { applyWave, foreignOwner } from '../kube/apply.ts';
import type { KubeClient } from '../kube/client.ts';
import { compareObjects } from '../kube/compare.ts';
import type { Discovery } from '../kube/discovery.ts';
import type { KubeObject } from '../kube/object.ts';
import { refChange, type ObjectChange } from './changeset.ts';
import { namespaceRef } from './live-state.ts';

export interface NamespaceContext {
  client: KubeClient;
  discovery: Discovery;
  dryRun: boolean;
}

export interface NamespaceMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** What ensureNamespace will write: the namespace, and whether it exists already. */
export interface NamespaceWrite {
  object: KubeObject;
  live?: KubeObject;
}

/**
 * The namespace write CreateNamespace (with managedNamespaceMetadata) calls for, or undefined
 * when there is nothing to write: decided before the first write, so the project can check it.
 */
export function namespaceWrite(
  name: string | undefined,
  live: KubeObject | undefined,
  metadata: NamespaceMetadata | undefined,
  rendersIt: boolean,
): NamespaceWrite | undefined {
  if (!name) return undefined;
  const managed = rendersIt ? undefined : metadata;
  const object: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...pick(managed) } };
  if (!live) return { object };
  if (!managed || (compareObjects(object, live).length === 0 && !foreignOwner(object, live))) return undefined;
  return { object, live };
}

/** The change for the namespace, or undefined when there was nothing to write. */
export async function ensureNamespace(context: NamespaceContext, write: NamespaceWrite | undefined): Promise<ObjectChange | undefined> {
  if (!write) return undefined;
  const name = write.object.metadata.name ?? '';
  const owner = write.live && foreignOwner(write.object, write.live);
  if (owner) return refChange(namespaceRef(name), { phase: 'PreSync', action: 'failed', message: `managedNamespaceMetadata: namespace ${name} is ${owner}` });
  const [outcome] = await applyWave(context.client, context.discovery, [{ desired: write.object, live: write.live, unchangedInGit: false }], {
    dryRun: context.dryRun,
  });
  return refChange(namespaceRef(name), {
    phase: 'PreSync',
    action: outcome.action,
    message: outcome.error,
    durationMs: outcome.durationMs,
  });
}

function pick(metadata: NamespaceMetadata | undefined): NamespaceMetadata {
  const picked: NamespaceMetadata = {};
  if (metadata?.labels && Object.keys(metadata.labels).length > 0) picked.labels = metadata.labels;
  if (metadata?.annotations && Object.keys(metadata.annotations).length > 0) picked.annotations = metadata.annotations;
  return picked;
}
