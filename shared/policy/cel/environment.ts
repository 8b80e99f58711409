// The one CEL environment every policy expression is compiled in: the variables a
// ValidatingAdmissionPolicy sees (object, oldObject, params, namespaceObject, request,
// variables) and the Kubernetes extensions. Built once: cel-js's environments are costly to make.
import { Environment } from '@marcbachmann/cel-js';
import { registerKubernetesExtensions } from './extensions.ts';

export const POLICY_VARIABLES = ['object', 'oldObject', 'params', 'namespaceObject', 'request', 'variables', 'authorizer'] as const;

let environment: Environment | undefined;

function policyEnvironment(): Environment {
  if (environment) return environment;
  const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
  for (const name of POLICY_VARIABLES) env.registerVariable(name, 'dyn');
  environment = registerKubernetesExtensions(env);
  return environment;
}

export type CompiledExpression = (activation: Record<string, unknown>) => unknown;

/** Parses `expression` once; throws the library's ParseError (with the position) when it is not CEL. */
export function compileExpression(expression: string): CompiledExpression {
  const parsed = policyEnvironment().parse(expression);
  return (activation) => parsed(activation);
}
