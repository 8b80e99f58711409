// Who calls the API: the subject and the claims of a verified token (API Gateway's JWT
// authorizer, or jose in tests), or local mode's user, who has not signed in and is admin.
export interface Identity {
  /** The `sub` claim (Argo CD's subject); "local" in local mode. */
  user: string;
  /** The token's claims, for `scopes`; never logged or answered. */
  claims: Record<string, unknown>;
  /** Local mode: no sign-in, everything allowed. */
  local?: boolean;
}

export const LOCAL_IDENTITY: Identity = { user: 'local', claims: {}, local: true };

/**
 * The values of the claims `scopes` names, as Argo CD's jwtutil.GetScopeValues reads them: a
 * string claim is one value, a list claim each of its strings. API Gateway hands list claims
 * over as a string (`[admins deployers]`), so that spelling is read as the list too.
 */
export function scopeValues(claims: Record<string, unknown>, scopes: string[]): string[] {
  const values: string[] = [];
  for (const scope of scopes) {
    const claim = claims[scope];
    if (Array.isArray(claim)) values.push(...claim.filter((item): item is string => typeof item === 'string'));
    else if (typeof claim === 'string') {
      const listed = /^\[(.*)\]$/s.exec(claim.trim());
      if (listed) values.push(...listed[1].split(/[\s,]+/).filter((item) => item !== ''));
      else values.push(claim);
    }
  }
  return [...new Set(values)];
}
