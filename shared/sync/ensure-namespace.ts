// Ensure namespace: Argo CD's CreateNamespace=true. The destination namespace is created
// before anything else when it does not exist, and the change set says so (Argo CD lists it
// as a PreSync task; gitops-engine's autoCreateNamespace). An existing one is left as it is.
import { applyWave } from '../kube/apply.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Discovery } from '../kube/discovery.ts';
import type { KubeObject } from '../kube/object.ts';
import { refChange, type ObjectChange } from './changeset.ts';
import { namespaceRef } from './live-state.ts';

export interface NamespaceContext {
  client: KubeClient;
  discovery: Discovery;
  dryRun: boolean;
}

/** The change for the namespace, or undefined when there was nothing to create. */
export async function ensureNamespace(context: NamespaceContext, name: string | undefined, existing: ReadonlySet<string>): Promise<ObjectChange | undefined> {
  if (!name || existing.has(name)) return undefined;
  const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  const [outcome] = await applyWave(context.client, context.discovery, [{ desired: namespace, unchangedInGit: false }], { dryRun: context.dryRun });
  return refChange(namespaceRef(name), {
    phase: 'PreSync',
    action: outcome.action,
    message: outcome.error,
    durationMs: outcome.durationMs,
  });
}
