// Registry files → documents, each able to say on which line a field sits, so a problem found
// later (by zod or by a cross-check) points at the exact line to edit. JSON goes through the
// YAML parser too: it is YAML, and so gets line numbers for free.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import { yamlErrorDetail } from '../render/parse.ts';
import type { RegistryProblem } from './errors.ts';

export type FieldPath = ReadonlyArray<string | number>;

export interface RegistryDocument {
  file: string;
  /** 1-based position in the file, counting empty documents. */
  index: number;
  /** Line where the document's content starts. */
  line: number;
  value: unknown;
  /** Line of the field (its key, for a map entry), else of the nearest enclosing one that exists. */
  lineOf(path: FieldPath): number;
}

export function parseRegistryFile(file: string, text: string): { documents: RegistryDocument[]; problems: RegistryProblem[] } {
  const lineCounter = new LineCounter();
  // YAML 1.1 as go-yaml reads it, so `yes` or `0644` mean what they mean to Argo CD.
  const parsed = parseAllDocuments(text, { version: '1.1', lineCounter, prettyErrors: true });
  const documents: RegistryDocument[] = [];
  const problems: RegistryProblem[] = [];
  for (const [position, document] of parsed.entries()) {
    const error = document.errors[0];
    if (error) {
      problems.push({ file, line: error.linePos?.[0].line, object: `document ${position + 1}`, message: `cannot parse: ${yamlErrorDetail(error)}` });
      // The rest of the file cannot be trusted to be split into the documents meant.
      break;
    }
    if (document.contents === null) continue;
    const lineAt = (offset: number) => lineCounter.linePos(offset).line;
    const start = lineAt(document.contents.range?.[0] ?? document.range[0]);
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (cause) {
      problems.push({ file, line: start, object: `document ${position + 1}`, message: `cannot parse: ${(cause as Error).message}` });
      continue;
    }
    // A document of only comments, as kubectl and Argo CD read it: nothing.
    if (value === null || value === undefined) continue;
    documents.push({
      file,
      index: position + 1,
      line: start,
      value,
      lineOf: (path) => lineOfPath(document, path, lineAt) ?? start,
    });
  }
  return { documents, problems };
}

function lineOfPath(document: Document.Parsed, path: FieldPath, lineAt: (offset: number) => number): number | undefined {
  let node: unknown = document.contents;
  let line: number | undefined = lineOfNode(node, lineAt);
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === step);
      if (!pair) break;
      line = lineOfNode(pair.key, lineAt) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step];
      if (node === undefined) break;
      line = lineOfNode(node, lineAt) ?? line;
    } else {
      break;
    }
  }
  return line;
}

function lineOfNode(node: unknown, lineAt: (offset: number) => number): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? lineAt(range[0]) : undefined;
}
