// Rendered objects → the objects to apply, SOPS documents decrypted, as Flux's
// `decryption.provider: sops` does at build time. Here it happens after the render cache, in
// the sync and the drift scan alike: the cache (S3) keeps the encrypted form, and the plaintext
// lives only in this invocation's memory. A decrypted document is placed in its namespace and
// checked for duplicates as render does for every other object (normalize.ts leaves SOPS
// documents alone, their MAC covering every value). Then the project's plain-Secrets rule.
import type { ProjectSpec } from '../config/types.ts';
import { SECRET_FINGERPRINT_SOURCE } from '../kube/fingerprint.ts';
import type { KubeObject } from '../kube/object.ts';
import { assertNoDuplicates, placeNamespaces } from '../render/normalize.ts';
import { formatLocation } from '../render/location.ts';
import type { IsNamespaced, RenderedObject } from '../render/types.ts';
import { SopsFormatError, SopsKeyError } from './errors.ts';
import type { SopsKeyRing } from './keys/key-ring.ts';
import { plainSecrets, plainSecretsRule } from './plain-secrets.ts';
import { decryptSopsDocument } from './sops/decrypt.ts';
import { isSopsDocument } from './sops/metadata.ts';

export interface SecretsContext {
  keys: SopsKeyRing;
  /** The app's project; undefined for a folder synced from the CLI, which may use any key its user holds. */
  project?: ProjectSpec;
  destinationNamespace: string;
  isNamespaced?: IsNamespaced;
}

export interface OpenedRender {
  objects: RenderedObject[];
  /** How many SOPS documents were decrypted. */
  decrypted: number;
  /** For the commit status and the change set (plain Secrets); never a value. */
  warnings: string[];
}

export async function decryptRendered(rendered: readonly RenderedObject[], context: SecretsContext): Promise<OpenedRender> {
  const decrypted = new Set<KubeObject>();
  const objects: RenderedObject[] = [];
  for (const entry of rendered) {
    if (!isSopsDocument(entry.object)) {
      objects.push(entry);
      continue;
    }
    const object = await decryptOne(entry, context);
    decrypted.add(object);
    objects.push({ object, source: entry.source });
  }
  if (decrypted.size > 0) {
    placeNamespaces(
      objects.map(({ object }) => object),
      [...decrypted],
      context,
    );
    assertNoDuplicates(objects);
  }
  const warning = context.project ? plainSecretsRule(context.project, plainSecrets(objects, decrypted)) : undefined;
  return { objects, decrypted: decrypted.size, warnings: warning ? [warning] : [] };
}

async function decryptOne({ object, source }: RenderedObject, context: SecretsContext): Promise<KubeObject> {
  const file = formatLocation(source);
  const { project } = context;
  if (project && !project.decryption) {
    throw new SopsKeyError(
      file,
      `project ${project.name} allows no SOPS decryption (list its keys in spec.decryption.sops, or an AppProject's driftless.io/sops-* annotations)`,
    );
  }
  const plain = await decryptSopsDocument(object as KubeObject & { sops: Record<string, unknown> }, file, context.keys, {
    allowed: project?.decryption?.sops,
    by: project ? `project ${project.name}` : undefined,
  });
  const metadata = plain.metadata;
  if (
    typeof plain.apiVersion !== 'string' ||
    typeof plain.kind !== 'string' ||
    typeof metadata !== 'object' ||
    metadata === null ||
    typeof (metadata as { name?: unknown }).name !== 'string'
  ) {
    throw new SopsFormatError(file, 'decrypted, it is not a Kubernetes object (apiVersion, kind and metadata.name)');
  }
  // The stored inventory digests this object by its encrypted MAC, not by its plaintext values.
  const mac = (object as { sops?: { mac?: unknown } }).sops?.mac;
  return Object.assign(plain as KubeObject, { [SECRET_FINGERPRINT_SOURCE]: typeof mac === 'string' ? mac : formatLocation(source) });
}
