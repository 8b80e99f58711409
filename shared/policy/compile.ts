// A policy's CEL, parsed once per policy (kept while the policy object lives), and the list
// of expressions that do not parse, for the registry to report at file and line.
import { compileExpression, type CompiledExpression } from './cel/environment.ts';
import type { AdmissionPolicy } from './types.ts';

export interface CompiledPolicy {
  matchConditions: Array<{ name: string; expression: string; run: CompiledExpression }>;
  variables: Array<{ name: string; run: CompiledExpression }>;
  validations: Array<{ expression: string; message?: string; run: CompiledExpression; message$?: CompiledExpression }>;
}

/** Where in the policy document an expression sits, and why it does not compile. */
export interface ExpressionProblem {
  field: Array<string | number>;
  message: string;
}

const compiled = new WeakMap<AdmissionPolicy, CompiledPolicy>();

/** Throws the parse error of the first bad expression; the registry refuses such a policy when it loads (expressionProblems). */
export function compilePolicy(policy: AdmissionPolicy): CompiledPolicy {
  const cached = compiled.get(policy);
  if (cached) return cached;
  const result: CompiledPolicy = {
    matchConditions: policy.matchConditions.map(({ name, expression }) => ({ name, expression, run: compileExpression(expression) })),
    variables: policy.variables.map(({ name, expression }) => ({ name, run: compileExpression(expression) })),
    validations: policy.validations.map(({ expression, message, messageExpression }) => ({
      expression,
      message,
      run: compileExpression(expression),
      message$: messageExpression === undefined ? undefined : compileExpression(messageExpression),
    })),
  };
  compiled.set(policy, result);
  return result;
}

export function expressionProblems(policy: AdmissionPolicy): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  const check = (field: Array<string | number>, expression: string) => {
    try {
      compileExpression(expression);
    } catch (error) {
      problems.push({ field, message: `is not valid CEL: ${firstLine((error as Error).message)}` });
    }
  };
  policy.matchConditions.forEach(({ expression }, index) => check(['spec', 'matchConditions', index, 'expression'], expression));
  policy.variables.forEach(({ expression }, index) => check(['spec', 'variables', index, 'expression'], expression));
  policy.validations.forEach(({ expression, messageExpression }, index) => {
    check(['spec', 'validations', index, 'expression'], expression);
    if (messageExpression !== undefined) check(['spec', 'validations', index, 'messageExpression'], messageExpression);
  });
  return problems;
}

export function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
