// Rendered manifests per (repo, sha, path, source options): written once by the worker that
// renders them, read by the other clusters' syncs and by the workers' drift-scan jobs. The
// workers also share fetched commits (sources/) and chart archives (charts/) through it; the
// one lifecycle rule expires those as it expires the renders.
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DriftlessFunction } from './driftless-function.ts';

export type BucketAccess = 'read' | 'readWrite';

export interface RenderCacheProps {
  /** Objects are deleted this long after they were written. Default 30 days. */
  readonly expiry?: Duration;
  /** Defaults to RETAIN: CloudFormation cannot delete a bucket that still holds objects. */
  readonly removalPolicy?: RemovalPolicy;
  /** A customer managed key for the renders (they include rendered Secrets). Default: S3 managed keys. */
  readonly encryptionKey?: kms.IKey;
}

export class RenderCache extends Construct {
  declare readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: RenderCacheProps = {}) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...(props.encryptionKey
        ? // The bucket key: one KMS call per bucket key, not one per object.
          { encryption: s3.BucketEncryption.KMS, encryptionKey: props.encryptionKey, bucketKeyEnabled: true }
        : { encryption: s3.BucketEncryption.S3_MANAGED }),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Unversioned: every object is a pure function of a commit and can be rendered again
      // from Git, so old versions would only be paid-for garbage.
      versioned: false,
      lifecycleRules: [
        {
          id: 'expire-renders',
          expiration: props.expiry ?? Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'A cache of renders reproducible from Git, reached only by the Driftless function roles; ' +
        'server access logs would cost more than the data and record nothing CloudTrail does not.',
    });
  }

  /**
   * Grants object access and sets RENDER_BUCKET: readWrite (the worker) gets GetObject and
   * PutObject on every object, its shared commits (sources/) and charts (charts/) among them;
   * read (the dashboard's API) gets GetObject on the renders alone (shared/storage/render-key.ts
   * names them renders/...), so the archives of private repositories stay the worker's.
   */
  bind(fn: DriftlessFunction, access: BucketAccess = 'read'): void {
    const pattern = access === 'read' ? 'renders/*' : '*';
    const objects = this.bucket.arnForObjects(pattern);
    // ListBucket lets a missing render answer 404 instead of 403, so a miss is told apart
    // from a permissions error.
    fn.allow(['s3:ListBucket'], [this.bucket.bucketArn]);
    fn.allow(access === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject'], [objects]);
    fn.addEnvironment('RENDER_BUCKET', this.bucket.bucketName);

    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${pattern}]`,
      reason: 'Render keys are derived from commits at run time; the grant is confined to objects of this one bucket.',
    });
  }
}
