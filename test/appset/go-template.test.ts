// goTemplate strings evaluated by Go's text/template + Sprig through helm, one process per
// batch. Expected values come from Argo CD's "ApplicationSet Go Template" page (the git
// generator's path parameters, normalize), Sprig's documentation (upper, default) and Go's
// text/template documentation (missingkey, `<no value>`, error shapes as Argo CD wraps them:
// "failed to execute go template <t>: template: :line:col: executing "" at <node>: …").
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GoTemplateOptionError, goTemplateRuns, renderGoTemplates, SPLIT_AT, type GoTemplateRequest } from '../../shared/appset/go-template.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';

// A git directory generator's parameters for apps/guestbook, as Argo CD's docs list them.
const guestbook = {
  path: { path: 'apps/guestbook', basename: 'guestbook', basenameNormalized: 'guestbook', segments: ['apps', 'guestbook'] },
};

async function one(template: string, params: Record<string, unknown>, goTemplateOptions: string[] = []) {
  const [result] = await renderGoTemplates([{ template, params }], { goTemplateOptions });
  return result;
}

describe('Argo CD and Sprig examples', () => {
  it('reads nested parameters, indexes lists and pipes through Sprig functions', async () => {
    const results = await renderGoTemplates(
      [
        { template: '{{.path.basename}}', params: guestbook },
        { template: '{{index .path.segments 1}}', params: guestbook },
        { template: '{{ .name | upper }}', params: { name: 'hello' } },
        { template: '{{ default "foo" .missing }}', params: {} },
        { template: '{{ default "foo" .empty }}', params: { empty: '' } },
        { template: '{{.path.path}}/{{ .path.segments | join "-" }}', params: guestbook },
      ],
      { goTemplateOptions: [] },
    );
    expect(results).toEqual([
      { text: 'guestbook' },
      { text: 'guestbook' },
      { text: 'HELLO' },
      { text: 'foo' },
      { text: 'foo' },
      { text: 'apps/guestbook/apps-guestbook' },
    ]);
  });

  it('prints a number parameter as Go prints a JSON number, and $ is the parameters as . is', async () => {
    expect(await one('{{ .replicas }} {{ $.replicas }} {{ add .replicas 1 }}', { replicas: 3 })).toEqual({ text: '3 3 4' });
    expect(await one('{{ toJson . }}', { b: 1, a: 'x' })).toEqual({ text: '{"a":"x","b":1}' });
  });

  it('keeps every byte of a result: newlines, ---, braces, unicode', async () => {
    const template = 'line one\n---\n{{ "{{" }} {{ .name }}: ünï\n';
    expect(await one(template, { name: 'x' })).toEqual({ text: 'line one\n---\n{{ x: ünï\n' });
  });

  it('returns a string without an action as written, without running helm', async () => {
    const before = goTemplateRuns();
    expect(await renderGoTemplates([{ template: 'default', params: {} }], { goTemplateOptions: [] })).toEqual([{ text: 'default' }]);
    expect(goTemplateRuns()).toBe(before);
  });
});

