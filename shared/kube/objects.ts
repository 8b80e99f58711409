// Single-object writes other than apply: creating generateName hooks, deleting hooks, and
// waiting for a deletion to finish.
import type { KubeClient } from './client.ts';
import { resourcePath, type Discovery } from './discovery.ts';
import { isNotFound } from './errors.ts';
import { getObject } from './live.ts';
import type { KubeObject } from './object.ts';

export async function createObject(client: KubeClient, discovery: Discovery, object: KubeObject, fieldManager: string): Promise<KubeObject> {
  const info = await discovery.resolve(object.apiVersion, object.kind);
  return client.request<KubeObject>({
    method: 'POST',
    path: resourcePath(info, object.metadata.namespace),
    query: { fieldManager },
    body: JSON.stringify(object),
  });
}

/** Deletes and returns true, or false when it was already gone. */
export async function deleteObject(client: KubeClient, discovery: Discovery, object: KubeObject): Promise<boolean> {
  const info = await discovery.resolve(object.apiVersion, object.kind);
  try {
    await client.request({
      method: 'DELETE',
      path: resourcePath(info, object.metadata.namespace, object.metadata.name),
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
    });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Polls until the object is gone (finalizers done) or the deadline passes; true when gone. */
export async function waitDeleted(client: KubeClient, discovery: Discovery, object: KubeObject, deadline: number): Promise<boolean> {
  const info = await discovery.resolve(object.apiVersion, object.kind);
  let pause = 100;
  for (;;) {
    const live = await getObject(client, info, object.metadata.namespace, object.metadata.name ?? '');
    if (!live) return true;
    if (Date.now() + pause > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 1_000);
  }
}
