// The schema-version item and its migrations, against dynalite (local mode's DynamoDB).
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, readSchemaVersion, SCHEMA_KEY, schemaTable, type Migration } from '../../shared/state/schema.ts';
import type { Table } from '../../shared/state/table.ts';
import { startStateTable, type StateTable } from './table.ts';

let state: StateTable;
let table: Table;
beforeAll(async () => {
  state = await startStateTable();
  table = schemaTable(state.client, state.tableName, () => state.clock.now);
});
afterAll(() => state?.stop());

const fresh = async (): Promise<Table> => {
  // Each test its own item: the key is fixed, so start from a table without it.
  await table.doc.send(new DeleteCommand({ TableName: table.name, Key: SCHEMA_KEY }));
  return table;
};

const counting = (versions: number[]) => {
  const runs: number[] = [];
  const migrations: Migration[] = versions.map((version) => ({ version, description: `step ${version}`, run: async () => void runs.push(version) }));
  return { runs, migrations };
};

describe('schema migrations', () => {
  it('runs every migration once on a table without a schema item and records the last version', async () => {
    await fresh();
    const { runs, migrations } = counting([1, 2, 3]);
    expect(await migrate(table, migrations)).toEqual({ from: 0, to: 3, applied: [1, 2, 3], newer: false });
    expect(runs).toEqual([1, 2, 3]);
    const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: { pk: 'META#schema', sk: 'SCHEMA' } }));
    expect(Item).toMatchObject({ version: 3, description: 'step 3', migratedAt: '2025-06-01T12:00:00.000Z' });

    // The next cold start finds nothing to do.
    expect(await migrate(table, migrations)).toEqual({ from: 3, to: 3, applied: [], newer: false });
    expect(runs).toEqual([1, 2, 3]);
  });

  it('runs only the migrations past the stored version', async () => {
    await fresh();
    await migrate(table, counting([1]).migrations);
    const { runs, migrations } = counting([1, 2, 3]);
    expect(await migrate(table, migrations)).toEqual({ from: 1, to: 3, applied: [2, 3], newer: false });
    expect(runs).toEqual([2, 3]);
  });

  it('leaves a table newer than the code alone (a rolled-back worker)', async () => {
    await fresh();
    await migrate(table, counting([1, 2]).migrations);
    const { runs, migrations } = counting([1]);
    expect(await migrate(table, migrations)).toEqual({ from: 2, to: 2, applied: [], newer: true });
    expect(runs).toEqual([]);
    expect(await readSchemaVersion(table)).toBe(2);
  });

  it('moves the version once when two cold starts race: the conditional write lets one step win', async () => {
    await fresh();
    const { migrations } = counting([1, 2]);
    const results = await Promise.all([migrate(table, migrations), migrate(table, migrations)]);
    expect(results.map((result) => result.to)).toEqual([2, 2]);
    expect(await readSchemaVersion(table)).toBe(2);
  });

  it('refuses a list with a gap or out of order, naming the migration', async () => {
    await fresh();
    await expect(migrate(table, counting([1, 3]).migrations)).rejects.toThrow(/migration "step 3" has version 3, expected 2/);
    expect(await readSchemaVersion(table)).toBe(0);
  });

  it('ships migrations numbered from 1', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
    expect(MIGRATIONS.length).toBeGreaterThan(0);
  });
});
