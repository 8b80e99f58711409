// The resources finalizer of the Applications written in the registry folder. config/ reads
// `metadata.finalizers` as having no effect on a sync; it matters only when the app is
// removed, so it is read here, from the same files, and kept on the stored app.
import { parseRegistryFile } from '../config/documents.ts';
import type { RegistryFile } from '../config/load.ts';
import type { Registry } from '../config/types.ts';
import { resourcesFinalizer, type RegistryApp } from './types.ts';

export function withFinalizers(registry: Registry, files: RegistryFile[]): Registry {
  const found = new Map<string, RegistryApp['finalizer']>();
  for (const { file, text } of files) {
    // Parsing is most of a registry refresh's CPU: a file that cannot name a finalizer is not
    // parsed again (the word itself, or a double-quoted key spelling it with escapes).
    if (!text.includes('finalizers') && !text.includes('\\')) continue;
    for (const document of parseRegistryFile(file, text).documents) {
      const value = document.value as { kind?: unknown; metadata?: { name?: unknown; finalizers?: unknown } } | null;
      const finalizer = value?.kind === 'Application' ? resourcesFinalizer(value.metadata?.finalizers) : undefined;
      if (finalizer && typeof value?.metadata?.name === 'string') found.set(`${file}#${value.metadata.name}`, finalizer);
    }
  }
  if (found.size === 0) return registry;
  return {
    ...registry,
    apps: registry.apps.map((app) => {
      const finalizer = found.get(`${app.definedIn.file}#${app.name}`);
      return finalizer ? { ...app, finalizer } : app;
    }),
  };
}
