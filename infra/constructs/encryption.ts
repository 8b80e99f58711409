// The one customer managed key Driftless may encrypt its state with (table, render bucket,
// queues, alarm topic), and the use of it a function gets: what reading and writing encrypted
// items, objects and messages needs, on that key alone.
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/** Decrypt reads items, objects and messages; GenerateDataKey writes them (SQS, S3, DynamoDB envelopes). */
const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

/** Grants `grantee` the use of `key` for data, nothing that administers it. */
export function grantKeyUse(key: kms.IKey | undefined, grantee: iam.IGrantable): void {
  key?.grant(grantee, ...KEY_USE_ACTIONS);
}

/**
 * A key with yearly rotation, retained with the table and the bucket it encrypts (deleting it
 * would make them unreadable).
 */
export function createDriftlessKey(scope: Construct, id: string): kms.Key {
  return new kms.Key(scope, id, {
    description: 'Driftless: encrypts the state table, the render cache, the sync queues and the alarm topic',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
