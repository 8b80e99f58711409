// Template + parameter sets → rendered objects, as Argo CD's deeplyReplace walks an
// Application: every string is rendered, keys of mappings too (so a parameter can name an
// annotation), anything else is copied. The template is compiled once per generator: for
// fasttemplate every parameter set is then concatenation; for goTemplate every string of every
// parameter set is collected first and rendered in ONE batch (one helm run per set).
import { compileFastTemplate, renderFastTemplate, type FastTemplate } from './fast-template.ts';
import type { StringRenderer, TemplateRequest } from './render-strings.ts';
import type { Params } from './types.ts';

type Compiled =
  | { kind: 'string'; source: string; fast: FastTemplate }
  | { kind: 'list'; items: Compiled[] }
  | { kind: 'map'; keys: Array<{ source: string; fast: FastTemplate }>; values: Compiled[] }
  | { kind: 'value'; value: unknown };

export interface CompiledTemplate {
  root: Compiled;
}

/** Throws AppSetInputError for a fasttemplate string Argo CD refuses (a `{{` without `}}`); Go templates are parsed by helm. */
export function compileTemplate(template: unknown, goTemplate: boolean): CompiledTemplate {
  const compileString = (source: string) => ({ source, fast: goTemplate ? source : compileFastTemplate(source) });
  const compile = (value: unknown): Compiled => {
    if (typeof value === 'string') return { kind: 'string', ...compileString(value) };
    if (Array.isArray(value)) return { kind: 'list', items: value.map(compile) };
    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      return { kind: 'map', keys: entries.map(([key]) => compileString(key)), values: entries.map(([, item]) => compile(item)) };
    }
    return { kind: 'value', value };
  };
  return { root: compile(template) };
}

/** One object per parameter set, in order. */
export async function renderTemplate(
  template: CompiledTemplate,
  paramSets: readonly Params[],
  goTemplate: boolean,
  render: StringRenderer,
): Promise<unknown[]> {
  if (!goTemplate) return paramSets.map((params) => buildFast(template.root, params));
  const requests: TemplateRequest[] = [];
  for (const params of paramSets) collect(template.root, params, requests);
  const texts = await render(requests);
  let cursor = 0;
  const next = () => texts[cursor++];
  return paramSets.map(() => build(template.root, next));
}

function buildFast(node: Compiled, params: Params): unknown {
  switch (node.kind) {
    case 'string':
      return renderFastTemplate(node.fast, params);
    case 'list':
      return node.items.map((item) => buildFast(item, params));
    case 'map': {
      const out: Record<string, unknown> = {};
      node.keys.forEach((key, index) => {
        out[renderFastTemplate(key.fast, params)] = buildFast(node.values[index], params);
      });
      return out;
    }
    case 'value':
      return node.value;
  }
}

// collect and build walk the tree in the same order: values before their key, as deeplyReplace.
function collect(node: Compiled, params: Params, requests: TemplateRequest[]): void {
  switch (node.kind) {
    case 'string':
      requests.push({ template: node.source, params });
      return;
    case 'list':
      for (const item of node.items) collect(item, params, requests);
      return;
    case 'map':
      node.keys.forEach((key, index) => {
        collect(node.values[index], params, requests);
        requests.push({ template: key.source, params });
      });
      return;
    case 'value':
      return;
  }
}

function build(node: Compiled, next: () => string): unknown {
  switch (node.kind) {
    case 'string':
      return next();
    case 'list':
      return node.items.map((item) => build(item, next));
    case 'map': {
      const out: Record<string, unknown> = {};
      node.values.forEach((value) => {
        const built = build(value, next);
        out[next()] = built;
      });
      return out;
    }
    case 'value':
      return node.value;
  }
}
