// Builders for the infra tests: the stack synthesized without bundling (the handlers' code is
// not what these tests are about), and readers that turn the template into plain facts.
import { App, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { DriftlessContext } from '../../infra/context.ts';
import { DriftlessStack } from '../../infra/stack.ts';
import type { DriftlessProps } from '../../infra/driftless.ts';

export const STUB_ENTRY = 'test/infra/fixtures/handler.ts';
export const STUB_ENTRIES = { webhook: STUB_ENTRY, worker: STUB_ENTRY, driftScan: STUB_ENTRY };

export const BASE_SETTINGS: DriftlessContext = {
  configRepoUrl: 'https://github.com/acme/platform-config',
  clusters: [{ name: 'dev', namespaces: ['apps'] }],
};

export interface Synthesized {
  app: App;
  stack: DriftlessStack;
  template: Template;
}

export function synthStack(settings: Partial<DriftlessContext> = {}, options: { env?: Environment; context?: Record<string, unknown> } = {}): Synthesized {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...options.context } });
  const stack = new DriftlessStack(app, 'Driftless', {
    env: options.env,
    settings: { ...BASE_SETTINGS, ...settings },
    entries: STUB_ENTRIES,
  });
  return { app, stack, template: Template.fromStack(stack) };
}

export type Props = Omit<DriftlessProps, 'github' | 'entries'>;

// ---- template readers ----------------------------------------------------------------------

/** Template JSON is untyped by nature; the tests index into it freely and assert on values. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Cfn = any;

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }>;

export function resources(template: Template): Resources {
  return template.toJSON().Resources as Resources;
}

export function logicalIdOf(template: Template, type: string, idFragment: string): string {
  const ids = Object.entries(resources(template))
    .filter(([id, resource]) => resource.Type === type && id.includes(idFragment))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type} with "${idFragment}" in its id, found ${ids.join(', ') || 'none'}`);
  return ids[0];
}

/** The function whose logical id contains `fragment` (Webhook, SyncWorker, DriftScan). */
export function functionProps(template: Template, fragment: string): Record<string, Cfn> {
  return resources(template)[logicalIdOf(template, 'AWS::Lambda::Function', fragment)].Properties as Record<string, Cfn>;
}

/** Renders an intrinsic as readable text: `{ "Fn::GetAtt": ["X", "Arn"] }` → `<X.Arn>`, `{ Ref: "X" }` → `<X>`. */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const object = value as Record<string, Cfn>;
    if ('Ref' in object) return `<${object.Ref}>`;
    if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(separator);
    }
    if ('Fn::ImportValue' in object) return `<import ${render(object['Fn::ImportValue'])}>`;
  }
  return JSON.stringify(value);
}

export interface IamStatement {
  /** Logical id of the policy or role holding it. */
  source: string;
  /** Logical ids of the roles the policy is attached to (the role itself for inline policies). */
  roles: string[];
  effect: string;
  actions: string[];
  resources: string[];
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every statement of every identity policy: AWS::IAM::Policy, AWS::IAM::ManagedPolicy and roles' inline policies. */
export function iamStatements(templateJson: { Resources: Resources }): IamStatement[] {
  const statements: IamStatement[] = [];
  const push = (source: string, roles: unknown[], document: Cfn): void => {
    for (const statement of asArray(document?.Statement)) {
      statements.push({
        source,
        roles: roles.map(render),
        effect: statement.Effect,
        actions: asArray(statement.Action).map(render),
        resources: asArray(statement.Resource).map(render),
      });
    }
  };
  for (const [id, resource] of Object.entries(templateJson.Resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      push(id, asArray(props.Roles as unknown[]), props.PolicyDocument);
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of asArray(props.Policies as Cfn[])) push(id, [{ Ref: id }], policy.PolicyDocument);
    }
  }
  return statements;
}

/** `{ action: [resources] }` for one role, resources shortened by `label`. */
export function permissionsOf(statements: IamStatement[], roleFragment: string, label: (resource: string) => string): Record<string, string[]> {
  const permissions: Record<string, string[]> = {};
  for (const statement of statements.filter((s) => s.effect === 'Allow' && s.roles.some((role) => role.includes(roleFragment)))) {
    for (const action of statement.actions) {
      permissions[action] = [...new Set([...(permissions[action] ?? []), ...statement.resources.map(label)])].sort();
    }
  }
  return permissions;
}
