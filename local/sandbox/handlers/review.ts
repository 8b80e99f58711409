// The create-only reviews of authentication.k8s.io and authorization.k8s.io: answered from
// the request, never stored, as the API server's registries for them do. The sandbox has no
// authorization, so every access review is allowed and every rules review lists everything;
// `kubectl auth can-i` and `kubectl auth whoami` answer as they would for a cluster admin.
import { apiVersionOf } from '../resources.ts';
import { badRequest } from '../status.ts';
import { bodyObject, type Call, type Reply } from './call.ts';

const ALLOWED = { allowed: true, reason: 'the sandbox authorizes every request' };

type Reviewer = (call: Call, spec: Record<string, unknown>) => unknown;

const REVIEWERS: Record<string, Reviewer> = {
  SelfSubjectAccessReview: () => ALLOWED,
  SubjectAccessReview: () => ALLOWED,
  LocalSubjectAccessReview: () => ALLOWED,
  SelfSubjectRulesReview: () => ({
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
  }),
  SelfSubjectReview: (call) => ({ userInfo: call.user }),
  TokenReview: (call, spec) => {
    const found = typeof spec.token === 'string' ? (call.identities.review(spec.token) ?? adminReview(call, spec.token)) : undefined;
    return found ? { authenticated: true, user: found.user, audiences: found.audiences } : { user: {}, error: 'invalid bearer token' };
  },
};

/** The sandbox's own token reviews as its administrator (it is not an issued token). */
function adminReview(call: Call, token: string) {
  const user = call.identities.authenticate(token);
  return user ? { user, audiences: [] as string[] } : undefined;
}

export function answerReview(call: Call): Reply {
  const { type, info } = call;
  const body = bodyObject(call);
  if (body.kind !== undefined && body.kind !== type.kind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${type.kind})`);
  }
  const spec = { ...((body.spec ?? {}) as Record<string, unknown>) };
  // A LocalSubjectAccessReview is about the namespace it was posted to.
  if (type.kind === 'LocalSubjectAccessReview' && info.namespace && spec.resourceAttributes && typeof spec.resourceAttributes === 'object') {
    spec.resourceAttributes = { namespace: info.namespace, ...(spec.resourceAttributes as object) };
  }
  const reviewer = REVIEWERS[type.kind];
  return {
    code: 201,
    body: {
      kind: type.kind,
      apiVersion: apiVersionOf(type),
      metadata: { ...((body.metadata ?? {}) as object), creationTimestamp: null },
      ...(type.kind === 'SelfSubjectReview' ? {} : { spec }),
      status: reviewer ? reviewer(call, spec) : {},
    },
  };
}