describe('normalize and slugify', () => {
  it("normalize is Argo CD's SanitizeName: lower case, invalid characters to '-', 253 bytes, '-' and '.' trimmed", async () => {
    const results = await renderGoTemplates(
      [
        { template: '{{ .name | normalize }}', params: { name: 'My_Cluster.Prod' } },
        { template: '{{ normalize .name }}', params: { name: '--Ünï Straße..' } },
        { template: '{{ normalize .name }}', params: { name: `${'a'.repeat(252)}-b` } },
        { template: '{{ (normalize .name) | upper }}', params: { name: 'a b' } },
      ],
      { goTemplateOptions: [] },
    );
    expect(results).toEqual([{ text: 'my-cluster.prod' }, { text: 'n--stra-e' }, { text: 'a'.repeat(252) }, { text: 'A-B' }]);
  });

  it('a field named normalize is a field, not the function', async () => {
    expect(await one('{{ .normalize }}', { normalize: 'Kept_As_Is' })).toEqual({ text: 'Kept_As_Is' });
    expect(await one('{{ "normalize" }}', {})).toEqual({ text: 'normalize' });
  });

  // Argo CD's TestSlugify cases (SlugifyName(length, smartTruncate, branch)) and its docs' usage.
  it("slugify is Argo CD's SlugifyName: normalize, then gosimple/slug with smart truncation", async () => {
    const long = 'feat/a_really+long_pull_request_name_to_test_argo_slugification_and_branch_name_shortening_feature';
    const oneWord = 'feat/areallylongpullrequestnametotestargoslugificationandbranchnameshorteningfeature';
    const results = await renderGoTemplates(
      [
        { template: '{{ slugify 50 false .branch }}', params: { branch: long } },
        { template: '{{ slugify 53 true .branch }}', params: { branch: long } },
        { template: '{{ slugify 50 true .branch }}', params: { branch: oneWord } },
        { template: '{{ slugify 50 false .branch }}', params: { branch: oneWord } },
        { template: 'AppSet-{{ .branch | slugify }}', params: { branch: long } },
        { template: 'AppSet-{{ .branch | slugify 49 false }}', params: { branch: oneWord } },
        { template: 'hellos3-{{.name}}-{{ cat .branch | slugify 23 }}', params: { name: 'x', branch: 'Feature/My_Branch.v2' } },
        { template: '{{ (slugify "A B") | upper }}', params: { name: 'x' } },
      ],
      { goTemplateOptions: [] },
    );
    expect(results).toEqual([
      { text: 'feat-a-really-long-pull-request-name-to-test-argo' },
      { text: 'feat-a-really-long-pull-request-name-to-test-argo' },
      { text: 'feat' },
      { text: 'feat-areallylongpullrequestnametotestargoslugifica' },
      { text: 'AppSet-feat-a-really-long-pull-request-name-to-test-argo' },
      { text: 'AppSet-feat-areallylongpullrequestnametotestargoslugific' },
      { text: 'hellos3-x-feature-my-branch-v2' },
      { text: 'A-B' },
    ]);
  });

  it('slugify with a length that is not an int fails as Go’s type assertion does', async () => {
    expect(await one('{{ slugify .n .b }}', { n: 3, b: 'x' })).toEqual({
      error: 'failed to execute go template {{ slugify .n .b }}: interface conversion: interface {} is float64, not int',
    });
  });
});

