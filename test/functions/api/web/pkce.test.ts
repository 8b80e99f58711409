// The sign-in flow's PKCE values as RFC 7636 defines them (its appendix B example), and the
// unverified read of a JWT's claims the UI uses for the expiry and the user's name.
import { describe, expect, it } from 'vitest';
import { base64Url, codeChallenge, jwtClaims, randomToken } from '../../../../functions/api/web/src/pkce.ts';

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B from its verifier', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes verifiers of 43 unreserved characters (RFC 7636 §4.1 allows 43 to 128), different each time', () => {
    const one = randomToken();
    expect(one).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
    expect(randomToken()).not.toBe(one);
  });

  it('encodes base64url without padding (RFC 7636 appendix A)', () => {
    expect(base64Url(new Uint8Array([3, 236, 255, 224, 193]))).toBe('A-z_4ME');
  });
});

describe('jwtClaims', () => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('reads the payload of a JWT, base64url without padding', () => {
    const token = `${part({ alg: 'RS256' })}.${part({ sub: 'u-1', email: 'ana@example.com', exp: 1_800_000_000, 'cognito:groups': ['ops'] })}.c2ln`;
    expect(jwtClaims(token)).toEqual({ sub: 'u-1', email: 'ana@example.com', exp: 1_800_000_000, 'cognito:groups': ['ops'] });
  });

  it('is undefined for what is not a JWT', () => {
    expect(jwtClaims('opaque-access-token')).toBeUndefined();
    expect(jwtClaims('a.!!!.c')).toBeUndefined();
  });
});
