// Argo CD's FailOnSharedResource=true: when an object this sync would write is already on the
// cluster and tracked by another app (our tracking id or Argo CD's), the sync fails before its
// first write, naming every such object and its owner. Without the option each such object
// still is never written (kube/apply.ts refuses a takeover) and fails on its own, while the
// rest of the sync goes on.
import { foreignOwner } from '../kube/apply.ts';
import { describeObject, type KubeObject } from '../kube/object.ts';
import { objectKey } from '../kube/tracking.ts';
import type { ObjectSource } from './changeset.ts';
import { SharedResourceError } from './errors.ts';
import type { DesiredState } from './prepare.ts';

export function refuseSharedResources(desired: DesiredState<ObjectSource>, live: ReadonlyMap<string, KubeObject>): void {
  const shared = desired.resources.flatMap(({ object, source }) => {
    const current = live.get(objectKey(object));
    const owner = current && foreignOwner(object, current);
    return owner ? [{ object: describeObject(object), owner, source }] : [];
  });
  if (shared.length === 0) return;
  const error = new SharedResourceError(shared);
  error.source = shared[0].source;
  throw error;
}
