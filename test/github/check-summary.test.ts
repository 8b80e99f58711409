import { describe, expect, it } from 'vitest';
import type { CheckDetails } from '../../shared/github/check-details.ts';
import { checkOutput, MAX_SUMMARY, summaryMarkdown, type SummaryInput } from '../../shared/github/check-summary.ts';
import type { ObjectChange } from '../../shared/sync/changeset.ts';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

function change(name: string, fields: Partial<ObjectChange> = {}): ObjectChange {
  return { object: `ConfigMap/shop/${name}`, apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name, action: 'unchanged', health: 'Healthy', ...fields };
}

function input(objects: ObjectChange[], overrides: Partial<CheckDetails> = {}, rest: Partial<SummaryInput> = {}): SummaryInput {
  return {
    state: { status: 'completed', conclusion: 'success' },
    description: 'Synced, Healthy: 1 created',
    sha: SHA,
    details: {
      app: 'web',
      cluster: 'prod-eu',
      trigger: 'push',
      result: { status: 'Succeeded', health: 'Healthy', message: 'applied', objects, durationMs: 12_300 },
      ...overrides,
    },
    ...rest,
  };
}

/** The count row of the summary's first table, as columns → numbers. */
function counts(markdown: string): Record<string, number> {
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) => line.startsWith('| created'));
  const names = lines[header]
    .split('|')
    .map((cell) => cell.trim())
    .filter(Boolean);
  const values = lines[header + 2]
    .split('|')
    .map((cell) => cell.trim())
    .filter(Boolean)
    .map(Number);
  return Object.fromEntries(names.map((name, i) => [name, values[i]]));
}

describe('check run summary', () => {
  it('counts what the sync did, with duration, health and the commit', () => {
    const objects = [
      change('a', { action: 'created' }),
      change('b', { action: 'created' }),
      change('c', { action: 'configured' }),
      change('d'),
      change('e', { action: 'pruned', health: undefined }),
      change('f', { action: 'failed', health: undefined, message: 'admission webhook denied' }),
    ];
    const markdown = summaryMarkdown(input(objects));
    expect(counts(markdown)).toEqual({ created: 2, configured: 1, unchanged: 1, pruned: 1, failed: 1 });
    expect(markdown).toContain('12.3 s');
    expect(markdown).toContain('health: **Healthy**');
    expect(markdown).toContain(SHA.slice(0, 12));
    expect(markdown).toContain('**Drift:** 1 object differed from Git');
    // The failed object leads the object table, with its message.
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ConfigMap/'));
    expect(rows[0]).toBe('| ConfigMap/shop/f | failed |  | admission webhook denied |');
    expect(rows).toHaveLength(6);
  });

  it('shows hooks skipped or deleted only when there are some', () => {
    expect(Object.keys(counts(summaryMarkdown(input([change('a')]))))).toEqual(['created', 'configured', 'unchanged', 'pruned', 'failed']);
    expect(counts(summaryMarkdown(input([change('a'), change('hook', { action: 'deleted' })])))).toMatchObject({ deleted: 1 });
  });

  it('says a self-heal put drift back', () => {
    const markdown = summaryMarkdown(input([change('a', { action: 'configured' })], { trigger: 'self-heal' }));
    expect(markdown).toMatch(/\*\*Drift:\*\* self-heal: .*1 object put back/);
  });

  it('links the dashboard when there is one', () => {
    const markdown = summaryMarkdown(input([change('a')], {}, { dashboardLink: 'https://driftless.example/apps/web?cluster=prod-eu' }));
    expect(markdown).toContain('(https://driftless.example/apps/web?cluster=prod-eu)');
    expect(summaryMarkdown(input([change('a')]))).not.toContain('dashboard](');
  });

  it('keeps the summary within GitHub’s 65535 characters, saying how many objects it left out', () => {
    const objects = Array.from({ length: 5000 }, (_, i) => change(`object-${i}-${'x'.repeat(40)}`, { action: 'failed', message: 'm'.repeat(400) }));
    const markdown = summaryMarkdown(input(objects));
    expect(markdown.length).toBeLessThanOrEqual(MAX_SUMMARY);
    const shown = markdown.split('\n').filter((line) => line.startsWith('| ConfigMap/')).length;
    expect(shown).toBeGreaterThan(0);
    expect(markdown).toContain(`… and ${5000 - shown} more objects`);
    // Still a readable summary: the counts are all there.
    expect(counts(markdown).failed).toBe(5000);
  });

  it('fits a tight limit by dropping rows, and a tighter one by cutting', () => {
    const objects = Array.from({ length: 50 }, (_, i) => change(`o${i}`));
    expect(summaryMarkdown(input(objects), 1500).length).toBeLessThanOrEqual(1500);
    const tiny = summaryMarkdown(input(objects), 80);
    expect(tiny.length).toBeLessThanOrEqual(80);
    expect(tiny.endsWith('…')).toBe(true);
  });

  it('cuts long messages and keeps a message from breaking the table or making a link', () => {
    const markdown = summaryMarkdown(input([change('a', { action: 'failed', message: `bad | value [x](http://evil) <img>${'z'.repeat(1000)}\nsecond line` })]));
    const row = markdown.split('\n').find((line) => line.startsWith('| ConfigMap/shop/a'))!;
    expect(row).toContain('bad \\| value \\[x\\](http://evil) \\<img\\>');
    expect(row.length).toBeLessThan(400);
    expect(markdown).not.toContain('second line');
  });

  it('has a one-line title, within 255 characters', () => {
    const { title } = checkOutput(input([], {}, { description: `${'t'.repeat(400)}\nmore` }));
    expect(title.length).toBeLessThanOrEqual(255);
    expect(title).not.toContain('\n');
  });

  it('says why nothing was applied when there is no result', () => {
    const superseded = summaryMarkdown(input([], { result: undefined, reason: 'superseded' }, { state: { status: 'completed', conclusion: 'cancelled' } }));
    expect(superseded).toMatch(/newer commit was requested/);
    const gaveUp = summaryMarkdown(input([], { result: undefined, reason: 'gave-up' }, { state: { status: 'completed', conclusion: 'failure' } }));
    expect(gaveUp).toMatch(/dead-letter queue/);
  });
});
