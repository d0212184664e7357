import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement, policyJson } from "../../model/iam";
import { bucketNameProblem } from "../../model/names";
import { validateArgs } from "../argErrors";

/** Denies any request that is not over TLS 1.2 or later (seed 4.2: encryption in transit). */
export function tlsOnlyStatements(bucketArn: string): Statement[] {
    const resources = [bucketArn, `${bucketArn}/*`];
    return [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "DenyOutdatedTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
    ];
}

export interface SecureBucketArgs {
    /**
     * Physical bucket name, unique worldwide (model/names.ts `accountBucketName` adds the account): 3 to 63 lowercase
     * letters, digits, hyphens and dots. Required.
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
     */
    readonly bucketName: pulumi.Input<string>;
    /**
     * CMK for SSE-KMS (with an S3 bucket key). Required unless sseS3Reason is given.
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
     */
    readonly keyArn?: pulumi.Input<string>;
    /**
     * Opt-out: SSE-S3 (AES-256, S3-managed keys) instead of a CMK, with the written reason, for log
     * buckets whose writers cannot use KMS (ALB access log delivery supports SSE-S3 only). The
     * reason is tagged on the bucket (SSE_S3_REASON_TAG) and the policy pack reports it as advisory.
     * Not with keyArn.
     * @default none (SSE-KMS)
     * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
     */
    readonly sseS3Reason?: string;
    /** Statements added to the bucket policy after the TLS-only denies, given the bucket ARN (model/iam.ts `Statement`s). @default none */
    readonly policyStatements?: (bucketArn: string) => pulumi.Input<readonly Statement[]>;
    /**
     * The Outputs `policyStatements` reads (e.g. a VPC endpoint's ID): in preview the bucket's ARN is unknown, the
     * statements are never built, and only these tell the engine, and the pack's URN joins, what the policy names.
     * @default none
     */
    readonly policyDependencies?: pulumi.Input<unknown>[];
    /**
     * Lifecycle rules; an abort-incomplete-uploads rule is always added.
     * @default only abort incomplete multipart uploads after 7 days
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html
     */
    readonly lifecycleRules?: pulumi.Input<aws.types.input.s3.BucketLifecycleConfigurationRule>[];
    /**
     * Server access logging target: a bucket (not this one) and a key prefix, which must not be empty.
     * @default none
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
     */
    readonly accessLogs?: { readonly bucket: pulumi.Input<string>; readonly prefix: string };
    /**
     * Object Lock for write-once audit data (must be chosen at creation); days is a whole number, at least 1.
     * @default none
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
     */
    readonly objectLock?: { readonly mode: "GOVERNANCE" | "COMPLIANCE"; readonly days: number };
    /** Tags. @default none (provider default tags still apply) */
    readonly tags?: Record<string, string>;
    /** Region of the bucket. @default the provider's region */
    readonly region?: string;
    /** Protect the bucket against `pulumi destroy` and replacement (production data). @default false */
    readonly protect?: boolean;
}

/** Tag carrying the reason for an SSE-S3 opt-out (read by policy/encryption.ts s3-bucket-sse-kms). */
export const SSE_S3_REASON_TAG = "hybrid-platform/sse-s3-reason";

const ABORT_INCOMPLETE_UPLOADS = { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } };

/**
 * An S3 bucket with every protection on: SSE-KMS with a CMK and bucket key, versioning,
 * public access blocked, ACLs disabled (BucketOwnerEnforced), a policy denying non-TLS and
 * pre-TLS-1.2 requests, lifecycle rules, and optionally access logs and Object Lock.
 */
export class SecureBucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    /** The versioning resource: replication and lifecycle must wait for it. */
    readonly versioning: aws.s3.BucketVersioning;
    /** The bucket policy resource: services that write to the bucket must wait for it. */
    readonly policy: aws.s3.BucketPolicy;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        validateArgs(`SecureBucket ${name}`, (e) => {
            const problem = typeof args.bucketName === "string" ? bucketNameProblem(args.bucketName) : undefined;
            e.check(problem === undefined, "bucketName", `${JSON.stringify(args.bucketName)} ${problem}`);
            e.check(args.sseS3Reason !== undefined || args.keyArn !== undefined, "keyArn", "keyArn is required unless sseS3Reason is given");
            e.check(
                args.sseS3Reason === undefined || args.keyArn === undefined,
                "sseS3Reason",
                "is an opt-out of the CMK: give keyArn or sseS3Reason, not both",
            );
            e.check(args.sseS3Reason === undefined || args.sseS3Reason.trim() !== "", "sseS3Reason", "must say why the bucket cannot use a CMK");
            e.integer(args.objectLock?.days, 1, 36500, "objectLock.days");
            e.check(
                args.accessLogs === undefined || args.accessLogs.prefix !== "",
                "accessLogs.prefix",
                "must not be empty (the logs would mix with other objects)",
            );
        });
        super("hybrid:storage:SecureBucket", name, {}, opts);
        const child = { parent: this };
        const region = args.region;
        // A computed name (e.g. with the account) is checked once known.
        const bucketName = pulumi.output(args.bucketName).apply((n) => {
            const problem = bucketNameProblem(n);
            if (problem) throw new pulumi.ResourceError(`SecureBucket ${name}: bucketName ${n} ${problem}`, this);
            return n;
        });
        const bucket = new aws.s3.Bucket(
            name,
            {
                bucket: bucketName,
                forceDestroy: false,
                objectLockEnabled: args.objectLock !== undefined,
                tags: args.sseS3Reason === undefined ? args.tags : { ...args.tags, [SSE_S3_REASON_TAG]: args.sseS3Reason },
                region,
            },
            { parent: this, protect: args.protect ?? false },
        );
        new aws.s3.BucketPublicAccessBlock(
            name,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, region },
            child,
        );
        new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" }, region }, child);
        const encryption =
            args.sseS3Reason !== undefined
                ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
                : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn }, bucketKeyEnabled: true };
        new aws.s3.BucketServerSideEncryptionConfiguration(name, { bucket: bucket.id, rules: [encryption], region }, child);
        this.versioning = new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" }, region }, child);
        this.policy = new aws.s3.BucketPolicy(
            name,
            {
                bucket: bucket.id,
                region,
                policy: pulumi
                    .all([bucket.arn, ...(args.policyDependencies ?? [])])
                    .apply(([arn]) => pulumi.output(args.policyStatements?.(arn) ?? []).apply((extra) => policyJson([...tlsOnlyStatements(arn), ...extra]))),
            },
            child,
        );
        new aws.s3.BucketLifecycleConfiguration(
            name,
            { bucket: bucket.id, rules: [...(args.lifecycleRules ?? []), ABORT_INCOMPLETE_UPLOADS], region },
            { parent: this, dependsOn: [this.versioning] },
        );
        if (args.accessLogs) {
            new aws.s3.BucketLogging(
                name,
                {
                    bucket: bucket.id,
                    targetBucket: args.accessLogs.bucket,
                    targetPrefix: args.accessLogs.prefix,
                    targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
                    region,
                },
                child,
            );
        }
        if (args.objectLock) {
            new aws.s3.BucketObjectLockConfiguration(
                name,
                {
                    bucket: bucket.id,
                    objectLockEnabled: "Enabled",
                    rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } },
                    region,
                },
                { parent: this, dependsOn: [this.versioning] },
            );
        }
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
