import type { SourceLocation } from './types.ts';

/** `apps/web/deploy.yaml (document 2, line 14)`: how errors point at a source. */
export function formatLocation(source: SourceLocation): string {
  const line = source.line === undefined ? '' : `, line ${source.line}`;
  return `${source.file} (document ${source.document}${line})`;
}
