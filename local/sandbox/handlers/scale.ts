// The scale subresource: an autoscaling/v1 Scale view of a workload's replicas, as
// `kubectl scale` and the HPA read and write it.
import type { KubeObject } from '../../../shared/kube/object.ts';
import type { ResourceType, ScaleSpec } from '../resources.ts';
import { formatLabelSelector, type LabelSelectorObject } from '../selectors.ts';
import { badRequest } from '../status.ts';

function segments(path: string): string[] {
  return path.replace(/^\./, '').split('.').filter(Boolean);
}

export function readPath(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const key of segments(path)) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function writePath(object: Record<string, unknown>, path: string, value: unknown): void {
  const keys = segments(path);
  let current = object;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    if (!next || typeof next !== 'object') current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[keys[keys.length - 1]] = value;
}

export function toScale(type: ResourceType, object: KubeObject): KubeObject {
  const scale = type.scale as ScaleSpec;
  const selectorValue = scale.labelSelectorPath ? readPath(object, scale.labelSelectorPath) : undefined;
  const selector = typeof selectorValue === 'string' ? selectorValue : formatLabelSelector(selectorValue as LabelSelectorObject | undefined);
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, ...(namespace ? { namespace } : {}), uid, resourceVersion, creationTimestamp },
    spec: { replicas: Number(readPath(object, scale.specReplicasPath) ?? (type.crd ? 0 : 1)) },
    status: { replicas: Number(readPath(object, scale.statusReplicasPath) ?? 0), ...(selector ? { selector } : {}) },
  };
}

/** The object with the replicas a Scale asks for. */
export function fromScale(type: ResourceType, object: KubeObject, scale: unknown): KubeObject {
  const replicas = (scale as { spec?: { replicas?: unknown } } | undefined)?.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw badRequest(
      `Scale.autoscaling "${object.metadata.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    );
  }
  const next = structuredClone(object);
  writePath(next, (type.scale as ScaleSpec).specReplicasPath, replicas);
  const version = (scale as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
  next.metadata.resourceVersion = version || object.metadata.resourceVersion;
  return next;
}
