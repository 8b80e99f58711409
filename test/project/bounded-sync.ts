// Render a folder and sync it as the worker does, bounded by a project on the sandbox cluster.
import { parseRegistryFiles } from '../../shared/config/load.ts';
import type { ProjectSpec } from '../../shared/config/types.ts';
import { render } from '../../shared/render/render.ts';
import type { ChangeSet } from '../../shared/sync/changeset.ts';
import type { Inventory } from '../../shared/sync/inventory.ts';
import { sync, type SyncRunOptions } from '../../shared/sync/sync.ts';
import type { TestCluster } from '../support/cluster.ts';

export const SANDBOX = { name: 'sandbox' };

export interface BoundedSync {
  project: ProjectSpec;
  previous?: Inventory;
  options?: SyncRunOptions;
  namespace?: string;
}

export async function syncInProject(cluster: TestCluster, app: string, root: string, bounded: BoundedSync): Promise<ChangeSet> {
  const namespace = bounded.namespace ?? 'default';
  const rendered = await render({ root, path: '.', appName: app, destinationNamespace: namespace });
  return sync({
    app,
    objects: rendered.objects,
    client: cluster.client,
    discovery: cluster.discovery(),
    previous: bounded.previous,
    project: { project: bounded.project, cluster: SANDBOX },
    options: { timeoutMs: 20_000, ...bounded.options },
  });
}

/** The project a registry document defines, read as the registry reads it. */
export function projectFrom(yaml: string): ProjectSpec {
  const [project] = parseRegistryFiles([{ file: 'driftless/project.yaml', text: yaml }]).projects;
  return project;
}

/** The rejection of a promise, which must reject. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    (value) => {
      throw new Error(`expected a refusal, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as Error,
  );
}
