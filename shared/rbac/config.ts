// The RBAC policy as the registry keeps it: Argo CD's `argocd-rbac-cm` ConfigMap accepted as
// it is (in any file of the registry folder, e.g. driftless/rbac.yaml): `policy.csv` plus any
// `policy.<name>.csv` overlays (appended in key order, as Argo CD does), `policy.default`,
// `scopes` (`[groups, email]`) and `policy.matchMode` (`glob` or `regex`). Parsed when the
// registry is read, so a bad line fails the config push with its file and line.
import { RbacPolicyError } from './errors.ts';

export const RBAC_CONFIGMAP = 'argocd-rbac-cm';

export type PolicyRule =
  { type: 'p'; subject: string; resource: string; action: string; object: string; effect: 'allow' | 'deny' } | { type: 'g'; subject: string; role: string };

export interface RbacConfig {
  rules: PolicyRule[];
  /** The role every signed-in user has; absent: none (Argo CD's `policy.default` unset). */
  defaultRole?: string;
  /** The claims whose values are the user's groups; absent: DEFAULT_SCOPES. */
  scopes?: string[];
  matchMode: 'glob' | 'regex';
  /** Where it was read from. */
  definedIn?: { file: string; line?: number };
}

export interface RbacProblem {
  message: string;
  /** The ConfigMap key it concerns (`policy.csv`, an overlay, `policy.matchMode`). */
  key?: string;
  /** 1-based line inside that key's value (`policy.csv` or the overlay). */
  line?: number;
}

/** The ConfigMap's `data` → the config, or the problems with it (each naming the key and line). */
export function rbacConfigFromData(data: Record<string, string>, definedIn?: RbacConfig['definedIn']): { config?: RbacConfig; problems: RbacProblem[] } {
  const problems: RbacProblem[] = [];
  const rules: PolicyRule[] = [];
  const keys = [
    'policy.csv',
    ...Object.keys(data)
      .filter((key) => /^policy\..+\.csv$/.test(key) && key !== 'policy.csv')
      .sort(),
  ];
  for (const key of keys) {
    const text = data[key];
    if (text === undefined) continue;
    for (const [index, raw] of text.split('\n').entries()) {
      try {
        const rule = parsePolicyLine(raw);
        if (rule) rules.push(rule);
      } catch (error) {
        problems.push({ message: `${key} line ${index + 1}: ${(error as Error).message}`, key, line: index + 1 });
      }
    }
  }
  const matchMode = (data['policy.matchMode'] ?? 'glob').trim() || 'glob';
  if (matchMode !== 'glob' && matchMode !== 'regex')
    problems.push({ message: `policy.matchMode must be glob or regex, got "${matchMode}"`, key: 'policy.matchMode' });
  const defaultRole = data['policy.default']?.trim() || undefined;
  const scopes = data.scopes === undefined ? undefined : parseScopes(data.scopes);
  if (problems.length > 0) return { problems };
  return {
    config: {
      rules,
      ...(defaultRole ? { defaultRole } : {}),
      ...(scopes ? { scopes } : {}),
      matchMode: matchMode as RbacConfig['matchMode'],
      ...(definedIn ? { definedIn } : {}),
    },
    problems,
  };
}

/** Throws RbacPolicyError when some line is wrong: for policies given directly (tests, local mode). */
export function parseRbacConfig(data: Record<string, string>): RbacConfig {
  const { config, problems } = rbacConfigFromData(data);
  if (!config) throw new RbacPolicyError(`${RBAC_CONFIGMAP}: ${problems.map((problem) => problem.message).join('; ')}`);
  return config;
}

/** One CSV line: `p, subject, resource, action, object, effect` or `g, subject, role`; blank and `#` lines are nothing. */
export function parsePolicyLine(line: string): PolicyRule | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const fields = splitCsv(trimmed);
  const [type, ...rest] = fields;
  if (type === 'p') {
    if (rest.length !== 5) throw new RbacPolicyError(`a p line has 5 fields after p (subject, resource, action, object, effect), this one has ${rest.length}`);
    const [subject, resource, action, object, effect] = rest;
    if (effect !== 'allow' && effect !== 'deny') throw new RbacPolicyError(`the effect must be allow or deny, got "${effect}"`);
    if (!subject || !resource || !action || !object) throw new RbacPolicyError('empty field');
    return { type: 'p', subject, resource, action, object, effect };
  }
  if (type === 'g') {
    if (rest.length !== 2 || !rest[0] || !rest[1]) throw new RbacPolicyError(`a g line is g, subject, role; this one has ${rest.length} fields after g`);
    return { type: 'g', subject: rest[0], role: rest[1] };
  }
  throw new RbacPolicyError(`a line starts with p or g, this one with "${type}"`);
}

/** Comma-separated, fields trimmed, double quotes around a field that holds a comma (`"a, b"`; `""` is a quote). */
function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        current += char;
      }
    } else if (char === '"' && current.trim() === '') {
      quoted = true;
      current = '';
    } else if (char === ',') {
      fields.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (quoted) throw new RbacPolicyError('a quoted field is not closed');
  fields.push(current.trim());
  return fields;
}

/** `[groups, email]`, `groups,email` or `["groups"]` → the claim names. */
export function parseScopes(text: string): string[] {
  return text
    .trim()
    .replace(/^\[/, '')
    .replace(/\]$/, '')
    .split(',')
    .map((scope) => scope.trim().replace(/^["']|["']$/g, ''))
    .filter((scope) => scope !== '');
}
