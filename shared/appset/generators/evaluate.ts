// One generator entry → its parameter sets: the entry's one generator run (after its fields
// were rendered with a matrix's first parameters, when it is a matrix's second child), then
// its post `selector` applied to each parameter set flattened, as Argo CD's Transform does.
// Failures are wrapped once, at the innermost generator, so the message names exactly the one
// that failed (`generators[0].matrix.generators[1] (git)`).
import { ApplicationSetError, AppSetInputError, GenerationFailure, GeneratorError } from '../errors.ts';
import { flattenParams } from '../params.ts';
import { GENERATOR_TYPES, type GeneratorType } from '../schema.ts';
import { matchesSelector } from '../selector.ts';
import type { Params } from '../types.ts';
import { clusterParams } from './clusters.ts';
import type { GeneratorContext, GeneratorEntry } from './context.ts';
import { gitParams } from './git.ts';
import { listParams } from './list.ts';
import { matrixParams } from './matrix.ts';
import { mergeParams } from './merge.ts';

export function generatorType(entry: GeneratorEntry): GeneratorType {
  const type = GENERATOR_TYPES.find((name) => entry[name] !== undefined);
  if (!type) throw new AppSetInputError(`no generator set (one of ${GENERATOR_TYPES.join(', ')})`);
  return type;
}

/** `where` is the entry's field path, e.g. `generators[0]`; `body` replaces the entry's generator fields (a matrix's interpolated second child). */
export async function evaluateEntry(entry: GeneratorEntry, where: string, context: GeneratorContext, body?: unknown): Promise<Params[]> {
  const type = generatorType(entry);
  const label = `${where} (${type})`;
  let params: Params[];
  try {
    params = await run(type, (body ?? entry[type]) as never, where, context);
  } catch (error) {
    if (error instanceof ApplicationSetError || error instanceof GenerationFailure) throw error;
    if (error instanceof AppSetInputError) throw new GeneratorError(context.set, label, error.message, { cause: error });
    throw new GenerationFailure(context.set, label, (error as Error).message, { cause: error });
  }
  if (!entry.selector) return params;
  return params.filter((set) => matchesSelector(entry.selector, flattenParams(set)));
}

function run(type: GeneratorType, body: never, where: string, context: GeneratorContext): Promise<Params[]> {
  switch (type) {
    case 'list':
      return Promise.resolve(listParams(body, context.set.goTemplate));
    case 'clusters':
      return clusterParams(body, context);
    case 'git':
      return gitParams(body, context);
    case 'matrix':
      return matrixParams(body, `${where}.matrix`, context);
    case 'merge':
      return mergeParams(body, `${where}.merge`, context);
  }
}
