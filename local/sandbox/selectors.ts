// Label and field selectors as the API server parses them from `labelSelector=` and
// `fieldSelector=`, plus the conversion of a LabelSelector object to its string form
// (the scale subresource reports it that way).
import type { KubeObject } from '../../shared/kube/object.ts';
import { badRequest } from './status.ts';

type Requirement =
  { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | '!exists' } | { key: string; op: '=' | '!='; values: [string] };

export type Selector = (labels: Record<string, string>) => boolean;

/** Splits on commas that are not inside `( )`: `a in (x,y),b` → ["a in (x,y)", "b"]. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

const SET_TERM = /^([^\s!=()]+)\s+(in|notin)\s*\(([^)]*)\)$/;
const EQUALITY_TERM = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=()]*)$/;
const EXISTS_TERM = /^(!?)\s*([^\s!=()]+)$/;

function parseTerm(term: string): Requirement {
  let m = SET_TERM.exec(term);
  if (m)
    return {
      key: m[1],
      op: m[2] as 'in' | 'notin',
      values: m[3]
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    };
  m = EQUALITY_TERM.exec(term);
  if (m) return { key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [m[3]] };
  m = EXISTS_TERM.exec(term);
  if (m) return { key: m[2], op: m[1] ? '!exists' : 'exists' };
  throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
}

function matches(requirement: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.op) {
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case '=':
      return has && value === requirement.values[0];
    case '!=':
      return !has || value !== requirement.values[0];
    case 'in':
      return has && requirement.values.includes(value);
    case 'notin':
      return !has || !requirement.values.includes(value);
  }
}

export function parseLabelSelector(text: string | undefined): Selector {
  if (!text) return () => true;
  const requirements = splitTerms(text).map(parseTerm);
  return (labels) => requirements.every((r) => matches(r, labels));
}

/** Field selectors the sandbox supports for every kind: metadata.name and metadata.namespace. */
export function parseFieldSelector(text: string | undefined): (object: KubeObject) => boolean {
  if (!text) return () => true;
  const requirements = splitTerms(text).map((term) => {
    const m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, op, value] = m;
    if (field !== 'metadata.name' && field !== 'metadata.namespace') {
      throw badRequest(`field label not supported: ${field}`);
    }
    return { field, negate: op === '!=', value };
  });
  return (object) =>
    requirements.every(({ field, negate, value }) => {
      const actual = (field === 'metadata.name' ? object.metadata.name : object.metadata.namespace) ?? '';
      return negate ? actual !== value : actual === value;
    });
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** `{matchLabels: {app: web}}` → `app=web`, as metav1.FormatLabelSelector does. */
export function formatLabelSelector(selector: LabelSelectorObject | undefined): string {
  if (!selector) return '';
  const terms = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') terms.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') terms.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') terms.push(e.key);
    else if (e.operator === 'DoesNotExist') terms.push(`!${e.key}`);
  }
  return terms.sort().join(',');
}
