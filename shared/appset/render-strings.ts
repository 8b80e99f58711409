// Renders many template strings against their parameters in the set's syntax: fasttemplate
// in-process, or Go text/template + Sprig through b2's renderGoTemplates, one helm run for the
// whole batch. Callers collect every string they need first (all of a template's strings for
// all parameter sets, all of a generator's `values` for all clusters) and call once.
import { AppSetInputError } from './errors.ts';
import { replaceFast } from './fast-template.ts';
import type { Params } from './types.ts';

export interface TemplateRequest {
  template: string;
  params: Params;
}

/** b2's `renderGoTemplates` (shared/appset/go-template.ts). */
export type RenderGoTemplates = (requests: TemplateRequest[], options: { goTemplateOptions: string[] }) => Promise<Array<{ text: string } | { error: string }>>;

/** Renders a batch; throws AppSetInputError naming the first string that does not render. */
export type StringRenderer = (requests: TemplateRequest[]) => Promise<string[]>;

export interface SyntaxOptions {
  goTemplate: boolean;
  goTemplateOptions: string[];
  /** Go template engine; b2's renderGoTemplates unless given (tests, benchmarks). */
  renderGoTemplates?: RenderGoTemplates;
}

export function stringRenderer(options: SyntaxOptions): StringRenderer {
  if (!options.goTemplate) return (requests) => Promise.resolve(requests.map((request) => replaceFast(request.template, request.params)));
  // Calls made together (the generators of one set, a matrix's second children) are gathered
  // until the event loop turns and rendered in one batch: one helm run, however many callers.
  let queue: Array<{ requests: TemplateRequest[]; resolve(texts: string[]): void; reject(error: unknown): void }> = [];
  const flush = async (): Promise<void> => {
    const batch = queue;
    queue = [];
    const all = batch.flatMap((call) => call.requests);
    let results: Array<{ text: string } | { error: string }>;
    try {
      const render = options.renderGoTemplates ?? (await loadGoTemplates());
      results = await render(all, { goTemplateOptions: options.goTemplateOptions });
    } catch (error) {
      for (const call of batch) call.reject(error);
      return;
    }
    let offset = 0;
    for (const call of batch) {
      const own = results.slice(offset, offset + call.requests.length);
      offset += call.requests.length;
      const failed = own.findIndex((result) => 'error' in result);
      if (failed >= 0) {
        const result = own[failed] as { error: string };
        call.reject(new AppSetInputError(`template ${JSON.stringify(call.requests[failed].template)} does not render: ${result.error}`));
      } else call.resolve(own.map((result) => (result as { text: string }).text));
    }
  };
  const renderBatched = (requests: TemplateRequest[]): Promise<string[]> =>
    new Promise((resolve, reject) => {
      if (queue.length === 0) setImmediate(() => void flush());
      queue.push({ requests, resolve, reject });
    });
  return async (requests) => {
    const out: string[] = new Array<string>(requests.length);
    // A string without `{{` is its own rendering in Go's text/template: not worth a helm run.
    const pending: TemplateRequest[] = [];
    const positions: number[] = [];
    requests.forEach((request, index) => {
      if (request.template.includes('{{')) {
        pending.push(request);
        positions.push(index);
      } else out[index] = request.template;
    });
    if (pending.length === 0) return out;
    const texts = await renderBatched(pending);
    texts.forEach((text, index) => (out[positions[index]] = text));
    return out;
  };
}

// Loaded when first needed, so fasttemplate sets never touch the helm-backed module.
async function loadGoTemplates(): Promise<RenderGoTemplates> {
  return (await import('./go-template.ts')).renderGoTemplates;
}
