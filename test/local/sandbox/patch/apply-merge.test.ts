import { describe, expect, it } from 'vitest';
import { mergeApplied } from '../../../../local/sandbox/patch/apply-merge.ts';

describe('mergeApplied', () => {
  it('merges keyed lists by key, keeping live elements where they were', () => {
    const live = { spec: { containers: [{ name: 'a', image: 'a:1', extra: true }, { name: 'sidecar' }, { name: 'b', image: 'b:1' }] } };
    const config = { spec: { containers: [{ name: 'a', image: 'a:2' }, { name: 'b', image: 'b:2' }, { name: 'c' }] } };
    expect(mergeApplied(live, config, 'Pod').spec.containers).toEqual([
      { name: 'a', image: 'a:2', extra: true },
      { name: 'sidecar' },
      { name: 'b', image: 'b:2' },
      { name: 'c' },
    ]);
  });

  it('unions sets, replaces atomic lists and drops fields configured as null', () => {
    const live = { metadata: { finalizers: ['x'], labels: { a: '1', b: '2' } }, spec: { tolerations: [{ key: 'x' }] } };
    const config = { metadata: { finalizers: ['y'], labels: { b: null } }, spec: { tolerations: [{ key: 'y' }] } };
    expect(mergeApplied(live, config as never, 'Pod')).toEqual({
      metadata: { finalizers: ['x', 'y'], labels: { a: '1' } },
      spec: { tolerations: [{ key: 'y' }] },
    });
  });
});
