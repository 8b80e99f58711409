import type { SourceLocation } from './types.ts';

/**
 * `apps/web/deploy.yaml (document 2, line 14)`: how errors point at a source; one of several
 * sources, or a chart, is named after it (`… of spec.sources[1] (https://…)`).
 */
export function formatLocation(source: SourceLocation): string {
  const line = source.line === undefined ? '' : `, line ${source.line}`;
  const origin = source.origin === undefined ? '' : ` of ${source.origin}`;
  return `${source.file} (document ${source.document}${line})${origin}`;
}
