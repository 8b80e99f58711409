// Argo CD's default template syntax (valyala/fasttemplate with `{{` and `}}`, as Argo CD's
// Render.Replace drives it), compiled once per template string so that rendering a thousand
// parameter sets is string concatenation, never re-parsing:
// - a string with no `{{…}}` on one line is left exactly as written (Argo CD checks
//   `.*{{.*}}.*` first, and Go's `.` does not cross a newline);
// - otherwise every `{{` must have a `}}` after it, or the template is refused ("invalid
//   template"), as fasttemplate refuses it;
// - a tag is looked up with surrounding white space trimmed (`{{ name }}` is `{{name}}`); a
//   tag that is empty, unknown, or whose parameter is not a string (fasttemplate parameters
//   are flat strings) is written back as it was, `{{ tag }}` included.
import { AppSetInputError } from './errors.ts';
import type { Params } from './types.ts';

/** A compiled string: itself when it holds no tag, else text and tags interleaved. */
export type FastTemplate = string | CompiledTags;

interface CompiledTags {
  /** texts.length === tags.length + 1: texts[0] tags[0] texts[1] … */
  texts: string[];
  /** Tags as written between the braces (white space kept, for writing an unknown one back). */
  tags: string[];
  /** The same tags trimmed: the parameter names looked up. */
  keys: string[];
}

const START = '{{';
const END = '}}';
// Go's regexp `.` matches anything but "\n".
const TEMPLATED = /\{\{[^\n]*\}\}/;

/** Throws AppSetInputError on a `{{` without its `}}`. */
export function compileFastTemplate(template: string): FastTemplate {
  if (!TEMPLATED.test(template)) return template;
  const texts: string[] = [];
  const tags: string[] = [];
  let rest = 0;
  for (;;) {
    const start = template.indexOf(START, rest);
    if (start < 0) {
      texts.push(template.slice(rest));
      break;
    }
    texts.push(template.slice(rest, start));
    const end = template.indexOf(END, start + START.length);
    if (end < 0) {
      throw new AppSetInputError(
        `invalid template: cannot find end tag "${END}" in the template ${JSON.stringify(template)} starting from ${JSON.stringify(template.slice(start + START.length))}`,
      );
    }
    tags.push(template.slice(start + START.length, end));
    rest = end + END.length;
  }
  return { texts, tags, keys: tags.map((tag) => tag.trim()) };
}

export function renderFastTemplate(template: FastTemplate, params: Params): string {
  if (typeof template === 'string') return template;
  let out = template.texts[0];
  for (let i = 0; i < template.tags.length; i++) {
    const key = template.keys[i];
    const value = key === '' || !Object.hasOwn(params, key) ? undefined : params[key];
    out += typeof value === 'string' ? value : `${START}${template.tags[i]}${END}`;
    out += template.texts[i + 1];
  }
  return out;
}

/** Compile and render at once, for strings rendered once (a generator's own fields, `values`). */
export function replaceFast(template: string, params: Params): string {
  return renderFastTemplate(compileFastTemplate(template), params);
}
