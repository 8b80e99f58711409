// What a drift scan finds, per object and per target. Results, not logs: the scan returns
// them, the caller records, emits and heals.
import type { FieldOwner } from '../kube/compare.ts';
import type { ObjectRef } from '../kube/live.ts';

export type DriftState = 'modified' | 'missing' | 'orphaned';

export interface DriftedField {
  /** Kubernetes field path, as `driftless diff` prints it: `.spec.replicas`. */
  path: string;
  /** Who owns the field in the live object's managedFields now: who changed it. Empty when nobody does (the field was removed). */
  managers: FieldOwner[];
}

export interface ObjectDrift extends ObjectRef {
  state: DriftState;
  /** For `modified`: the fields a server-side apply would set back. */
  fields?: DriftedField[];
  /** Set when the dry-run could not confirm the difference (the apply would fail): reported as found. */
  unconfirmed?: string;
}

export interface DriftFindings {
  /** Modified, missing and orphaned objects, in the order of the desired objects, orphans last. */
  objects: ObjectDrift[];
  /** Desired objects compared. */
  compared: number;
  /** Objects that differed on the first comparison and went to a dry-run. */
  suspects: number;
  /** Suspects the dry-run showed a server-side apply would not change (not drift). */
  dismissed: number;
  durationMs: number;
}

/** How a target's drift stands after a scan: `InSync` (Synced), `Drifted` (OutOfSync), or `Unknown`. */
export interface DriftReport extends DriftFindings {
  app: string;
  cluster: string;
  revision: string;
  status: 'InSync' | 'Drifted';
  scannedAt: string;
}