describe('goTemplateOptions', () => {
  it('without missingkey=error a missing key prints <no value>, as Go does', async () => {
    expect(await one('{{ .missing }}-x', {})).toEqual({ text: '<no value>-x' });
    expect(await one('{{ .missing }}-x', {}, ['missingkey=zero'])).toEqual({ text: '<no value>-x' });
  });

  it("missingkey=error fails on a missing key with Argo CD's message", async () => {
    expect(await one('{{.missing}}', { name: 'a' }, ['missingkey=error'])).toEqual({
      error: 'failed to execute go template {{.missing}}: template: :1:2: executing "" at <.missing>: map has no entry for key "missing"',
    });
    expect(await one('app-{{ .path.nope }}', guestbook, ['missingkey=error'])).toEqual({
      error: 'failed to execute go template app-{{ .path.nope }}: template: :1:12: executing "" at <.path.nope>: map has no entry for key "nope"',
    });
    expect(await one('{{.path.basename}}', guestbook, ['missingkey=error'])).toEqual({ text: 'guestbook' });
    // index on a missing key prints <no value> without an error, in Go as here.
    expect(await one('{{ index .path "nope" }}', guestbook, ['missingkey=error'])).toEqual({ text: '<no value>' });
    // Go stops at the missing key, not at the nil after it (Helm itself runs with missingkey=zero).
    expect(await one('{{ .cluster.name }}', guestbook, ['missingkey=error'])).toEqual({
      error: 'failed to execute go template {{ .cluster.name }}: template: :1:11: executing "" at <.cluster.name>: map has no entry for key "cluster"',
    });
  });

  it("Argo CD's fallback example: dig reads an unset parameter without tripping missingkey=error", async () => {
    const template = '{{.cluster}}{{dig "nameSuffix" "" .}}';
    const results = await renderGoTemplates(
      [
        { template, params: { cluster: 'engineering-dev', url: 'https://kubernetes.default.svc' } },
        { template, params: { cluster: 'engineering-prod', url: 'https://kubernetes.default.svc', nameSuffix: '-my-name-suffix' } },
      ],
      { goTemplateOptions: ['missingkey=error'] },
    );
    expect(results).toEqual([{ text: 'engineering-dev' }, { text: 'engineering-prod-my-name-suffix' }]);
  });

  it('refuses an option Go does not know, for the whole batch', async () => {
    const refused = await renderGoTemplates([{ template: '{{ .a }}', params: {} }], { goTemplateOptions: ['missingkey=maybe'] }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(GoTemplateOptionError);
    expect(isBadInput(refused)).toBe(true);
    await expect(renderGoTemplates([], { goTemplateOptions: ['strict'] })).rejects.toThrow(/"strict" is not an option of Go's text\/template/);
  });
});

describe('batches', () => {
  it('renders a thousand requests over ten strings in one helm process', async () => {
    const requests: GoTemplateRequest[] = [];
    for (let i = 0; i < 100; i += 1) {
      const params = { name: `app-${i}`, index: i };
      for (let s = 0; s < 10; s += 1) requests.push({ template: `{{ .name }}/${s}/{{ .index }}`, params });
    }
    const before = goTemplateRuns();
    const results = await renderGoTemplates(requests, { goTemplateOptions: [] });
    expect(goTemplateRuns() - before).toBe(1);
    expect(results[0]).toEqual({ text: 'app-0/0/0' });
    expect(results[999]).toEqual({ text: 'app-99/9/99' });
    expect(results.every((result) => 'text' in result)).toBe(true);
  });

  it('a failing request fails alone: it gets Go’s message, the others their text', async () => {
    const before = goTemplateRuns();
    const results = await renderGoTemplates(
      [
        { template: '{{ .a.b }}', params: { a: { b: 'one' } } },
        { template: '{{ .a.b }}', params: {} },
        { template: '{{ .a.b }}', params: { a: { b: 'three' } } },
        { template: '{{ .name | nosuch }}', params: { name: 'x' } },
        { template: '{{ fail "stop here" }}', params: {} },
        { template: 'ok {{ .name }}', params: { name: 'x' } },
      ],
      { goTemplateOptions: [] },
    );
    expect(results).toEqual([
      { text: 'one' },
      { error: 'failed to execute go template {{ .a.b }}: template: :1:5: executing "" at <.a.b>: nil pointer evaluating interface {}.b' },
      { text: 'three' },
      { error: 'failed to parse template {{ .name | nosuch }}: template: :1: function "nosuch" not defined' },
      { error: 'failed to execute go template {{ fail "stop here" }}: stop here' },
      { text: 'ok x' },
    ]);
    expect(goTemplateRuns() - before).toBeLessThanOrEqual(4);
  });

  it("an Application's strings run together, and the one that fails is the one Go names", async () => {
    const app = { name: 'web', a: {} };
    const results = await renderGoTemplates(
      [
        { template: '{{ .name }}-one', params: app },
        { template: '{{ .a.b.c }}', params: app },
        { template: '{{ .name }}-three', params: app },
        { template: '{{ if eq .name "web" }}{{ fail "web is not allowed" }}{{ end }}', params: app },
        { template: '{{ .name }}-one', params: { name: 'api', a: {} } },
      ],
      { goTemplateOptions: [] },
    );
    expect(results).toEqual([
      { text: 'web-one' },
      { error: 'failed to execute go template {{ .a.b.c }}: template: :1:5: executing "" at <.a.b.c>: nil pointer evaluating interface {}.c' },
      { text: 'web-three' },
      { error: 'failed to execute go template {{ if eq .name "web" }}{{ fail "web is not allowed" }}{{ end }}: web is not allowed' },
      { text: 'api-one' },
    ]);
  });

  it('splits a batch of SPLIT_AT strings or more over one helm process per CPU (at most 4), results in request order', async () => {
    const requests: GoTemplateRequest[] = Array.from({ length: SPLIT_AT }, (_, i) => ({
      template: '{{ .i }}-{{ .name | upper }}',
      params: { i, name: `app${i % 7}` },
    }));
    requests[SPLIT_AT - 1] = { template: '{{ .i | nope }}', params: { i: 0 } };
    const before = goTemplateRuns();
    const results = await renderGoTemplates(requests, { goTemplateOptions: [] });
    // One process per slice, and one more for the slice whose failing request is run again without it.
    expect(goTemplateRuns() - before).toBe(Math.min(4, availableParallelism()) + 1);
    expect(results.slice(0, 3)).toEqual([{ text: '0-APP0' }, { text: '1-APP1' }, { text: '2-APP2' }]);
    expect(results[SPLIT_AT - 2]).toEqual({ text: `${SPLIT_AT - 2}-APP${(SPLIT_AT - 2) % 7}` });
    // Go's parse error, for its request alone.
    expect(results[SPLIT_AT - 1]).toEqual({ error: expect.stringContaining('function "nope" not defined') });
  });

  it('parameter sets beyond what one chart file may hold (Helm: 5 MiB) spread over several files', async () => {
    const blob = 'x'.repeat(10_000);
    const requests = Array.from({ length: 600 }, (_, i) => ({ template: '{{ .i }}:{{ len .blob }}', params: { i, blob } }));
    const before = goTemplateRuns();
    const results = await renderGoTemplates(requests, { goTemplateOptions: [] });
    expect(goTemplateRuns() - before).toBe(1);
    expect(results).toEqual(requests.map((_, i) => ({ text: `${i}:10000` })));
  });

  it('positions in messages are the template’s own, after normalize was rewritten for Helm', async () => {
    const results = await renderGoTemplates(
      [
        { template: '{{ normalize .name }} {{ .a.b }}', params: { name: 'x' } },
        { template: 'ü {{ normalize .n }}\n{{ normalize .n }}{{ .a.b }}', params: { n: 'x' } },
      ],
      { goTemplateOptions: [] },
    );
    expect(results).toEqual([
      {
        error: 'failed to execute go template {{ normalize .name }} {{ .a.b }}: template: :1:27: executing "" at <.a.b>: nil pointer evaluating interface {}.b',
      },
      {
        error:
          'failed to execute go template ü {{ normalize .n }}\n{{ normalize .n }}{{ .a.b }}: template: :2:23: executing "" at <.a.b>: nil pointer evaluating interface {}.b',
      },
    ]);
  });

  it('a parse error is reported at the line Go names', async () => {
    expect(await one('a\nb\n{{ .x | nosuch }}', {})).toEqual({
      error: 'failed to parse template a\nb\n{{ .x | nosuch }}: template: :3: function "nosuch" not defined',
    });
    expect(await one('a{{ end }}', {})).toEqual({ error: 'failed to parse template a{{ end }}: template: :1: unexpected {{end}}' });
    expect(await one('{{ if .a }}open', {})).toEqual({ error: 'failed to parse template {{ if .a }}open: template: :1: unexpected EOF' });
    expect(await one('a\n{{ .name', {})).toEqual({ error: 'failed to parse template a\n{{ .name: template: :2: unclosed action' });
  });
});

describe('the throwaway chart', () => {
  it('is removed after the run, whether it succeeded or not', async () => {
    // A folder of this test's own: other files render Go templates at the same time.
    const own = await mkdtemp(join(tmpdir(), 'gotemplate-leftovers-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = own;
    try {
      await Promise.all([one('{{ .a }}', { a: 'x' }), one('{{ .a.b }}', {}), one('{{ nosuch }}', {})]);
      expect(await readdir(own)).toEqual([]);
    } finally {
      process.env.TMPDIR = previous;
      await rm(own, { recursive: true, force: true });
    }
  });
});

describe('hostile templates', () => {
  it('env, expandenv and getHostByName do not exist, as in Argo CD', async () => {
    for (const template of ['{{ env "HOME" }}', '{{ expandenv "$HOME" }}', '{{ getHostByName "example.com" }}']) {
      const name = /\{\{ (\w+)/.exec(template)?.[1];
      expect(await one(template, {})).toEqual({ error: `failed to parse template ${template}: template: :1: function "${name}" not defined` });
    }
  });

  it("Helm's own functions (lookup, include, tpl, required) are refused as Argo CD refuses them", async () => {
    for (const [template, name] of [
      ['{{ lookup "v1" "Secret" "kube-system" "" }}', 'lookup'],
      ['{{ include "x" . }}', 'include'],
      ['{{ required "x" .a }}', 'required'],
    ]) {
      expect(await one(template, {})).toEqual({ error: `failed to parse template ${template}: template: :1: function "${name}" not defined` });
    }
  });

  it("tpl (Argo CD's recent own, Helm's needing a chart) is refused with a message saying so", async () => {
    expect(await one('{{ tpl "{{ .a }}" . }}', { a: 'x' })).toEqual({
      error: expect.stringMatching(/^failed to parse template .*: template: :1: function "tpl" not defined: /),
    });
  });

  it('.Files and .Release are parameters, not the chart: nothing on disk is read', async () => {
    const result = await one('{{ .Files.Get "Chart.yaml" }}', {});
    expect(result).toEqual({ error: expect.stringContaining('nil pointer evaluating interface {}.Get') });
    expect(await one('{{ .Release }}|{{ .Values }}|{{ .Files }}', { Files: 'mine' })).toEqual({ text: '<no value>|<no value>|mine' });
  });

  it('a huge result is refused; a template taking too much memory fails the batch, not the worker', async () => {
    expect(await one('{{ repeat 2000000 "x" }}', {})).toEqual({
      error: 'failed to execute go template {{ repeat 2000000 "x" }}: the result is larger than 1 MiB',
    });
    expect(await one('{{ repeat 8000000000 "x" | len }}', {})).toEqual({ error: expect.stringContaining('ran out of memory') });
    // Small output, 1.5 GB resident: stopped by the watch on helm's memory.
    expect(await one('{{ repeat 1500000000 "x" | len }}', {})).toEqual({ error: expect.stringContaining('used more than 1024 MiB of memory') });
  });
});
