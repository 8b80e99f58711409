// A unified diff of live against desired for the fields Git sets, with Secret values masked.
import { createHmac, randomBytes } from 'node:crypto';
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

/**
 * The key of the Secret markers, made once per process: the same value gets the same marker
 * within one run, so a changed value still shows as changed, while without the key (never
 * printed, gone with the process) a marker cannot be looked up or brute-forced, as a plain
 * hash of a short password could.
 */
const MASK_KEY = randomBytes(32);

function mask(value: unknown): string {
  return `++++++++ (${createHmac('sha256', MASK_KEY).update(String(value)).digest('hex').slice(0, 8)})`;
}

/**
 * A Secret with its values masked, in the form the API server stores it: `stringData` written
 * into `data` (base64, its keys winning), keys sorted. So a value given as stringData in Git
 * and held as data in the cluster compares as the same value when it is the same.
 */
export function maskSecret(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object;
  const { stringData, ...masked } = object as KubeObject & { stringData?: Record<string, unknown> };
  if (object.data === undefined && stringData === undefined) return masked;
  const values: Record<string, unknown> = { ...(object.data as Record<string, unknown> | undefined) };
  for (const [key, value] of Object.entries(stringData ?? {})) values[key] = Buffer.from(String(value)).toString('base64');
  masked.data = Object.fromEntries(
    Object.keys(values)
      .sort()
      .map((key) => [key, mask(values[key])]),
  );
  return masked;
}

function maskDifference(desired: KubeObject, difference: FieldDifference): FieldDifference {
  if (desired.kind !== 'Secret') return difference;
  return { path: difference.path, desired: '(masked)', live: '(masked)' };
}
