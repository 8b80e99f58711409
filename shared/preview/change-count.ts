// How many objects a sync of the head would create, change or prune on a target: the one count
// the check run's table, its conclusion and `driftless preview`'s exit code all read.
import type { TargetPreview } from './types.ts';

export function changeCount(target: TargetPreview): number {
  return target.create.length + target.change.length + target.prune.length;
}
