// A unified diff of live against desired for the fields Git sets, with Secret values masked.
import { createHash } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { compareObjects, projectLive, type FieldDifference } from './compare.ts';
import { describeObject, type KubeObject } from './object.ts';

export interface ObjectDiff {
  object: string;
  differences: FieldDifference[];
  /** Unified diff text; empty when there is no difference. */
  patch: string;
}

export function diffObject(desired: KubeObject, live: KubeObject | undefined): ObjectDiff {
  const name = describeObject(desired);
  const differences = compareObjects(desired, live);
  if (differences.length === 0) return { object: name, differences, patch: '' };
  const before = live ? stringify(maskSecret(projectLive(desired, live))) : '';
  const after = stringify(maskSecret(desired));
  const patch = createTwoFilesPatch(`live/${name}`, `git/${name}`, before, after, undefined, undefined, { context: 3 });
  return { object: name, differences: differences.map((difference) => maskDifference(desired, difference)), patch };
}

/** Same value, same mask: a changed Secret value still shows as changed. */
function mask(value: unknown): string {
  return `++++++++ (${createHash('sha256').update(String(value)).digest('hex').slice(0, 8)})`;
}

function maskSecret(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object;
  const masked: KubeObject = { ...object };
  for (const field of ['data', 'stringData']) {
    const values = object[field] as Record<string, unknown> | undefined;
    if (values) masked[field] = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, mask(value)]));
  }
  return masked;
}

function maskDifference(desired: KubeObject, difference: FieldDifference): FieldDifference {
  if (desired.kind !== 'Secret') return difference;
  return { path: difference.path, desired: '(masked)', live: '(masked)' };
}
