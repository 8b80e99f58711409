// The table's schema version: one `META#schema` item holding the number of the last migration
// applied, and the list of migrations by version. A worker runs the ones past the stored
// version once per cold start; each step is recorded with a conditional write, so two cold
// starts racing apply a step at most twice (migrations are additive and idempotent) and the
// version only ever moves forward by one. A worker older than the table (a rolled-back
// release) leaves it alone: additive changes keep old code working.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { StateError } from './errors.ts';
import type { ItemKey } from './keys.ts';
import { recordLegacyLeaseWindow } from './legacy-lease.ts';
import { conditional, openTable, type Table } from './table.ts';

export const SCHEMA_KEY: ItemKey = { pk: 'META#schema', sk: 'SCHEMA' };

export interface Migration {
  /** 1, 2, 3, … in order, no gaps. */
  readonly version: number;
  readonly description: string;
  /** Additive only (new attributes or items, never a rename or removal), and safe to run twice. `from`: the version the table was at. */
  run(table: Table, context: { from: number }): Promise<void>;
}

/** The migrations of this release. Append; never edit or remove a published one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'schema version recorded; history items written from now on carry expiresAt (TTL), older ones age out by trimming',
    run: async () => {},
  },
  {
    version: 2,
    description:
      "a target's sync lease moves onto its STATE item and its history is keyed by a counter; lease items are honoured beside it for 17 minutes (legacy-lease.ts)",
    // Only a table an older release's workers used (version 1) can have one of theirs still running.
    run: async (table, { from }) => {
      if (from >= 1) await recordLegacyLeaseWindow(table);
    },
  },
];

/** The table as the migrations see it, for a caller that has a client and a name. */
export function schemaTable(client: DynamoDBClient, name: string, now: () => number = Date.now): Table {
  return openTable(client, name, now);
}

export interface MigrationResult {
  /** The version found (0: no schema item yet). */
  from: number;
  /** The version the table is at afterwards. */
  to: number;
  /** Versions this call ran (another worker may have run some of the others). */
  applied: number[];
  /** The table is at a version newer than this code knows: nothing was run. */
  newer: boolean;
}

export async function readSchemaVersion(table: Table): Promise<number> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: SCHEMA_KEY, ConsistentRead: true }));
  const version = Item?.version ?? 0;
  if (!Number.isInteger(version) || version < 0)
    throw new StateError(`${table.name} ${SCHEMA_KEY.pk}: version is not a whole number; fix the item by hand (the last migration applied)`);
  return version as number;
}

export async function migrate(table: Table, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationResult> {
  checkOrder(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const from = await readSchemaVersion(table);
  if (from >= latest) return { from, to: from, applied: [], newer: from > latest };
  let current = from;
  const applied: number[] = [];
  for (const migration of migrations.filter((candidate) => candidate.version > from)) {
    if (migration.version <= current) continue;
    await migration.run(table, { from });
    applied.push(migration.version);
    const recorded = await conditional(
      table.doc.send(
        new PutCommand({
          TableName: table.name,
          Item: { ...SCHEMA_KEY, version: migration.version, description: migration.description, migratedAt: new Date(table.now()).toISOString() },
          // From exactly the version this step follows: a racing worker's step wins once.
          ConditionExpression: current === 0 ? 'attribute_not_exists(pk)' : 'version = :previous',
          ExpressionAttributeValues: current === 0 ? undefined : { ':previous': current },
        }),
      ),
    );
    // Someone else moved it on meanwhile: go on from where they are.
    current = recorded ? migration.version : await readSchemaVersion(table);
  }
  return { from, to: current, applied, newer: false };
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new StateError(`migration "${migration.description}" has version ${migration.version}, expected ${index + 1}: versions run 1, 2, 3 … without gaps`);
  });
}
