// Registry, targets' sync state and history, leases and delivery dedupe: one table, keyed by
// the handlers' own `pk`/`sk` scheme (shared/state/keys.ts).
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { DriftlessFunction } from './driftless-function.ts';

export type TableAccess = 'read' | 'readWrite';

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export interface StateStoreProps {
  /** Defaults to RETAIN: sync history and the registry outlive a stack replacement. */
  readonly removalPolicy?: RemovalPolicy;
  /** A customer managed key for the table. Default: the AWS owned key. */
  readonly encryptionKey?: kms.IKey;
}

export class StateStore extends Construct {
  declare readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StateStoreProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Leases, delivery dedupe records and old history entries expire on their own.
      timeToLiveAttribute: 'expiresAt',
      // By default the AWS owned key: free and invisible on the hot path. The table holds sync
      // state, never credentials (those stay in Secrets Manager); a customer managed key is for
      // whoever must control, audit or revoke access to it.
      ...(props.encryptionKey
        ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: dynamodb.TableEncryption.DEFAULT }),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      // RETAIN covers a stack deletion; this also refuses a DeleteTable by hand or by a
      // replacement CloudFormation would otherwise perform. Off only when the table is meant to
      // go with the stack (DESTROY, for throwaway stacks), which it would otherwise refuse.
      deletionProtection: props.removalPolicy !== RemovalPolicy.DESTROY,
    });
  }

  /**
   * Grants item access on the table (no index: the table has none, so no `index/*` wildcard)
   * and sets STATE_TABLE.
   */
  bind(fn: DriftlessFunction, access: TableAccess = 'readWrite'): void {
    const actions = access === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS];
    fn.allow(actions, [this.table.tableArn]);
    fn.addEnvironment('STATE_TABLE', this.table.tableName);
  }
}
