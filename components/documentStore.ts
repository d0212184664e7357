import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DocumentStoreArgs {
    /** CMK for the documents (SSE-KMS with an S3 bucket key). Required. */
    readonly documentsKeyArn: pulumi.Input<string>;
    /** CMK for the access-log bucket; its key policy must let logging.s3.amazonaws.com generate data keys. Required. */
    readonly logKeyArn: pulumi.Input<string>;
    /** Days a superseded document version is kept. Default 365. */
    readonly noncurrentVersionExpirationDays?: number;
    /** Days before superseded versions move to STANDARD_IA. Default 30. */
    readonly noncurrentVersionTransitionDays?: number;
    /** Days access logs are kept. Default 400. */
    readonly accessLogRetentionDays?: number;
    /** Production: the documents bucket is protected against `pulumi destroy` and replacement. Default true. */
    readonly production?: boolean;
    /** Tags. Default none (provider default tags still apply). */
    readonly tags?: Record<string, string>;
}

interface SecureBucket {
    readonly bucket: aws.s3.Bucket;
    readonly versioning: aws.s3.BucketVersioning;
}

/** Prefix under which the documents bucket's server access logs land in the log bucket. */
export const ACCESS_LOG_PREFIX = "s3-access/documents/";

/** Denies any request that is not over TLS 1.2 or later (seed 4.2: encryption in transit). */
export function tlsOnlyStatements(bucketArn: string): object[] {
    const resources = [bucketArn, `${bucketArn}/*`];
    return [
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resources, Condition: { Bool: { "aws:SecureTransport": "false" } } },
        { Sid: "DenyOutdatedTls", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resources, Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } },
    ];
}

/**
 * The documents store (seed 1.3): an S3 bucket encrypted with a CMK (bucket key on), versioned,
 * private (public access block, BucketOwnerEnforced), TLS-only, with noncurrent versions aged
 * out and server access logs to a separate log bucket. Versioning and the exported name, ARN
 * and key ARN are the hooks the DR stack's cross-region replication uses.
 *
 * The log bucket is SSE-KMS with its own CMK: S3 server access logging accepts a customer
 * managed key on the target when the key policy grants logging.s3.amazonaws.com (the AWS
 * managed aws/s3 key is what it cannot use); see aws/aws-cdk#25350.
 */
export class DocumentStore extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    readonly logBucketName: pulumi.Output<string>;
    readonly logBucketArn: pulumi.Output<string>;

    constructor(name: string, args: DocumentStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hybrid:data:DocumentStore", name, {}, opts);
        const tags = args.tags ?? {};
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const physical = (role: string) => account.apply((id) => `hybrid-platform-${pulumi.getStack()}-${role}-${id}`);

        const logs = this.secureBucket(`${name}-logs`, physical("access-logs"), args.logKeyArn, tags, false);
        const documents = this.secureBucket(name, physical("documents"), args.documentsKeyArn, tags, args.production ?? true);

        const logPolicy = new aws.s3.BucketPolicy(
            `${name}-logs`,
            {
                bucket: logs.bucket.id,
                policy: pulumi.all([logs.bucket.arn, documents.bucket.arn, account]).apply(([logArn, docArn, accountId]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            ...tlsOnlyStatements(logArn),
                            {
                                Sid: "S3ServerAccessLogs",
                                Effect: "Allow",
                                Principal: { Service: "logging.s3.amazonaws.com" },
                                Action: "s3:PutObject",
                                Resource: `${logArn}/${ACCESS_LOG_PREFIX}*`,
                                Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": docArn } },
                            },
                        ],
                    }),
                ),
            },
            { parent: this, dependsOn: [logs.bucket] },
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-logs`,
            {
                bucket: logs.bucket.id,
                rules: [
                    { id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: args.accessLogRetentionDays ?? 400 }, noncurrentVersionExpiration: { noncurrentDays: 30 } },
                    { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                ],
            },
            { parent: this, dependsOn: [logs.versioning] },
        );

        new aws.s3.BucketPolicy(
            name,
            { bucket: documents.bucket.id, policy: documents.bucket.arn.apply((arn) => JSON.stringify({ Version: "2012-10-17", Statement: tlsOnlyStatements(arn) })) },
            { parent: this, dependsOn: [documents.bucket] },
        );
        new aws.s3.BucketLifecycleConfiguration(
            name,
            {
                bucket: documents.bucket.id,
                rules: [
                    {
                        id: "age-out-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionTransitions: [{ noncurrentDays: args.noncurrentVersionTransitionDays ?? 30, storageClass: "STANDARD_IA" }],
                        noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionExpirationDays ?? 365 },
                    },
                    { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                    { id: "remove-expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
                ],
            },
            { parent: this, dependsOn: [documents.versioning] },
        );
        new aws.s3.BucketLogging(
            name,
            {
                bucket: documents.bucket.id,
                targetBucket: logs.bucket.id,
                targetPrefix: ACCESS_LOG_PREFIX,
                targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
            },
            { parent: this, dependsOn: [logPolicy] },
        );

        this.bucketName = documents.bucket.bucket;
        this.bucketArn = documents.bucket.arn;
        this.keyArn = pulumi.output(args.documentsKeyArn);
        this.logBucketName = logs.bucket.bucket;
        this.logBucketArn = logs.bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, keyArn: this.keyArn, logBucketName: this.logBucketName });
    }

    /** A bucket with SSE-KMS (bucket key), versioning, public access blocked and ACLs disabled. */
    private secureBucket(name: string, bucketName: pulumi.Input<string>, keyArn: pulumi.Input<string>, tags: Record<string, string>, protect: boolean): SecureBucket {
        const child = { parent: this };
        const bucket = new aws.s3.Bucket(name, { bucket: bucketName, forceDestroy: false, objectLockEnabled: false, tags }, { parent: this, protect });
        new aws.s3.BucketPublicAccessBlock(name, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, child);
        new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            name,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true }] },
            child,
        );
        const versioning = new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
        return { bucket, versioning };
    }
}
