// The registry (apps, clusters, projects read from the config repo) as one item: the JSON
// config/ validated when it loaded the registry, and the commit it came from. This is the one
// place it is read back, and the one place it is typed: nothing else writes the item. One
// item holds up to 400 KB, hundreds of applications.
// Every write bumps `version`, so a writer that read the registry can write it back only if
// nobody wrote it meanwhile (an app of apps' children against a config refresh).
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Registry } from '../config/types.ts';
import { CorruptItemError, RegistryTooLargeError } from './errors.ts';
import { REGISTRY_KEY } from './keys.ts';
import { conditional, type Table } from './table.ts';
import type { RegistryRecord } from './types.ts';

export async function getRegistry(table: Table): Promise<RegistryRecord | undefined> {
  return (await getVersionedRegistry(table)).record;
}

/** The registry with the version a conditional write must name (0: no registry yet, or one written before versions). */
export async function getVersionedRegistry(table: Table): Promise<{ record?: RegistryRecord; version: number }> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: REGISTRY_KEY, ConsistentRead: true }));
  if (!Item) return { version: 0 };
  const version = typeof Item.version === 'number' ? Item.version : 0;
  let registry: Registry;
  try {
    registry = JSON.parse(String(Item.registry)) as Registry;
  } catch (error) {
    throw new CorruptItemError(REGISTRY_KEY.pk, 'registry is not JSON', { cause: error });
  }
  return { record: { registry, revision: String(Item.revision), updatedAt: String(Item.updatedAt) }, version };
}

export async function putRegistry(table: Table, registry: Registry, revision: string): Promise<void> {
  await table.doc.send(new UpdateCommand(registryWrite(table, registry, revision)));
}

/** Writes only when the stored version is still `version`; false when someone wrote it since. */
export async function putRegistryIf(table: Table, registry: Registry, revision: string, version: number): Promise<boolean> {
  const write = registryWrite(table, registry, revision);
  const condition =
    version === 0
      ? { ConditionExpression: 'attribute_not_exists(#version)' }
      : { ConditionExpression: '#version = :version', ExpressionAttributeValues: { ...write.ExpressionAttributeValues, ':version': version } };
  return conditional(table.doc.send(new UpdateCommand({ ...write, ...condition })));
}

/**
 * DynamoDB's item limit is 400 KB, attribute names and the other attributes included; the
 * registry's JSON must leave room for them. Checked before the write, so an oversized registry is
 * refused with its size (DynamoDB's own ValidationException would be retried as if transient).
 */
export const MAX_REGISTRY_BYTES = 390 * 1024;

function registryWrite(table: Table, registry: Registry, revision: string) {
  const json = JSON.stringify(registry);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_REGISTRY_BYTES) throw new RegistryTooLargeError(registry.apps.length, bytes, MAX_REGISTRY_BYTES);
  return {
    TableName: table.name,
    Key: REGISTRY_KEY,
    UpdateExpression: 'SET #registry = :registry, #revision = :revision, #updatedAt = :updatedAt ADD #version :one',
    ExpressionAttributeNames: { '#registry': 'registry', '#revision': 'revision', '#updatedAt': 'updatedAt', '#version': 'version' },
    ExpressionAttributeValues: {
      ':registry': json,
      ':revision': revision,
      ':updatedAt': new Date(table.now()).toISOString(),
      ':one': 1,
    } as Record<string, unknown>,
  };
}
