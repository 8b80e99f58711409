// Each function reaches only the partition keys it uses: the pk prefixes shared/state/keys.ts
// builds, enforced by IAM's dynamodb:LeadingKeys condition.
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_TABLE_KEYS, type TableKeyGrant } from '../../infra/constructs/table-keys.ts';
import * as keys from '../../shared/state/keys.ts';
import { deliveryKey, headKey, leaseKey, REGISTRY_HEAD_KEY, rolloutKey, targetKey } from '../../shared/state/keys.ts';
import { SCHEMA_KEY } from '../../shared/state/schema.ts';
import { type Cfn, render, resources, synthStack } from './support.ts';

interface KeyedStatement {
  actions: string[];
  keys: string[] | undefined;
  conditionOperator: string | undefined;
}

/** The role's statements on the state table, with the LeadingKeys patterns each is bound to. */
function tableStatements(template: ReturnType<typeof synthStack>['template'], roleFragment: string): KeyedStatement[] {
  const out: KeyedStatement[] = [];
  for (const resource of Object.values(resources(template))) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const props = resource.Properties as Cfn;
    if (!(props.Roles as unknown[]).map(render).some((role) => role.includes(roleFragment))) continue;
    for (const statement of props.PolicyDocument.Statement as Cfn[]) {
      const targets = ([] as unknown[]).concat(statement.Resource).map(render);
      if (!targets.some((target) => /^<DriftlessStateTable\w+\.Arn>$/.test(target))) continue;
      const operator = statement.Condition ? Object.keys(statement.Condition)[0] : undefined;
      out.push({
        actions: ([] as string[]).concat(statement.Action).sort(),
        keys: operator ? ([] as string[]).concat(statement.Condition[operator]['dynamodb:LeadingKeys']).sort() : undefined,
        conditionOperator: operator,
      });
    }
  }
  return out;
}

/** IAM StringLike: `*` any run of characters, `?` one. */
function stringLike(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );
  return regex.test(value);
}

/** Whether `role` may do `action` on an item with partition key `pk`, as IAM would decide from these statements. */
function allows(statements: KeyedStatement[], action: string, pk: string): boolean {
  return statements.some(
    (statement) => statement.actions.includes(action) && (statement.keys === undefined || statement.keys.some((key) => stringLike(key, pk))),
  );
}

const target = { app: 'shop', cluster: 'prod' };
const PK = {
  target: targetKey(target).pk,
  lease: leaseKey(target).pk,
  delivery: deliveryKey('72d3162e-cc78-11e3-81ab-4c9367dc0958').pk,
  registry: REGISTRY_HEAD_KEY.pk,
  head: headKey('https://github.com/acme/shop', 'main').pk,
  rollout: rolloutKey('guestbook').pk,
};

