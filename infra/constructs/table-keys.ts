// Item-level access to the state table: each function may read and write only the partition
// keys it uses (shared/state/keys.ts), enforced by IAM with the `dynamodb:LeadingKeys`
// condition, so a compromised webhook cannot rewrite a lease or the registry.
import * as iam from 'aws-cdk-lib/aws-iam';
import { grantKeyUse } from './encryption.ts';
import type { DriftlessFunction } from './driftless-function.ts';
import type { StateStore } from './state-store.ts';

/**
 * Partition-key patterns (IAM `StringLike`) of the table's item kinds, as shared/state/keys.ts
 * builds them. `REGISTRY` is a single item; the rest are prefixes followed by an id.
 */
export const TABLE_KEYS = {
  target: 'TARGET#*', // target state and its history (same pk)
  lease: 'LEASE#*',
  delivery: 'DELIVERY#*',
  registry: 'REGISTRY',
  head: 'HEAD#*',
  meta: 'META#*', // the schema version (shared/state/schema.ts)
  rollout: 'ROLLOUT', // every ApplicationSet's rollout, one item per set (shared/state/rollout-state.ts)
} as const;

export type TableKey = (typeof TABLE_KEYS)[keyof typeof TABLE_KEYS];

/** Actions that name one or more keys: each request carries its partition keys, so LeadingKeys applies. */
const KEYED_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
export const KEYED_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export interface TableKeyGrant {
  /** Keys the function reads (GetItem, Query, ...). Keys it writes are readable too (conditional writes read them). */
  readonly read: TableKey[];
  readonly write: TableKey[];
  /**
   * Keys the function only ever replaces whole, under a condition (a versioned item such as a
   * set's rollout): PutItem alone on them, no UpdateItem, DeleteItem or BatchWriteItem. Readable too.
   */
  readonly put?: TableKey[];
  /**
   * Scan reads the whole table and carries no leading key, so no key condition can bound it:
   * granted only to a function that lists every target (the drift scan), with this reason.
   */
  readonly scan?: string;
}

/** What each function touches (shared/webhook, shared/drift/plan-scans, shared/worker). */
export const FUNCTION_TABLE_KEYS = {
  // The registry to match a push, delivery dedupe, and the request on each matched target.
  webhook: { read: [TABLE_KEYS.registry], write: [TABLE_KEYS.delivery, TABLE_KEYS.target] },
  // The registry, the targets and the branch heads; a missed push is requested on its target.
  driftScan: {
    read: [TABLE_KEYS.registry],
    write: [TABLE_KEYS.target, TABLE_KEYS.head],
    scan: 'plan-scans lists every target (listTargets) once per run',
  },
  // A sync or scan: the target and its history, the lease, the registry it refreshes, the sets' rollouts it steps.
  // Its cold start also migrates the table (META#schema).
  worker: { read: [], write: [TABLE_KEYS.target, TABLE_KEYS.lease, TABLE_KEYS.registry, TABLE_KEYS.meta, TABLE_KEYS.rollout] },
} satisfies Record<string, TableKeyGrant>;

/**
 * Grants `fn` the keyed actions on exactly the partition keys in `grant` (PutItem alone on its
 * `put` keys), DescribeTable (no
 * item), Scan when asked, the table's KMS key when it has a customer-managed one, and sets
 * STATE_TABLE.
 */
export function bindTableKeys(store: StateStore, fn: DriftlessFunction, grant: TableKeyGrant): void {
  const table = store.table;
  const put = grant.put ?? [];
  const readable = [...new Set([...grant.read, ...grant.write, ...put])];
  const keyed = (actions: string[], keys: TableKey[]) =>
    new iam.PolicyStatement({
      actions,
      resources: [table.tableArn],
      // ForAllValues: every partition key the request names must match. Each action here
      // always names at least one key, so the empty-set case of ForAllValues never arises.
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys } },
    });
  fn.role.addToPrincipalPolicy(keyed(KEYED_READ_ACTIONS, readable));
  if (grant.write.length > 0) fn.role.addToPrincipalPolicy(keyed(KEYED_WRITE_ACTIONS, grant.write));
  if (put.length > 0) fn.role.addToPrincipalPolicy(keyed(['dynamodb:PutItem'], put));
  const unkeyed = grant.scan ? ['dynamodb:Scan', 'dynamodb:DescribeTable'] : ['dynamodb:DescribeTable'];
  fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: unkeyed, resources: [table.tableArn] }));
  // Decrypt and GenerateDataKey only: grantEncryptDecrypt would add ReEncrypt* and GenerateDataKey*.
  grantKeyUse(table.encryptionKey, fn.role);
  fn.addEnvironment('STATE_TABLE', table.tableName);
}
