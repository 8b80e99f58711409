// The matrix generator: every parameter set of the first child combined with every one of the
// second, which may use the first's parameters in its own fields (a git generator whose path
// comes from a list element): the second child's fields are rendered with each of the first's
// parameter sets (skipped for an empty one, as Argo CD does) before it runs. Combining:
// fasttemplate sets are joined and a key both hold with different values is an error (Argo
// CD's CombineStringMaps); goTemplate sets are merged, the first child's values winning.
// The children's own templates are ignored, as in Argo CD; the matrix's own is not.
import { AppSetInputError } from '../errors.ts';
import { MAX_PARAMETER_SETS, tooMany } from '../limits.ts';
import { goValueString, mergeParams } from '../params.ts';
import { compileTemplate, renderTemplate } from '../render-template.ts';
import type { Params } from '../types.ts';
import type { GeneratorContext, MatrixGenerator } from './context.ts';
import { evaluateEntry, generatorType } from './evaluate.ts';

export async function matrixParams(matrix: MatrixGenerator, where: string, context: GeneratorContext): Promise<Params[]> {
  const [first, second] = matrix.generators;
  const firstParams = await evaluateEntry(first, `${where}.generators[0]`, context);
  if (firstParams.length === 0) return [];
  const secondWhere = `${where}.generators[1]`;
  const type = generatorType(second);
  const { template: _ignored, ...fields } = second[type] as Record<string, unknown>;
  let secondParams: Params[][];
  if (!JSON.stringify(fields).includes('{{')) {
    // Nothing in the second child reads the first's parameters: it yields the same sets for
    // every one of them, so it runs once.
    const once = await evaluateEntry(second, secondWhere, context);
    secondParams = firstParams.map(() => once);
  } else {
    // One compile for every first parameter set; with goTemplate, one batch for all of them.
    const compiled = compileTemplate(fields, context.set.goTemplate);
    const filled = firstParams.filter((params) => Object.keys(params).length > 0);
    const bodies = await renderTemplate(compiled, filled, context.set.goTemplate, context.render).catch((error: unknown) => {
      if (error instanceof AppSetInputError) throw new AppSetInputError(`${secondWhere} (${type}): ${error.message}`, { cause: error });
      throw error;
    });
    let cursor = 0;
    // Concurrently, so that the second children's own batches (values) share helm runs.
    secondParams = await Promise.all(
      firstParams.map((params) => evaluateEntry(second, secondWhere, context, Object.keys(params).length > 0 ? bodies[cursor++] : fields)),
    );
  }
  // Counted before it is built: a product of two large children must not fill the worker's memory.
  const size = secondParams.reduce((total, params) => total + params.length, 0);
  if (size > MAX_PARAMETER_SETS) throw new AppSetInputError(tooMany(size));
  const out: Params[] = [];
  firstParams.forEach((a, index) => {
    for (const b of secondParams[index]) out.push(context.set.goTemplate ? mergeParams(b, a) : combine(a, b));
  });
  return out;
}

function combine(a: Params, b: Params): Params {
  const out: Params = {};
  for (const params of [a, b]) {
    for (const [key, value] of Object.entries(params)) {
      const text = goValueString(value);
      if (!Object.hasOwn(out, key)) out[key] = text;
      else if (out[key] !== text) {
        throw new AppSetInputError(
          `both generators set the parameter "${key}", to "${String(out[key])}" and "${text}": rename one (e.g. with the git generator's pathParamPrefix)`,
        );
      }
    }
  }
  return out;
}
