// Plain Secrets: a v1 Secret whose data or stringData came from Git as it is, not from a SOPS
// document decrypted at render. Anyone who can read the repository reads them, so a project
// hears about each one on the commit status (a warning, by default) or refuses the sync before
// anything is written (`plainSecrets: deny`). Names and files only, never a value.
import type { ProjectSpec } from '../config/types.ts';
import { describeObject, type KubeObject } from '../kube/object.ts';
import { formatLocation } from '../render/location.ts';
import type { RenderedObject } from '../render/types.ts';
import { PlainSecretError } from './errors.ts';

/** `Secret/shop/creds (apps/web/secret.yaml (document 1))` for each plain Secret. */
export function plainSecrets(rendered: readonly RenderedObject[], decrypted: ReadonlySet<KubeObject>): string[] {
  return rendered
    .filter(({ object }) => !decrypted.has(object) && isSecretWithValues(object))
    .map(({ object, source }) => `${describeObject(object)} (${formatLocation(source)})`);
}

/** The warning for the commit status, or undefined when there is nothing to say; throws under `plainSecrets: deny`. */
export function plainSecretsRule(project: Pick<ProjectSpec, 'name' | 'plainSecrets'>, found: readonly string[]): string | undefined {
  if (found.length === 0) return undefined;
  if (project.plainSecrets === 'deny') throw new PlainSecretError(project.name, [...found]);
  return `plain Secrets in Git (encrypt them with SOPS; project ${project.name} may deny them with plainSecrets: deny): ${found.join(', ')}`;
}

function isSecretWithValues(object: KubeObject): boolean {
  if (object.apiVersion !== 'v1' || object.kind !== 'Secret') return false;
  return ['data', 'stringData'].some((field) => {
    const value = (object as Record<string, unknown>)[field];
    return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
  });
}
