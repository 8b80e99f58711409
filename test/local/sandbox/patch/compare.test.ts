import { describe, expect, it } from 'vitest';
import { compare } from '../../../../local/sandbox/patch/compare.ts';
import { toFieldsV1 } from '../../../../local/sandbox/patch/managed-fields.ts';

const pod = (containers: unknown[], labels?: Record<string, string>) => ({
  metadata: { name: 'p', ...(labels ? { labels } : {}) },
  spec: { containers },
});

describe('compare', () => {
  it('reports changed leaves as modified, new elements and maps as added with their contents, and gone ones as removed', () => {
    const result = compare(
      pod([
        { name: 'a', image: 'a:1' },
        { name: 'b', image: 'b:1' },
      ]),
      pod(
        [
          { name: 'a', image: 'a:2' },
          { name: 'c', image: 'c:1' },
        ],
        { app: 'p' },
      ),
      'Pod',
    );
    expect(toFieldsV1(result.modified)).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { 'f:image': {} } } } });
    expect(toFieldsV1(result.added)).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    });
    expect(toFieldsV1(result.removed)).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"b"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } });
  });

  it('sees a reordered keyed list as unchanged', () => {
    const result = compare(pod([{ name: 'a' }, { name: 'b' }]), pod([{ name: 'b' }, { name: 'a' }]), 'Pod');
    expect([result.modified, result.added, result.removed].map(toFieldsV1)).toEqual([{}, {}, {}]);
  });
});
