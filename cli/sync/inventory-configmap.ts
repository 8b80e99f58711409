// The CLI's inventory store: a ConfigMap `driftless-inventory-<app>` in a namespace of the
// target cluster, so that `driftless sync --prune` from any machine finds the same state.
import type { Inventory, InventoryStore } from '../../shared/sync/inventory.ts';
import { FIELD_MANAGER } from '../../shared/kube/apply.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { isNotFound } from '../../shared/kube/errors.ts';
import type { KubeObject } from '../../shared/kube/object.ts';

export class ConfigMapInventoryStore implements InventoryStore {
  readonly #client: KubeClient;
  readonly #namespace: string;

  constructor(client: KubeClient, namespace: string) {
    this.#client = client;
    this.#namespace = namespace;
  }

  async load(app: string): Promise<Inventory | undefined> {
    try {
      const map = await this.#client.get<KubeObject & { data?: Record<string, string> }>(this.#path(app));
      return map.data?.inventory ? (JSON.parse(map.data.inventory) as Inventory) : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async save(inventory: Inventory): Promise<void> {
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: configMapName(inventory.app),
        namespace: this.#namespace,
        labels: { 'app.kubernetes.io/managed-by': 'driftless', 'driftless.io/inventory': 'true' },
      },
      data: { inventory: JSON.stringify(inventory) },
    };
    await this.#client.request({
      method: 'PATCH',
      path: this.#path(inventory.app),
      query: { fieldManager: FIELD_MANAGER, force: 'true' },
      body: JSON.stringify(body),
      contentType: 'application/apply-patch+yaml',
    });
  }

  #path(app: string): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.#namespace)}/configmaps/${configMapName(app)}`;
  }
}

export function configMapName(app: string): string {
  return `driftless-inventory-${app}`;
}