describe('state table access by partition key', () => {
  let template: ReturnType<typeof synthStack>['template'];
  beforeAll(() => {
    template = synthStack().template;
  });

  it('binds every keyed action of every function to LeadingKeys with ForAllValues:StringLike', () => {
    for (const role of ['WebhookHandlerRole', 'SyncWorkerRole', 'DriftScanHandlerRole']) {
      const statements = tableStatements(template, role);
      expect(statements.length, role).toBeGreaterThan(0);
      for (const statement of statements) {
        // Only item-less actions go without a key condition.
        if (statement.keys === undefined) {
          expect(
            statement.actions.filter((action) => !['dynamodb:DescribeTable', 'dynamodb:Scan'].includes(action)),
            role,
          ).toEqual([]);
        } else {
          expect(statement.conditionOperator, role).toBe('ForAllValues:StringLike');
        }
      }
    }
  });

  it('lets the webhook read the registry, write deliveries and requests, and nothing of leases or heads', () => {
    const webhook = tableStatements(template, 'WebhookHandlerRole');
    expect(allows(webhook, 'dynamodb:GetItem', PK.registry)).toBe(true);
    expect(allows(webhook, 'dynamodb:PutItem', PK.delivery)).toBe(true);
    expect(allows(webhook, 'dynamodb:DeleteItem', PK.delivery)).toBe(true);
    expect(allows(webhook, 'dynamodb:UpdateItem', PK.target)).toBe(true);
    expect(allows(webhook, 'dynamodb:PutItem', PK.registry)).toBe(false);
    expect(allows(webhook, 'dynamodb:UpdateItem', PK.lease)).toBe(false);
    expect(allows(webhook, 'dynamodb:GetItem', PK.lease)).toBe(false);
    expect(allows(webhook, 'dynamodb:GetItem', PK.head)).toBe(false);
    expect(allows(webhook, 'dynamodb:Scan', PK.target)).toBe(false);
  });

  it('lets the drift scan list the targets, read the registry, write heads and missed-push requests, and nothing of leases or deliveries', () => {
    const scan = tableStatements(template, 'DriftScanHandlerRole');
    expect(allows(scan, 'dynamodb:Scan', PK.target)).toBe(true);
    expect(allows(scan, 'dynamodb:GetItem', PK.registry)).toBe(true);
    expect(allows(scan, 'dynamodb:GetItem', PK.head)).toBe(true);
    expect(allows(scan, 'dynamodb:PutItem', PK.head)).toBe(true);
    expect(allows(scan, 'dynamodb:UpdateItem', PK.target)).toBe(true);
    expect(allows(scan, 'dynamodb:PutItem', PK.registry)).toBe(false);
    expect(allows(scan, 'dynamodb:UpdateItem', PK.lease)).toBe(false);
    expect(allows(scan, 'dynamodb:PutItem', PK.delivery)).toBe(false);
  });

  it('lets the worker write targets, history, leases, the registry and rollouts, and not deliveries or heads', () => {
    const worker = tableStatements(template, 'SyncWorkerRole');
    for (const pk of [PK.target, PK.lease, PK.registry]) {
      for (const action of [
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
      ]) {
        expect(allows(worker, action, pk), `${action} ${pk}`).toBe(true);
      }
    }
    // The sets' rollouts, which its rollout steps read (one Query of the partition) and write.
    for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem']) expect(allows(worker, action, PK.rollout), action).toBe(true);
    expect(allows(tableStatements(template, 'WebhookHandlerRole'), 'dynamodb:GetItem', PK.rollout)).toBe(false);
    expect(allows(tableStatements(template, 'DriftScanHandlerRole'), 'dynamodb:GetItem', PK.rollout)).toBe(false);
    expect(allows(worker, 'dynamodb:PutItem', PK.delivery)).toBe(false);
    expect(allows(worker, 'dynamodb:PutItem', PK.head)).toBe(false);
    expect(allows(worker, 'dynamodb:Scan', PK.target)).toBe(false);
  });

  it('grants every partition key the state layer builds to some function: a new item kind cannot be forgotten here', () => {
    // Each key builder of shared/state/keys.ts, called with sample arguments; the prefix is what counts.
    const built = Object.values(keys).flatMap((value) => {
      if (typeof value === 'function') return [(value as (...args: unknown[]) => { pk?: unknown })(target, '2026-01-01T00:00:00Z', 'id')];
      if (value && typeof value === 'object' && 'pk' in value) return [value as { pk: unknown }];
      return [];
    });
    const pks = [...built, SCHEMA_KEY].map((key) => key?.pk).filter((pk): pk is string => typeof pk === 'string');
    expect(pks.length).toBeGreaterThanOrEqual(6);
    const granted = Object.values(FUNCTION_TABLE_KEYS as Record<string, TableKeyGrant>).flatMap((grant) => [...grant.read, ...grant.write]);
    expect(pks.filter((pk) => !granted.some((pattern) => stringLike(pattern, pk)))).toEqual([]);
  });

  it('reads the patterns as IAM does', () => {
    expect(stringLike('TARGET#*', 'TARGET#shop@prod')).toBe(true);
    expect(stringLike('REGISTRY', 'REGISTRY')).toBe(true);
    expect(stringLike('REGISTRY', 'REGISTRY#old')).toBe(false);
    expect(stringLike('LEASE#*', 'TARGET#x')).toBe(false);
  });
});
