// Which hosts the worker may ask for a chart. A repoURL comes from Git, so without this a
// commit could point the worker at its own neighbourhood: the Lambda runtime API and local mode
// on loopback, the instance metadata service (169.254.169.254, fd00:ec2::254) and anything else
// link-local. Those addresses are refused unless local mode (or a test) allows loopback — and
// link-local and unspecified addresses are refused always. A host name is resolved first and
// every address it has is checked, so a name that points at 127.0.0.1 is refused like the IP.
// (helm resolves the name again when it downloads; a DNS answer that changes in between is not
// caught here, and neither is a redirect helm follows: both are bounded by the archive's digest
// check, which a response from elsewhere cannot pass.)
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InvalidChartRequestError } from './errors.ts';

export interface AddressPolicy {
  /** Local mode and tests: repositories on 127.0.0.0/8 and ::1 may be read. */
  allowLoopback: boolean;
}

export type HostResolver = (host: string) => Promise<string[]>;

export const resolveHost: HostResolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/** Why `address` (an IP) may not be read, or undefined when it may. */
export function refusedAddress(address: string, policy: AddressPolicy): string | undefined {
  const ip = unwrapMapped(address.replace(/^\[|\]$/g, '').toLowerCase());
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number);
    if (a === 127) return policy.allowLoopback ? undefined : 'a loopback address';
    if (a === 169 && b === 254) return 'a link-local address (the instance metadata service lives there)';
    if (a === 0) return 'an unspecified address';
    return undefined;
  }
  if (isIP(ip) === 6) {
    if (ip === '::1') return policy.allowLoopback ? undefined : 'a loopback address';
    if (ip === '::') return 'an unspecified address';
    if (/^fe[89ab]/.test(ip)) return 'a link-local address';
    if (ip === 'fd00:ec2::254') return 'the instance metadata service';
    return undefined;
  }
  return undefined;
}

export function isLoopbackHost(host: string): boolean {
  const ip = unwrapMapped(host.replace(/^\[|\]$/g, '').toLowerCase());
  if (host.toLowerCase() === 'localhost') return true;
  return (isIP(ip) === 4 && ip.startsWith('127.')) || ip === '::1';
}

/**
 * Throws InvalidChartRequestError when `host` is, or resolves to, an address the policy refuses.
 * A name that does not resolve passes: fetching it fails as unreachable, which is retried.
 */
export async function checkHost(host: string, what: string, policy: AddressPolicy, resolve: HostResolver = resolveHost): Promise<void> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare.toLowerCase() === 'localhost' && !policy.allowLoopback) throw refused(what, host, 'a loopback address');
  const addresses = isIP(bare) ? [bare] : await resolve(bare).catch(() => []);
  for (const address of addresses) {
    const reason = refusedAddress(address, policy);
    if (reason) throw refused(what, host, isIP(bare) ? reason : `${reason} (${address})`);
  }
}

function refused(what: string, host: string, reason: string): InvalidChartRequestError {
  return new InvalidChartRequestError(`${what}: host ${host} is ${reason}; the worker reads charts only from public repositories and registries`);
}

/** `::ffff:127.0.0.1` is 127.0.0.1, and so is `::ffff:7f00:1`, the form URL parsers print it in. */
function unwrapMapped(ip: string): string {
  const dotted = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted) return dotted[1];
  const hex = /^::(?:ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
  if (!hex) return ip;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}
