// One object's preview diff: the live object against what the API server says it would
// become (the server-side dry run of the head's object), both cut to what a person reviews,
// keys sorted, Secret values masked as `driftless diff` masks them (kube/diff.ts). Server
// defaults are in both sides and cancel out, and a field the head stops setting shows as
// removed, which a comparison on the head's fields alone cannot show.
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { maskSecret } from '../kube/diff.ts';
import type { KubeObject } from '../kube/object.ts';

/** The metadata a manifest sets; the rest (uid, resourceVersion, managedFields …) is the server's. */
const REVIEWED_METADATA = ['name', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences'] as const;
/** Client-side apply's copy of the whole object (a Secret's values in clear among it); never ours to show. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface PreviewDiff {
  /** Unified diff text, '' when the object would not change. */
  patch: string;
  changed: boolean;
}

/**
 * `live` absent: the object would be created, and the whole of it is the diff; `after`
 * absent: it would be pruned, and the whole of it goes.
 */
export function previewDiff(name: string, live: KubeObject | undefined, after: KubeObject | undefined): PreviewDiff {
  const next = after && reviewed(after);
  const before = live && reviewed(live);
  if (!before && !next) return { patch: '', changed: false };
  if (before && next && stringify(before) === stringify(next)) return { patch: '', changed: false };
  const patch = createTwoFilesPatch(
    `live/${name}`,
    `head/${name}`,
    before ? stringify(sorted(maskSecret(before))) : '',
    next ? stringify(sorted(maskSecret(next))) : '',
    undefined,
    undefined,
    { context: 3 },
  );
  return { patch, changed: true };
}

/** The object as reviewed: the manifest's metadata, everything else but status, keys sorted. */
function reviewed(object: KubeObject): KubeObject {
  const { metadata, status: _status, ...rest } = object;
  const kept: Record<string, unknown> = {};
  for (const field of REVIEWED_METADATA) {
    const value = metadata[field];
    if (value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0)) continue;
    kept[field] = value;
  }
  const annotations = kept.annotations as Record<string, string> | undefined;
  if (annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _dropped, ...others } = annotations;
    if (Object.keys(others).length > 0) kept.annotations = others;
    else delete kept.annotations;
  }
  return sorted({ ...rest, metadata: kept } as KubeObject);
}

function sorted<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sorted) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
  ) as T;
}
