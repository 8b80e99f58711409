// The registry's argocd-rbac-cm read as the API will read it (rbacConfigFromData), when the
// registry is loaded: a policy line that cannot be read fails the config push, pointing at the
// line of the file to edit, instead of leaving the API to refuse everything later. The API
// keeps its own reading (from-registry.ts fails closed) for a registry stored before this check.
import type { RegistryDocument } from '../config/documents.ts';
import type { RegistryProblem } from '../config/errors.ts';
import { objectLabel } from '../config/problems.ts';
import { RBAC_CONFIGMAP, rbacConfigFromData, type RbacProblem } from './config.ts';

/** Whether a (valid) v1 ConfigMap document is the RBAC policy. */
export function isRbacConfigMap(value: { kind?: unknown; metadata?: { name?: unknown } }): boolean {
  return value.kind === 'ConfigMap' && value.metadata?.name === RBAC_CONFIGMAP;
}

/** The policy's problems, each at the file line it comes from; `text` is the file's text. */
export function rbacDocumentProblems(document: RegistryDocument, data: Record<string, string>, text: string): RegistryProblem[] {
  const { problems } = rbacConfigFromData(data);
  const lines = text.split('\n');
  const object = objectLabel(document);
  return problems.map((problem) => ({
    file: document.file,
    line: sourceLine(problem, document, data, lines),
    object,
    ...(problem.key ? { field: `data.${problem.key}` } : {}),
    message: problem.message,
  }));
}

/**
 * The file line of a problem: the key's line, or for a CSV line inside a block scalar
 * (`policy.csv: |`) the line holding that text, looked for where a literal block puts it
 * first (key line + n) and else from the key onwards; the key's line when it is not found
 * (a quoted scalar with `\n` escapes).
 */
function sourceLine(problem: RbacProblem, document: RegistryDocument, data: Record<string, string>, lines: string[]): number {
  if (!problem.key) return document.lineOf(['data']);
  const keyLine = document.lineOf(['data', problem.key]);
  const csv = problem.line === undefined ? undefined : data[problem.key]?.split('\n')[problem.line - 1]?.trim();
  if (!csv || problem.line === undefined) return keyLine;
  const at = (line: number) => lines[line - 1]?.trim();
  if (at(keyLine + problem.line) === csv) return keyLine + problem.line;
  for (let line = keyLine; line <= lines.length; line++) if (at(line)?.endsWith(csv)) return line;
  return keyLine;
}
