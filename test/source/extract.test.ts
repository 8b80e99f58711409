import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Header } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceTooLargeError, UnsafeArchiveError } from '../../shared/source/errors.ts';
import { extractTar } from '../../shared/source/extract.ts';

// Archives written block by block, so they can hold what git never produces.
function entry(path: string, content = '', type: 'File' | 'SymbolicLink' = 'File', linkpath?: string): Buffer {
  const data = Buffer.from(content);
  const header = Buffer.alloc(512);
  new Header({ path, mode: 0o644, size: type === 'File' ? data.length : 0, type, linkpath, mtime: new Date(0) }).encode(header, 0);
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header, type === 'File' ? padded : Buffer.alloc(0)]);
}

function archive(...entries: Buffer[]): Buffer {
  return Buffer.concat([...entries, Buffer.alloc(1024)]);
}

let parent: string;
let dir: string;

beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'driftless-extract-'));
  dir = join(parent, 'tree');
  await mkdir(dir);
});

afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe('extractTar', () => {
  it('unpacks a plain archive, dropping the top folder when asked', async () => {
    await extractTar(Readable.from([archive(entry('top/a.yaml', 'a: 1\n'), entry('top/sub/b.yaml', 'b: 2\n'))]), dir, {
      strip: 1,
      maxBytes: 1 << 20,
      what: 'test',
    });
    expect((await readdir(dir, { recursive: true })).sort()).toEqual(['a.yaml', 'sub', 'sub/b.yaml']);
  });

  it("leaves files the time they were written, not the archive's (no futimes per file)", async () => {
    const before = Date.now() - 1_000;
    // entry() stamps every header with the epoch.
    await extractTar(Readable.from([archive(entry('top/a.yaml', 'a: 1\n'))]), dir, { strip: 1, maxBytes: 1 << 20, what: 'test' });
    expect((await stat(join(dir, 'a.yaml'))).mtimeMs).toBeGreaterThanOrEqual(before);
  });

  it('lets the event loop turn while one large buffer unpacks (a stored copy comes whole)', async () => {
    // 2,000 small files: about 2 MB of archive in a single chunk.
    const whole = archive(...Array.from({ length: 2_000 }, (_, index) => entry(`top/${index}.yaml`, `n: ${index}\n`)));
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    await extractTar(Readable.from([whole]), dir, { strip: 1, maxBytes: 1 << 30, what: 'test' });
    counting = false;
    expect((await readdir(dir)).length).toBe(2_000);
    // Unpacked in slices of 64 KiB at most, one turn after each: a worker's timers and sockets are served meanwhile.
    expect(turns).toBeGreaterThanOrEqual(Math.floor(whole.length / (64 * 1024)));
  });

  it('refuses an entry that climbs out of the folder', async () => {
    const bad = archive(entry('top/ok.yaml', 'ok'), entry('top/../../escaped.txt', 'gotcha'));
    await expect(extractTar(Readable.from([bad]), dir, { strip: 1, maxBytes: 1 << 20, what: 'test' })).rejects.toThrow(UnsafeArchiveError);
    expect(await readdir(parent)).toEqual(['tree']);
  });

  it('refuses a symbolic link pointing outside the folder', async () => {
    const bad = archive(entry('top/link', '', 'SymbolicLink', '../../../etc/passwd'));
    await expect(extractTar(Readable.from([bad]), dir, { strip: 1, maxBytes: 1 << 20, what: 'test' })).rejects.toThrow(/unsafe entry/);
  });

  it('stops a download that passes the bound even when its content is small', async () => {
    // Valid archive, then a long tail: only the byte count of the stream can catch it.
    const chunks = [archive(entry('top/a.yaml', 'a')), ...Array.from({ length: 64 }, () => Buffer.alloc(16 * 1024))];
    await expect(extractTar(Readable.from(chunks), dir, { strip: 1, maxBytes: 256 * 1024, what: 'acme/shop@abc' })).rejects.toThrow(
      new SourceTooLargeError('archive of acme/shop@abc', 256 * 1024),
    );
  });

  it('says a broken archive is one', async () => {
    const garbage = Buffer.alloc(4096, 0x41);
    await expect(extractTar(Readable.from([garbage]), dir, { maxBytes: 1 << 20, what: 'test' })).rejects.toThrow(UnsafeArchiveError);
  });
});
