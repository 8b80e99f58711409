// The registry (apps, clusters, projects read from the config repo) as one item: the JSON
// config/ validated when it loaded the registry, and the commit it came from. This is the one
// place it is read back, and the one place it is typed: nothing else writes the item. One
// item holds up to 400 KB, hundreds of applications.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Registry } from '../config/types.ts';
import { CorruptItemError } from './errors.ts';
import { REGISTRY_KEY } from './keys.ts';
import type { Table } from './table.ts';
import type { RegistryRecord } from './types.ts';

export async function getRegistry(table: Table): Promise<RegistryRecord | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: REGISTRY_KEY, ConsistentRead: true }));
  if (!Item) return undefined;
  let registry: Registry;
  try {
    registry = JSON.parse(String(Item.registry)) as Registry;
  } catch (error) {
    throw new CorruptItemError(REGISTRY_KEY.pk, 'registry is not JSON', { cause: error });
  }
  return { registry, revision: String(Item.revision), updatedAt: String(Item.updatedAt) };
}

export async function putRegistry(table: Table, registry: Registry, revision: string): Promise<void> {
  const item = { ...REGISTRY_KEY, registry: JSON.stringify(registry), revision, updatedAt: new Date(table.now()).toISOString() };
  await table.doc.send(new PutCommand({ TableName: table.name, Item: item }));
}
