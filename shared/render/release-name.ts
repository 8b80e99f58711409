// Helm's own rule for release names (Helm 3 and 4, ValidateReleaseName): a DNS-1123 subdomain
// of at most 53 characters, so names derived from it (`<release>-<chart>`) fit in 63. helm
// template enforces it too, but only after parsing its flags; checked here first, the name
// can never be read as one (`--set-file=x=/proc/self/environ`), whoever passes it: the
// registry's schema, the worker, or `driftless render --release-name`.
import { RenderOptionsError } from './errors.ts';

export const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const RELEASE_NAME_MAX_LENGTH = 53;

export const RELEASE_NAME_RULE = `must be at most ${RELEASE_NAME_MAX_LENGTH} characters of lower-case letters, digits, "-" and ".", starting and ending with a letter or digit (Helm's release name rule)`;

export function isValidReleaseName(name: string): boolean {
  return name.length <= RELEASE_NAME_MAX_LENGTH && RELEASE_NAME.test(name);
}

/** `name`, or a RenderOptionsError naming the field it came from. */
export function validReleaseName(name: string, field: string): string {
  if (!isValidReleaseName(name)) {
    // JSON quoting keeps control characters in a hostile name from shaping the message.
    throw new RenderOptionsError(`${field} ${JSON.stringify(name)} is not a valid Helm release name: it ${RELEASE_NAME_RULE}`);
  }
  return name;
}
