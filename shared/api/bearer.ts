// A Bearer token checked as API Gateway's JWT authorizer checks it, for serving the API where
// there is no authorizer in front (a local server that wants sign-in, tests): the signature
// against the issuer's keys (a JWKS), `iss`, `aud` (or, for a Cognito access token,
// `client_id`), expiry and not-before. What passes becomes the identity; anything else is no
// identity (401), and why is never echoed back with the token in it.
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { Identity } from '../rbac/identity.ts';
import { identityOf } from './http-event.ts';

export interface BearerOptions {
  issuer: string;
  audience: string;
  /** The issuer's keys: a JWKS document, or where to fetch it (default `<issuer>/.well-known/jwks.json`). */
  jwks?: JSONWebKeySet | URL;
}

export type BearerVerifier = (authorization: string | undefined) => Promise<Identity | undefined>;

export function bearerVerifier(options: BearerOptions): BearerVerifier {
  const keys =
    options.jwks instanceof URL || options.jwks === undefined
      ? createRemoteJWKSet(options.jwks ?? new URL(`${options.issuer.replace(/\/$/, '')}/.well-known/jwks.json`))
      : createLocalJWKSet(options.jwks);
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) return undefined;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: options.issuer }));
    } catch {
      return undefined;
    }
    // API Gateway accepts the audience in `aud` (ID tokens) or `client_id` (Cognito access tokens).
    const audiences = [
      ...(Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : []),
      ...(typeof payload.client_id === 'string' ? [payload.client_id] : []),
    ];
    if (!audiences.includes(options.audience)) return undefined;
    return identityOf(payload as Record<string, unknown>);
  };
}
