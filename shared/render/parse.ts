// YAML text → documents with their lines. Kubernetes tools read YAML the way go-yaml v2
// does, which is YAML 1.1 (`0644` is octal 420, `yes` is true) except that timestamps stay
// strings and sexagesimal numbers do not exist; parsing the same way here keeps
// `defaultMode: 0644` meaning what kubectl and Argo CD make of it.
import { Composer, isMap, isSeq, LineCounter, Parser } from 'yaml';
import type { CST, Document, Tags, YAMLError } from 'yaml';
import { ManifestSyntaxError } from './errors.ts';
import { exceedsNestingDepth, MAX_MANIFEST_BYTES, MAX_NESTING_DEPTH, tooDeep, tooManyBytes } from './limits.ts';

export interface ParsedDocument {
  /** 1-based position in the stream, counting empty documents too. */
  index: number;
  line: number;
  /** `null` for an empty document. */
  value: unknown;
  /** `# Source: chart/templates/x.yaml`, which helm writes before each document. */
  helmSource?: string;
  itemLines?: number[];
}

/**
 * Parsed documents kept by their text, for a short-lived process that parses the same files
 * run after run (the CLI, cli/parse-cache.ts). Only complete parses without an error are
 * stored, after every limit was checked, and only of parseYamlStreamUntilError's texts (files
 * as read): a tool's output (parseYamlStream: helm, kustomize) may carry values given on a
 * command line, which must not reach a disk. The worker sets none.
 */
export interface ParseCache {
  get(text: string): ParsedDocument[] | undefined;
  set(text: string, documents: ParsedDocument[]): void;
}

let parseCache: ParseCache | undefined;

export function useParseCache(cache: ParseCache | undefined): void {
  parseCache = cache;
}

const GO_YAML_DROPPED_TAGS = new Set(['tag:yaml.org,2002:timestamp']);

function goYamlTags(tags: Tags): Tags {
  return tags.filter((tag) => typeof tag === 'string' || (!GO_YAML_DROPPED_TAGS.has(tag.tag) && tag.format !== 'TIME'));
}

/**
 * The documents before the first syntax error, and that error. Input past the render's
 * limits (size, nesting) throws a RenderLimitError instead: it is never "just not manifests".
 */
export function parseYamlStreamUntilError(text: string, file: string): { documents: ParsedDocument[]; error?: ManifestSyntaxError } {
  return parseStream(text, file, parseCache);
}

function parseStream(text: string, file: string, cache: ParseCache | undefined): { documents: ParsedDocument[]; error?: ManifestSyntaxError } {
  if (Buffer.byteLength(text, 'utf8') > MAX_MANIFEST_BYTES) throw tooManyBytes(file);
  const cached = cache?.get(text);
  if (cached) return { documents: cached };
  const lineCounter = new LineCounter();
  // One pass of the token parser, its documents checked for depth as they go by and then
  // composed: what parseAllDocuments does, without lexing the text a second time for the check.
  const tokens = new Parser(lineCounter.addNewLine).parse(text);
  const composer = new Composer({ version: '1.1', customTags: goYamlTags });
  const documents = Array.from(composer.compose(shallowDocuments(tokens, lineCounter, file)));
  const parsed: ParsedDocument[] = [];
  for (const [position, document] of documents.entries()) {
    const error = firstError(document.errors, lineCounter, file);
    if (error) return { documents: parsed, error };
    let next: ParsedDocument;
    try {
      next = toParsed(document, position + 1, lineCounter);
    } catch (cause) {
      // Aliases are only resolved here: unknown ones, or too many (a "billion laughs" document).
      const line = lineCounter.linePos(document.range[0]).line;
      return { documents: parsed, error: new ManifestSyntaxError(file, line, (cause as Error).message, { cause }) };
    }
    // Aliases can nest one deep node inside another: the text's depth does not bound the value's.
    if (exceedsNestingDepth(next.value)) throw tooDeep(file, next.line);
    parsed.push(next);
  }
  cache?.set(text, parsed);
  return { documents: parsed };
}

/**
 * Nesting measured on the parser's token tree, before the recursive composer sees it (it
 * overflows the stack near 770 levels). The token parser itself keeps an explicit stack.
 */
function* shallowDocuments(tokens: Iterable<CST.Token>, lineCounter: LineCounter, file: string): Generator<CST.Token> {
  for (const token of tokens) {
    if (token.type === 'document') assertShallow(token, lineCounter, file);
    yield token;
  }
}

function assertShallow(token: CST.Document, lineCounter: LineCounter, file: string): void {
  const pending: Array<[CST.Token | undefined, number]> = [[token.value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [CST.Token | undefined, number];
    if (!node || !('items' in node)) continue;
    if (depth + 1 > MAX_NESTING_DEPTH) throw tooDeep(file, lineCounter.linePos(node.offset).line);
    for (const item of node.items as Array<{ key?: CST.Token | null; value?: CST.Token }>) {
      if (item.key) pending.push([item.key, depth + 1]);
      pending.push([item.value, depth + 1]);
    }
  }
}

/** Throws on the first syntax error. */
export function parseYamlStream(text: string, file: string): ParsedDocument[] {
  const { documents, error } = parseStream(text, file, undefined);
  if (error) throw error;
  return documents;
}

function toParsed(document: Document.Parsed, index: number, lineCounter: LineCounter): ParsedDocument {
  const contents = document.contents;
  const offset = contents?.range?.[0] ?? document.range[0];
  const parsed: ParsedDocument = {
    index,
    line: lineCounter.linePos(offset).line,
    value: contents === null ? null : document.toJS(),
  };
  const comment = [document.commentBefore, contents?.commentBefore].find((text) => text?.includes('Source:'));
  const source = comment?.match(/^\s*Source:\s*(.+?)\s*$/m)?.[1];
  if (source) parsed.helmSource = source;
  if (isMap(contents)) {
    const items = contents.get('items', true);
    if (isSeq(items)) {
      parsed.itemLines = items.items.map((item) => {
        const start = (item as { range?: [number, number, number] }).range?.[0] ?? offset;
        return lineCounter.linePos(start).line;
      });
    }
  }
  return parsed;
}

function firstError(errors: readonly YAMLError[], lineCounter: LineCounter, file: string): ManifestSyntaxError | undefined {
  const first = errors[0];
  if (!first) return undefined;
  // The line as prettyErrors would have put it in linePos (the offset's, 1-based).
  return new ManifestSyntaxError(file, first.linePos?.[0].line ?? lineCounter.linePos(first.pos[0]).line, yamlErrorDetail(first), { cause: first });
}

/** The first line of a parser error, without the position its caller reports on its own. */
export function yamlErrorDetail(error: YAMLError): string {
  return error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
