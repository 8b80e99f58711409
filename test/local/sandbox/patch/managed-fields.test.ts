import { describe, expect, it } from 'vitest';
import {
  difference,
  fieldSetOf,
  fromFieldsV1,
  intersection,
  memberPaths,
  pathText,
  removeFromObject,
  toFieldsV1,
  union,
} from '../../../../local/sandbox/patch/managed-fields.ts';

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', finalizers: ['a/b'], annotations: {} },
  spec: { ports: [{ port: 80, name: 'http' }], selector: { app: 'web' } },
};

describe('field sets', () => {
  it('encode a configuration as Kubernetes fieldsV1: keyed elements, set values, atomic maps and empty maps as leaves', () => {
    expect(toFieldsV1(fieldSetOf(service, 'Service'))).toEqual({
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': { 'f:annotations': {}, 'f:finalizers': { 'v:"a/b"': {} }, 'f:name': {} },
      'f:spec': {
        'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {} } },
        'f:selector': {},
      },
    });
  });

  it('survive a round trip through fieldsV1', () => {
    const fields = { 'f:spec': { 'f:template': { '.': {}, 'f:a': {} }, 'f:b': {} } };
    expect(toFieldsV1(fromFieldsV1(fields))).toEqual(fields);
  });

  it('combine member by member', () => {
    const a = fromFieldsV1({ 'f:spec': { 'f:a': {}, 'f:b': {} } });
    const b = fromFieldsV1({ 'f:spec': { 'f:b': {}, 'f:c': {} } });
    expect(toFieldsV1(union(a, b))).toEqual({ 'f:spec': { 'f:a': {}, 'f:b': {}, 'f:c': {} } });
    expect(toFieldsV1(intersection(a, b))).toEqual({ 'f:spec': { 'f:b': {} } });
    expect(toFieldsV1(difference(a, b))).toEqual({ 'f:spec': { 'f:a': {} } });
  });

  it('print their members as structured-merge-diff paths', () => {
    const set = fromFieldsV1({
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { 'f:name': {} } } },
      'f:metadata': { 'f:finalizers': { 'v:"x"': {} } },
    });
    expect(memberPaths(set).map(pathText)).toEqual(['.metadata.finalizers[="x"]', '.spec.ports[port=80,protocol="TCP"].name']);
  });

  it('remove members from an object, dropping what the removal empties', () => {
    const set = fromFieldsV1({
      'f:metadata': { 'f:finalizers': { 'v:"a/b"': {} } },
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { 'f:name': {} } } },
    });
    expect(removeFromObject(service, set, 'Service')).toEqual({
      ...service,
      metadata: { name: 'web', annotations: {} },
      spec: { ports: [{ port: 80 }], selector: { app: 'web' } },
    });
  });
});
