// Who a request is. The sandbox's own bearer token is its administrator. Service-account
// tokens issued through serviceaccounts/<name>/token (TokenRequest, `kubectl create token`)
// authenticate as that service account until they expire, as on a real cluster; they are
// JWT-shaped like the API server's, but opaque: the sandbox knows them by value. There is no
// authorization: every identity may do everything (reviews answer so, see ./reviews.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { formatTime } from './server-fields.ts';

/** authentication.k8s.io/v1 UserInfo. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface IssuedToken {
  token: string;
  expirationTimestamp: string;
  audiences: string[];
}

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

interface Issued {
  user: UserInfo;
  audiences: string[];
  expiresAt: number;
}

/** The API server's own audience when a TokenRequest names none (kubeadm's --api-audiences). */
export const DEFAULT_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';

const ADMIN: UserInfo = { username: 'sandbox-admin', groups: ['system:masters', 'system:authenticated'] };

export class Identities {
  private readonly adminToken: Buffer;
  private readonly issued = new Map<string, Issued>();

  constructor(adminToken: string) {
    this.adminToken = Buffer.from(adminToken);
  }

  /** The user a bearer token stands for, or undefined when it is nobody's (or expired). */
  authenticate(token: string): UserInfo | undefined {
    const presented = Buffer.from(token);
    if (presented.length === this.adminToken.length && timingSafeEqual(presented, this.adminToken)) return ADMIN;
    return this.review(token)?.user;
  }

  /** A valid issued token's user and audiences (TokenReview). */
  review(token: string): { user: UserInfo; audiences: string[] } | undefined {
    const found = this.issued.get(token);
    if (!found) return undefined;
    if (found.expiresAt <= Date.now()) {
      this.issued.delete(token);
      return undefined;
    }
    return { user: found.user, audiences: found.audiences };
  }

  /** A token for the service account, valid for `seconds`, as TokenRequest issues one. */
  issue(account: ServiceAccountRef, seconds: number, audiences: string[]): IssuedToken {
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + seconds;
    const subject = `system:serviceaccount:${account.namespace}:${account.name}`;
    const claims = {
      aud: audiences,
      exp: expiresAt,
      iat: issuedAt,
      iss: DEFAULT_AUDIENCE,
      jti: randomBytes(16).toString('hex'),
      'kubernetes.io': { namespace: account.namespace, serviceaccount: { name: account.name, uid: account.uid } },
      nbf: issuedAt,
      sub: subject,
    };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${encode({ alg: 'RS256', kid: 'sandbox' })}.${encode(claims)}.${randomBytes(32).toString('base64url')}`;
    const user: UserInfo = {
      username: subject,
      uid: account.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${account.namespace}`, 'system:authenticated'],
    };
    this.issued.set(token, { user, audiences, expiresAt: expiresAt * 1000 });
    return { token, expirationTimestamp: formatTime(new Date(expiresAt * 1000)), audiences };
  }
}
