// ApplicationSets in the stored registry (dynalite): one item per set, as for apps, clusters and
// projects (DESIGN: "one DynamoDB item per app, cluster, project and ApplicationSet"); a set too
// large for one item is refused naming the set and its file, with nothing written; the push
// index keeps what a push needs of a generated app (its set and labels).
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expandApplicationSets } from '../../shared/appset/expand.ts';
import type { Registry } from '../../shared/config/types.ts';
import { REGISTRY_PK } from '../../shared/state/keys.ts';
import { forgetCachedRegistries } from '../../shared/state/registry.ts';
import { RegistryItemTooLargeError } from '../../shared/state/errors.ts';
import { registryOf } from '../config/registry-files.ts';
import { startStateTable, type StateTable } from '../state/table.ts';
import { noGit } from './registry-support.ts';

function setYaml(name: string, elements: string[], extra = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${name}
spec:
  generators:
    - list:
        elements:
${elements.map((element) => `          - cluster: ${element}\n            note: '${extra}'`).join('\n')}
  template:
    metadata:
      name: '${name}-{{cluster}}'
      labels:
        env: '{{cluster}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/acme/${name}
        targetRevision: main
        path: deploy
      destination:
        name: '{{cluster}}'
        namespace: ${name}
`;
}

async function registryWith(files: Record<string, string>): Promise<Registry> {
  return expandApplicationSets(registryOf(files), { git: noGit() });
}

async function itemKeys(table: StateTable): Promise<string[]> {
  const doc = DynamoDBDocumentClient.from(table.client);
  const keys: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: startKey }));
    keys.push(...(page.Items ?? []).filter((item) => item.pk === REGISTRY_PK).map((item) => String(item.sk)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return keys.sort();
}

describe('ApplicationSets in the stored registry', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await startStateTable();
  });
  afterAll(() => table.stop());
  beforeEach(() => forgetCachedRegistries());

  it('one item per set; the registry comes back as it went in', async () => {
    const store = table.store();
    const registry = await registryWith({
      'driftless/shop.yaml': setYaml('shop', ['dev', 'prod-eu']),
      'driftless/blog.yaml': setYaml('blog', ['dev']),
    });
    await store.putRegistry(registry, 'a'.repeat(40));
    const sets = (await itemKeys(table)).filter((key) => key.startsWith('ITEM#e#applicationSets#')).map((key) => key.replace(/#\d{12}$/, ''));
    expect(sets).toEqual(['ITEM#e#applicationSets#blog', 'ITEM#e#applicationSets#shop']);
    forgetCachedRegistries();
    const read = await table.store().getRegistry();
    expect(read?.registry).toEqual(registry);
    expect(read?.registry.applicationSets?.map((set) => set.name)).toEqual(['blog', 'shop']);
  });

  it("the push index keeps a generated app's set and labels", async () => {
    const store = table.store();
    await store.putRegistry(await registryWith({ 'driftless/shop.yaml': setYaml('shop', ['dev', 'prod-eu']) }), 'b'.repeat(40));
    forgetCachedRegistries();
    const index = await table.store().getPushIndex('https://github.com/acme/shop', 'main');
    expect(index?.apps.map((app) => [app.name, app.applicationSet, app.labels])).toEqual([
      ['shop-dev', 'shop', { env: 'dev' }],
      ['shop-prod-eu', 'shop', { env: 'prod-eu' }],
    ]);
  });

  it('a set too large for one item is refused naming the set and its file, nothing written', async () => {
    const store = table.store();
    const before = await itemKeys(table);
    const big = await registryWith({ 'driftless/huge.yaml': setYaml('huge', ['dev'], 'x'.repeat(400 * 1024)) });
    const refused = await store.putRegistry(big, 'c'.repeat(40)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RegistryItemTooLargeError);
    expect((refused as Error).message).toMatch(
      /^ApplicationSet huge \(driftless\/huge\.yaml\) is \d+ bytes as stored, more than the \d+ bytes one DynamoDB item can hold; nothing was stored/,
    );
    expect(await itemKeys(table)).toEqual(before);
  });
});
