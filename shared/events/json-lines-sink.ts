// EventSink for local mode: every event as one JSON line appended to a file (the same fields
// EventBridge would carry), and a short human line on a stream such as the dev server's stdout.
import { appendFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { cleanEvents, EVENT_SOURCE, eventTarget, type CleanEvent, type DriftlessEvent } from './event.ts';
import type { EventSink } from './sink.ts';

export interface JsonLinesSinkOptions {
  file: string;
  stream?: NodeJS.WritableStream;
  source?: string;
}

export class JsonLinesSink implements EventSink {
  private readonly file: string;
  private readonly stream?: NodeJS.WritableStream;
  private readonly source: string;
  /** The file's folder is made once, not before every line; made again if it has gone since. */
  private folderMade = false;

  constructor(options: JsonLinesSinkOptions) {
    this.file = options.file;
    this.stream = options.stream;
    this.source = options.source ?? EVENT_SOURCE;
  }

  async emit(events: DriftlessEvent[]): Promise<void> {
    const clean = cleanEvents(events);
    if (clean.length === 0) return;
    const lines = clean.map((event) =>
      JSON.stringify({ time: event.time.toISOString(), source: this.source, detailType: event.detailType, detail: event.detail }),
    );
    await this.append(`${lines.join('\n')}\n`);
    for (const event of clean) this.stream?.write(`${shortLine(event)}\n`);
  }

  /**
   * Synchronous: one small append to a local file costs microseconds, a fifth of the thread
   * pool's open, write and close (local mode appends two lines per sync).
   */
  private async append(text: string): Promise<void> {
    if (this.folderMade) {
      try {
        appendFileSync(this.file, text);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    await mkdir(dirname(this.file), { recursive: true });
    this.folderMade = true;
    appendFileSync(this.file, text);
  }
}

function shortLine(event: CleanEvent): string {
  // What a destination would receive, as `notify on-deployed web@local → slack:deploys: ...`.
  if (event.detailType === 'Notification') {
    const to = event.detail.recipient ? `${event.detail.destination}:${event.detail.recipient}` : event.detail.destination;
    return `notify ${event.detail.trigger} ${eventTarget(event.detail)} → ${to}: ${event.detail.summary}`;
  }
  const revision = event.detail.revision ? ` ${event.detail.revision.slice(0, 7)}` : '';
  return `[${event.detailType}] ${eventTarget(event.detail)}${revision}: ${event.detail.summary}`;
}
