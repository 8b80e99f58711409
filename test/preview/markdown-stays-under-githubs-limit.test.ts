// GitHub refuses a check run whose output.summary or output.text is over 65535 characters
// (REST API, "Create a check run": output.summary and output.text, "Maximum length: 65535
// characters"). The preview's markdown stays under it however large the diff, keeps every
// code block closed, and says what it left out.
import { describe, expect, it } from 'vitest';
import { previewCheckOutput } from '../../shared/preview/markdown.ts';
import type { PreviewReport, TargetPreview } from '../../shared/preview/types.ts';

const GITHUB_LIMIT = 65535;
const SHA = 'a'.repeat(40);

function hugeDiff(name: string, lines: number): string {
  const body = Array.from({ length: lines }, (_, index) => `+  key-${index}: "välue ✓ ${index}"`).join('\n');
  return `--- live/ConfigMap/shop/${name}\n+++ head/ConfigMap/shop/${name}\n@@ -0,0 +1,${lines} @@\n${body}\n`;
}

function targetOf(app: string, diff: string, extra: Partial<TargetPreview> = {}): TargetPreview {
  return {
    app,
    cluster: 'prod',
    diff,
    create: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: app }],
    change: [],
    prune: [],
    verdicts: [],
    ...extra,
  };
}

function report(targets: TargetPreview[]): PreviewReport {
  return { repoURL: 'https://github.com/acme/gitops.git', base: SHA, head: 'b'.repeat(40), targets };
}

/** Lines that open or close a code block; each block opened must be closed. */
function fences(markdown: string): string[] {
  return markdown.split('\n').filter((line) => /^`{3,}/.test(line));
}

function withinLimit(value: string): void {
  expect(value.length).toBeLessThanOrEqual(GITHUB_LIMIT);
  expect(Buffer.byteLength(value, 'utf8')).toBeLessThanOrEqual(GITHUB_LIMIT);
}

describe('the preview check output', () => {
  it('keeps a small preview whole: each app × cluster, its lists, its diff in a diff block', () => {
    const diff = '--- live/ConfigMap/shop/web\n+++ head/ConfigMap/shop/web\n@@ -1 +1 @@\n-  color: blue\n+  color: green\n';
    const output = previewCheckOutput(
      report([targetOf('web', diff, { create: [], change: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' }] })]),
    );
    expect(output.title).toBe('1 of 1 app × cluster would change');
    expect(output.summary).toContain('| web | prod |');
    expect(output.text).toContain('### web @ prod');
    expect(output.text).toContain('**Change** (1): `ConfigMap/shop/web`');
    expect(output.text).toContain(`\`\`\`diff\n${diff}\`\`\``);
    expect(output.text).not.toContain('not shown');
  });

  it('stays under the limit for one huge diff, cut at a line end, the block closed', () => {
    const output = previewCheckOutput(report([targetOf('web', hugeDiff('web', 20_000))]));
    withinLimit(output.summary);
    withinLimit(output.text);
    expect(fences(output.text)).toHaveLength(2);
    expect(output.text).toMatch(/more lines of this diff not shown/);
    // Every diff line shown is a whole line of the diff.
    const shown = output.text.split('```diff\n')[1].split('\n```')[0].split('\n');
    expect(shown.every((line) => line === '' || /^(\+ {2}key-\d+: "välue ✓ \d+"|---|\+\+\+|@@)/.test(line))).toBe(true);
  });

  it('shares the room among many diffs so a small one is shown whole beside huge ones', () => {
    const small = '--- live/ConfigMap/shop/tiny\n+++ head/ConfigMap/shop/tiny\n@@ -1 +1 @@\n-  a: "1"\n+  a: "2"\n';
    const targets = [...Array.from({ length: 40 }, (_, index) => targetOf(`app-${index}`, hugeDiff(`app-${index}`, 3000))), targetOf('tiny', small)];
    const output = previewCheckOutput(report(targets));
    withinLimit(output.summary);
    withinLimit(output.text);
    expect(output.text).toContain(`\`\`\`diff\n${small}\`\`\``);
    expect(fences(output.text).length % 2).toBe(0);
    expect(output.summary).toContain('| tiny | prod |');
  });

  it('stays under the limit with thousands of targets, saying how many it left out', () => {
    const targets = Array.from({ length: 5000 }, (_, index) => targetOf(`application-with-a-long-name-${index}`, hugeDiff(`x-${index}`, 5)));
    const output = previewCheckOutput(report(targets));
    withinLimit(output.summary);
    withinLimit(output.text);
    expect(output.summary).toMatch(/… \d+ more/);
    expect(fences(output.text).length % 2).toBe(0);
  });

  it('cannot be closed early by backticks inside a diff', () => {
    const diff = '--- live/ConfigMap/shop/doc\n+++ head/ConfigMap/shop/doc\n@@ -0,0 +1 @@\n+  readme: "```\\n# not a heading\\n```"\n````\n';
    const output = previewCheckOutput(report([targetOf('doc', diff)]));
    const open = fences(output.text)[0];
    expect(open.replace('diff', '').length).toBeGreaterThan(4);
    expect(output.text).toContain(diff);
  });

  it('names a render error with its file and line', () => {
    const broken = targetOf('broken', '', {
      create: [],
      error: { message: 'apps/broken/config.yaml:5: cannot parse: Flow map must end with a }', file: 'apps/broken/config.yaml', line: 5 },
    });
    const output = previewCheckOutput(report([broken]));
    expect(output.title).toBe('0 of 1 app × cluster would change, 1 failed to preview');
    expect(output.summary).toContain('`apps/broken/config.yaml:5`');
    expect(output.text).toContain('cannot parse');
  });
});
