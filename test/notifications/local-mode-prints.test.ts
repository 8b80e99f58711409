// Local mode: a Notification is printed as what its destination would receive and written to
// the events file like every other event, body included.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JsonLinesSink } from '../../shared/events/json-lines-sink.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftless-notify-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('prints `notify <trigger> <app>@<cluster> → <service>:<recipient>: <text>` and writes the event', async () => {
  const file = join(dir, 'events.jsonl');
  const stream = new PassThrough();
  const text = 'guestbook is now running 3f78685 on local';
  const detail = {
    app: 'guestbook',
    cluster: 'local',
    revision: '3f786850e387550fdab836ed7e6dc881de23001b',
    trigger: 'on-deployed',
    destination: 'slack',
    recipient: '#deploys',
    template: 'app-deployed',
    summary: text,
    text,
    body: { text, channel: '#deploys' },
  };
  await new JsonLinesSink({ file, stream }).emit([
    { detailType: 'Notification', detail },
    { detailType: 'Notification', detail: { ...detail, destination: 'audit', recipient: '' } },
  ]);
  expect(String(stream.read())).toBe(`notify on-deployed guestbook@local → slack:#deploys: ${text}\nnotify on-deployed guestbook@local → audit: ${text}\n`);
  const [line] = (await readFile(file, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((entry) => JSON.parse(entry) as Record<string, unknown>);
  expect(line).toMatchObject({ source: 'driftless', detailType: 'Notification', detail });
});
