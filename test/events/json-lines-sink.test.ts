import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonLinesSink } from '../../shared/events/json-lines-sink.ts';

describe('JsonLinesSink', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'driftless-events-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('appends one JSON line per event and a short line to the stream', async () => {
    const file = join(dir, 'nested', 'events.jsonl');
    const stream = new PassThrough();
    const sink = new JsonLinesSink({ file, stream });
    const time = new Date('2025-06-01T12:00:00.000Z');
    await sink.emit([
      { detailType: 'Sync Started', detail: { app: 'shop', cluster: 'local', revision: '3f786850e387550f', summary: 'syncing 3 objects' }, time },
    ]);
    await sink.emit([{ detailType: 'Drift Resolved', detail: { app: 'shop', cluster: 'local', summary: 'in sync again' }, time }]);

    const lines = (await readFile(file, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {
        time: '2025-06-01T12:00:00.000Z',
        source: 'driftless',
        detailType: 'Sync Started',
        detail: { app: 'shop', cluster: 'local', revision: '3f786850e387550f', summary: 'syncing 3 objects' },
      },
      {
        time: '2025-06-01T12:00:00.000Z',
        source: 'driftless',
        detailType: 'Drift Resolved',
        detail: { app: 'shop', cluster: 'local', summary: 'in sync again' },
      },
    ]);
    expect(String(stream.read())).toBe('[Sync Started] shop@local 3f78685: syncing 3 objects\n[Drift Resolved] shop@local: in sync again\n');
  });

  it('writes only allowed detail fields and cuts long summaries', async () => {
    const file = join(dir, 'stripped.jsonl');
    const sink = new JsonLinesSink({ file });
    const detail = { app: 'shop', cluster: 'local', summary: 'x'.repeat(5000), kubeconfig: 'apiVersion: v1\nusers: [token: abc]' };
    await sink.emit([{ detailType: 'Health Degraded', detail }]);
    const [line] = (await readFile(file, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((text) => JSON.parse(text));
    expect(Object.keys(line.detail).sort()).toEqual(['app', 'cluster', 'summary']);
    expect(line.detail.summary.length).toBe(1000);
  });

  it('makes the folder again when it has been removed since the last line', async () => {
    const folder = join(dir, 'removed');
    const file = join(folder, 'events.jsonl');
    const sink = new JsonLinesSink({ file });
    await sink.emit([{ detailType: 'Sync Started', detail: { app: 'shop', cluster: 'local', summary: 'first' } }]);
    await rm(folder, { recursive: true });
    await sink.emit([{ detailType: 'Sync Succeeded', detail: { app: 'shop', cluster: 'local', summary: 'second' } }]);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line).detail.summary)).toEqual(['second']);
  });
});
