// The CLI's parse cache answers exactly what the parser answers: the same documents, lines and
// value types (YAML 1.1's !!binary, !!set and !!omap included) in a later process, nothing for
// an edited text, a syntax error or a tool's output, and nothing at all when turned off.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../local/sandbox/index.ts';
import { diskParseCache } from '../../cli/parse-cache.ts';
import { parseYamlStream, parseYamlStreamUntilError, useParseCache, type ParseCache } from '../../shared/render/parse.ts';

/** A stream past the cache's size floor: many ConfigMaps, then values of every special YAML 1.1 type. */
function bigStream(color = 'blue'): string {
  const maps = Array.from({ length: 120 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c-${i} }\ndata: { color: ${color}, mode: "0644" }\n`);
  const special = [
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: bin\ndata:\n  raw: !!binary aGVsbG8=\n',
    'apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: typed\nspec:\n  set: !!set { a, b }\n  ordered: !!omap [ { x: 1 }, { y: 2 } ]\n  octal: 0644\n  enabled: yes\n  when: 2024-01-01\n',
  ];
  return [...maps, ...special].join('---\n');
}

const counting = (cache: ParseCache) => {
  const counts = { hits: 0, stores: 0 };
  return {
    counts,
    cache: {
      get(text: string) {
        const found = cache.get(text);
        if (found) counts.hits++;
        return found;
      },
      set(text: string, documents: Parameters<ParseCache['set']>[1]) {
        counts.stores++;
        cache.set(text, documents);
      },
    } satisfies ParseCache,
  };
};

afterEach(() => useParseCache(undefined));

describe('the CLI parse cache', () => {
  it('a later process gets what the parser gave, value types and lines included', async () => {
    const home = await mkdtemp(join(tmpdir(), 'parse-cache-'));
    const text = bigStream();
    const parsed = parseYamlStreamUntilError(text, 'app/all.yaml');
    expect(parsed.error).toBeUndefined();
    const first = counting(diskParseCache({ XDG_CACHE_HOME: home }) as ParseCache);
    useParseCache(first.cache);
    parseYamlStreamUntilError(text, 'app/all.yaml');
    expect(first.counts).toEqual({ hits: 0, stores: 1 });
    // A fresh cache object stands for the next run: only the disk is shared.
    const second = counting(diskParseCache({ XDG_CACHE_HOME: home }) as ParseCache);
    useParseCache(second.cache);
    const again = parseYamlStreamUntilError(text, 'app/all.yaml');
    expect(second.counts.hits).toBe(1);
    expect(again).toStrictEqual(parsed);
    const typed = again.documents.at(-1)?.value as { spec: Record<string, unknown> };
    expect(typed.spec.set).toBeInstanceOf(Set);
    expect(typed.spec.ordered).toBeInstanceOf(Map);
    expect(typed.spec).toMatchObject({ octal: 420, enabled: true, when: '2024-01-01' });
    expect(Buffer.from((again.documents.at(-2)?.value as { data: { raw: Uint8Array } }).data.raw).toString()).toBe('hello');
  });

  it('an edited text is parsed again; a text with a syntax error is never stored', async () => {
    const home = await mkdtemp(join(tmpdir(), 'parse-cache-'));
    const { cache, counts } = counting(diskParseCache({ XDG_CACHE_HOME: home }) as ParseCache);
    useParseCache(cache);
    parseYamlStreamUntilError(bigStream('blue'), 'a.yaml');
    const edited = parseYamlStreamUntilError(bigStream('red'), 'a.yaml');
    expect(counts).toEqual({ hits: 0, stores: 2 });
    expect((edited.documents[0].value as { data: { color: string } }).data.color).toBe('red');
    const broken = `${bigStream()}---\nkind: [unclosed\n`;
    const first = parseYamlStreamUntilError(broken, 'b.yaml');
    const second = parseYamlStreamUntilError(broken, 'b.yaml');
    expect(first.error?.message).toMatch(/b\.yaml/);
    expect(second.error?.message).toBe(first.error?.message);
    expect(counts).toEqual({ hits: 0, stores: 2 });
  });

  it("a tool's output (helm, kustomize: parseYamlStream) is never stored: it may hold values given on a command line", async () => {
    const home = await mkdtemp(join(tmpdir(), 'parse-cache-'));
    const { cache, counts } = counting(diskParseCache({ XDG_CACHE_HOME: home }) as ParseCache);
    useParseCache(cache);
    parseYamlStream(bigStream(), 'chart/templates');
    parseYamlStream(bigStream(), 'chart/templates');
    expect(counts).toEqual({ hits: 0, stores: 0 });
  });

  it('DRIFTLESS_PARSE_CACHE=off turns it off', () => {
    expect(diskParseCache({ DRIFTLESS_PARSE_CACHE: 'off', XDG_CACHE_HOME: tmpdir() })).toBeUndefined();
  });
});

describe('driftless diff with the parse cache', () => {
  let sandbox: Sandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ controllers: false });
    dir = await mkdtemp(join(tmpdir(), 'diff-parse-cache-'));
  });
  afterAll(() => sandbox?.stop());

  it('prints the same diff on a run that reads the cache as on the run that filled it', async () => {
    const app = join(dir, 'app');
    await mkdir(app);
    await writeFile(join(app, 'all.yaml'), bigStream().replace(/---\napiVersion: v1\nkind: Secret[\s\S]*$/, ''));
    const kubeconfig = join(dir, 'kubeconfig');
    await sandbox.writeKubeconfig(kubeconfig);
    const cache = join(dir, 'cache');
    const run = () =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const bin = new URL('../../cli/bin.js', import.meta.url).pathname;
        const args = [bin, 'diff', '-f', app, '--name', 'shop', '--namespace', 'default', '--kubeconfig', kubeconfig];
        execFile(
          process.execPath,
          args,
          { env: { ...process.env, XDG_CACHE_HOME: cache, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
        );
      });
    const filling = await run();
    expect(filling.stderr).toBe('');
    expect(filling.code).toBe(1);
    expect(filling.stdout).toContain('+++ git/ConfigMap/default/c-119');
    expect(await readdir(join(cache, 'driftless', 'parsed'))).toHaveLength(1);
    const reading = await run();
    expect(reading).toEqual(filling);
  });
});
