// Builders for live objects as the API server returns them: only the fields a health check reads.
import type { KubeObject } from '../../../shared/kube/object.ts';

export interface LiveParts {
  generation?: number;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
}

export function live(apiVersion: string, kind: string, parts: LiveParts = {}): KubeObject {
  const object: KubeObject = {
    apiVersion,
    kind,
    metadata: {
      name: 'web',
      namespace: 'shop',
      generation: parts.generation ?? 1,
      ...(parts.annotations ? { annotations: parts.annotations } : {}),
      ...(parts.deletionTimestamp ? { deletionTimestamp: parts.deletionTimestamp } : {}),
    },
  };
  if (parts.spec) object.spec = parts.spec;
  if (parts.status) object.status = parts.status;
  return object;
}

export function condition(type: string, status: 'True' | 'False' | 'Unknown', reason?: string, message?: string): Record<string, string> {
  return { type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}
