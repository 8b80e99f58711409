// Source type as Argo CD decides it: an explicit options section wins (and two of them
// conflict); otherwise a kustomization file makes it Kustomize, even next to a Chart.yaml,
// then Chart.yaml makes it Helm, and anything else is a directory of manifests.
import { join } from 'node:path';
import { RenderOptionsError } from './errors.ts';
import { isFile } from './paths.ts';
import type { RenderRequest, SourceType } from './types.ts';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export async function detectSourceType(dir: string, request: RenderRequest): Promise<SourceType> {
  const explicit = explicitType(request);
  if (explicit) return explicit;
  if (await findKustomization(dir)) return 'kustomize';
  if (await isFile(join(dir, 'Chart.yaml'))) return 'helm';
  return 'directory';
}

export async function findKustomization(dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    if (await isFile(join(dir, name))) return name;
  }
  return undefined;
}

function explicitType(request: RenderRequest): SourceType | undefined {
  const given = (['kustomize', 'helm', 'directory'] as const).filter((type) => request[type] !== undefined);
  if (given.length > 1) {
    throw new RenderOptionsError(`multiple application sources defined: ${given.join(', ')}; keep the options of one source type`);
  }
  return given[0];
}
