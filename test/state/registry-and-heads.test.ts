import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from '../../shared/config/types.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { startStateTable, type StateTable } from './table.ts';

describe('registry and repository heads', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await startStateTable();
  });
  afterAll(() => table.stop());

  it('stores the registry as opaque JSON with the config commit it came from', async () => {
    const store = table.store();
    expect(await store.getRegistry()).toBeUndefined();
    // The store does not look inside: a partial registry comes back as it went in.
    const registry = {
      apps: [{ name: 'shop', source: { repoURL: 'https://github.com/acme/apps', path: 'shop' } }],
      clusters: [{ name: 'prod' }],
    } as unknown as Registry;
    await store.putRegistry(registry, 'c'.repeat(40));
    expect(await store.getRegistry()).toEqual({ registry, revision: 'c'.repeat(40), updatedAt: '2025-06-01T12:00:00.000Z' });
    await store.putRegistry({ apps: [], clusters: [], projects: [] }, 'd'.repeat(40));
    expect(await store.getRegistry()).toMatchObject({ registry: { apps: [] }, revision: 'd'.repeat(40) });
  });

  it('refuses an app larger than one DynamoDB item (400 KB) as bad input naming it and its file, storing nothing, instead of a retried ValidationException', async () => {
    const store = table.store();
    await store.putRegistry({ apps: [], clusters: [], projects: [] }, 'e'.repeat(40));
    // A thousand apps fit now (one item each); one app of 400 KB of inline values does not.
    const apps = Array.from({ length: 1000 }, (_, index) => ({
      name: `app-${index}`,
      source: { repoURL: 'https://github.com/acme/apps', path: `apps/app-${index}/${'x'.repeat(400)}` },
      definedIn: { file: `driftless/app-${index}.yaml` },
    }));
    apps[500].source.path = 'y'.repeat(400 * 1024);
    const error = await store.putRegistry({ apps, clusters: [], projects: [] } as unknown as Registry, 'f'.repeat(40)).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error?.message).toMatch(
      /^app app-500 \(driftless\/app-500\.yaml\) is \d+ bytes as stored, more than the 399360 bytes one DynamoDB item can hold; nothing was stored/,
    );
    expect(isBadInput(error)).toBe(true);
    expect(await store.getRegistry()).toMatchObject({ revision: 'e'.repeat(40), registry: { apps: [] } });
  });

  it('remembers the last sha per repository and branch', async () => {
    const store = table.store();
    await store.putHead('https://github.com/acme/apps', 'main', 'a'.repeat(40));
    await store.putHead('https://github.com/acme/apps', 'release', 'b'.repeat(40));
    await store.putHead('https://github.com/acme/apps', 'main', 'c'.repeat(40));
    expect(await store.getHead('https://github.com/acme/apps', 'main')).toMatchObject({ sha: 'c'.repeat(40) });
    expect(await store.getHead('https://github.com/acme/apps', 'release')).toMatchObject({ sha: 'b'.repeat(40) });
    expect(await store.getHead('https://github.com/acme/other', 'main')).toBeUndefined();
  });
});
