// DELETE of one object and DELETE of a collection, with DeleteOptions from the body or
// the query (kubectl sends a body; other clients use ?propagationPolicy=).
import type { DeleteOptions, Propagation } from '../objects.ts';
import { badRequest } from '../status.ts';
import { isDryRun, type Call, type Reply } from './call.ts';

const POLICIES: Propagation[] = ['Background', 'Foreground', 'Orphan'];

function deleteOptions(call: Call): DeleteOptions {
  const body = (call.body && typeof call.body === 'object' ? call.body : {}) as {
    propagationPolicy?: string;
    orphanDependents?: boolean;
    dryRun?: string[];
    preconditions?: { resourceVersion?: string; uid?: string };
  };
  let policy = body.propagationPolicy ?? call.query.get('propagationPolicy') ?? undefined;
  if (policy === undefined && (body.orphanDependents === true || call.query.get('orphanDependents') === 'true')) policy = 'Orphan';
  if (policy !== undefined && !POLICIES.includes(policy as Propagation)) {
    throw badRequest(
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  const dryRun = isDryRun(call) || (body.dryRun ?? []).includes('All');
  return {
    ...(policy ? { propagationPolicy: policy as Propagation } : {}),
    dryRun,
    ...(body.preconditions ? { preconditions: body.preconditions } : {}),
  };
}

export function deleteObject(call: Call): Reply {
  const { objects, type, info } = call;
  return { code: 200, body: objects.delete(type, info.namespace, info.name ?? '', deleteOptions(call)) };
}

export function deleteCollection(call: Call): Reply {
  const { objects, type, info, query } = call;
  const list = {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
  };
  return { code: 200, body: objects.deleteCollection(type, info.namespace, list, deleteOptions(call)) };
}
