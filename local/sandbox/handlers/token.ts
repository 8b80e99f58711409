// POST serviceaccounts/<name>/token: a TokenRequest (authentication.k8s.io/v1), as
// `kubectl create token` sends it. The answer carries a token that authenticates as the
// service account (./identity.ts). Defaults and limits are the API server's: one hour, at
// least ten minutes (ValidateTokenRequest), the server's own audience when none is asked for.
import { DEFAULT_AUDIENCE } from '../identity.ts';
import { invalid, type FieldError } from '../status.ts';
import { bodyObject, type Call, type Reply } from './call.ts';
import { now } from '../server-fields.ts';

const DEFAULT_SECONDS = 3600;
const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;

interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: unknown;
}

export function createToken(call: Call): Reply {
  const { objects, type, info, identities } = call;
  const name = info.name ?? '';
  const account = objects.get(type, info.namespace, name);
  const body = bodyObject(call);
  const spec = (body.spec ?? {}) as TokenRequestSpec;
  const seconds = spec.expirationSeconds ?? DEFAULT_SECONDS;
  const errors: FieldError[] = [];
  if (seconds < MIN_SECONDS)
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.expirationSeconds',
      message: `Invalid value: ${seconds}: may not specify a duration less than 10 minutes`,
    });
  if (seconds > MAX_SECONDS)
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.expirationSeconds',
      message: `Invalid value: ${seconds}: may not specify a duration larger than 2^32 seconds`,
    });
  if (errors.length) throw invalid('authentication.k8s.io', 'TokenRequest', name, errors);
  const audiences = spec.audiences?.length ? spec.audiences : [DEFAULT_AUDIENCE];
  const issued = identities.issue({ namespace: account.metadata.namespace ?? '', name, uid: account.metadata.uid ?? '' }, seconds, audiences);
  return {
    code: 201,
    body: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace: account.metadata.namespace, creationTimestamp: now() },
      spec: { audiences, expirationSeconds: seconds, boundObjectRef: spec.boundObjectRef ?? null },
      status: { token: issued.token, expirationTimestamp: issued.expirationTimestamp },
    },
  };
}
