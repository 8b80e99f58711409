// The list generator: one parameter set per element of `elements`, then per element of
// `elementsYaml` (a YAML list in a string, as Argo CD appends it). With fasttemplate an
// element's values must be strings, and the mapping under `values` becomes `values.<key>`;
// with goTemplate the element is the parameter set as written. Argo CD appends elementsYaml's
// elements as they parse, in both syntaxes.
import { parseAllDocuments } from 'yaml';
import { AppSetInputError } from '../errors.ts';
import { isPlainObject } from '../params.ts';
import type { Params } from '../types.ts';
import type { ListGenerator } from './context.ts';

export function listParams(list: ListGenerator, goTemplate: boolean): Params[] {
  const out: Params[] = list.elements.map((element, index) => (goTemplate ? { ...element } : flatElement(element, index)));
  if (list.elementsYaml !== undefined && list.elementsYaml.trim() !== '') out.push(...yamlElements(list.elementsYaml));
  return out;
}

function flatElement(element: Record<string, unknown>, index: number): Params {
  const params: Params = {};
  for (const [key, value] of Object.entries(element)) {
    if (key === 'values') {
      if (!isPlainObject(value)) throw new AppSetInputError(`elements[${index}].values must be a mapping of strings`);
      for (const [name, item] of Object.entries(value)) params[`values.${name}`] = stringValue(item, `elements[${index}].values.${name}`);
    } else {
      params[key] = stringValue(value, `elements[${index}].${key}`);
    }
  }
  return params;
}

function stringValue(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  throw new AppSetInputError(
    `${field} is ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}, not a string: fasttemplate parameters are strings (quote it in YAML, or set goTemplate: true)`,
  );
}

function yamlElements(text: string): Params[] {
  const documents = parseAllDocuments(text, { version: '1.1' });
  const first = Array.isArray(documents) ? documents[0] : undefined;
  if (first?.errors.length) throw new AppSetInputError(`elementsYaml does not parse: ${first.errors[0].message}`);
  const value: unknown = first?.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isPlainObject)) throw new AppSetInputError('elementsYaml must be a YAML list of mappings');
  return value.map((element) => ({ ...element }));
}
