// What Argo CD does with `kustomize edit set nameprefix|namesuffix|image` and
// `kustomize edit add label`, done on the text of a kustomization: the result is the
// edited kustomization, so an image override meets the kustomization's own `images`
// entries exactly as Argo CD's edit would (an overlay would see already-renamed images).
import { parseDocument } from 'yaml';
import { RenderOptionsError } from './errors.ts';
import type { KustomizeOptions } from './types.ts';

export interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

export function hasKustomizeEdits(options: KustomizeOptions | undefined): options is KustomizeOptions {
  if (!options) return false;
  return Boolean(options.namePrefix || options.nameSuffix || (options.images?.length ?? 0) > 0 || Object.keys(options.commonLabels ?? {}).length > 0);
}

export function editKustomization(text: string, file: string, options: KustomizeOptions): string {
  let document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new RenderOptionsError(`${file}: cannot parse to apply kustomize options: ${document.errors[0].message}`);
  }
  if (document.contents === null) document = parseDocument('{}');
  const current = asRecord(document.toJS());
  if (options.namePrefix) document.set('namePrefix', options.namePrefix);
  if (options.nameSuffix) document.set('nameSuffix', options.nameSuffix);
  if (options.images?.length) document.set('images', mergeImages(Array.isArray(current.images) ? current.images : [], options.images));
  if (options.commonLabels && Object.keys(options.commonLabels).length > 0) {
    const existing = asRecord(current.commonLabels);
    for (const [key, value] of Object.entries(options.commonLabels)) {
      if (key in existing && !options.forceCommonLabels) {
        throw new RenderOptionsError(
          `${file} already sets commonLabels "${key}"; set forceCommonLabels to override it, as with kustomize edit add label --force`,
        );
      }
      existing[key] = value;
    }
    document.set('commonLabels', existing);
  }
  return document.toString();
}

/** `kustomize edit set image` syntax: `[name=]newName[:tag][@digest]`, or `name:tag` to retag only. */
export function parseImageOverride(spec: string): ImageOverride {
  const equals = spec.indexOf('=');
  let rest = equals === -1 ? spec : spec.slice(equals + 1);
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let newTag: string | undefined;
  const colon = rest.lastIndexOf(':');
  // A colon before the last slash is a registry port (`registry:5000/app`), not a tag.
  if (colon > rest.lastIndexOf('/')) {
    newTag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const name = equals === -1 ? rest : spec.slice(0, equals);
  if (!name || (equals !== -1 && !rest && !newTag && !digest)) {
    throw new RenderOptionsError(`image override "${spec}" is not [name=]newName[:tag][@digest]`);
  }
  const override: ImageOverride = { name };
  if (equals !== -1 && rest) override.newName = rest;
  if (newTag) override.newTag = newTag;
  if (digest) override.digest = digest;
  return override;
}

function mergeImages(existing: unknown[], specs: string[]): unknown[] {
  const images = existing.map((entry) => ({ ...asRecord(entry) }));
  for (const override of specs.map(parseImageOverride)) {
    const entry = images.find((image) => image.name === override.name);
    if (!entry) {
      images.push({ ...override });
      continue;
    }
    if (override.newName) entry.newName = override.newName;
    // A tag and a digest exclude each other; the override's choice replaces the old one.
    if (override.newTag) {
      entry.newTag = override.newTag;
      delete entry.digest;
    }
    if (override.digest) {
      entry.digest = override.digest;
      delete entry.newTag;
    }
  }
  return images;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
}
