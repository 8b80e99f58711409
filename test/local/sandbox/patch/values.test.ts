// clone() copies what JSON.parse and the YAML parser produce, as structuredClone would:
// every object and array anew, keys (even "__proto__") as own data, anything else by
// structuredClone.
import { describe, expect, it } from 'vitest';
import { clone } from '../../../../local/sandbox/patch/values.ts';

describe('clone', () => {
  it('copies every nested object and array, so changing the copy leaves the original alone', () => {
    const original = { metadata: { labels: { app: 'web' } }, spec: { ports: [{ port: 80 }], replicas: 0, paused: false, note: null } };
    const copy = clone(original);
    expect(copy).toEqual(original);
    copy.metadata.labels.app = 'api';
    copy.spec.ports[0].port = 81;
    copy.spec.ports.push({ port: 82 });
    expect(original).toEqual({ metadata: { labels: { app: 'web' } }, spec: { ports: [{ port: 80 }], replicas: 0, paused: false, note: null } });
  });

  it('keeps a "__proto__" key of a parsed body as data, not as the prototype', () => {
    const parsed = JSON.parse('{"data":{"__proto__":{"polluted":true},"x":"1"}}') as { data: Record<string, unknown> };
    const copy = clone(parsed);
    expect(Object.keys(copy.data)).toEqual(['__proto__', 'x']);
    expect(Object.getPrototypeOf(copy.data)).toBe(Object.prototype);
    expect((copy.data as { polluted?: boolean }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });

  it('copies what is not plain JSON as structuredClone does', () => {
    const bytes = Buffer.from('abc');
    const copy = clone({ raw: bytes });
    expect(copy.raw).toEqual(structuredClone(bytes));
    expect(copy.raw).not.toBe(bytes);
  });
});
