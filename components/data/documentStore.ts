import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement, sourceAccount } from "../../model/iam";
import { accountBucketName } from "../../model/names";
import { sourceVpceDeny } from "../../model/endpointPolicies";
import { validateArgs } from "../argErrors";
import { ACCESS_LOG_SSE_S3_REASON } from "../security/accessLogBucket";
import { SecureBucket } from "../security/secureBucket";
import { DEFAULTS } from "../../model/defaults";

export interface DocumentStoreArgs {
    /** The stack's account (stacks/platform.ts looks it up once): both bucket names carry it, and only it may deliver access logs. Required. */
    readonly accountId: pulumi.Input<string>;
    /** CMK for the documents (SSE-KMS with an S3 bucket key). Required. */
    readonly documentsKeyArn: pulumi.Input<string>;
    /**
     * Unused since the access-log bucket is SSE-S3, the only default encryption AWS supports on a server access log target.
     * @deprecated kept so callers compile; nothing reads it.
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
     */
    readonly logKeyArn?: pulumi.Input<string>;
    /** Days a superseded document version is kept, longer than noncurrentVersionTransitionDays. @default 365 */
    readonly noncurrentVersionExpirationDays?: number;
    /**
     * Days before superseded versions move to STANDARD_IA, at least 30 (S3's minimum for that class).
     * @default 30
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
     */
    readonly noncurrentVersionTransitionDays?: number;
    /** Days access logs are kept, at least 1. @default 400 */
    readonly accessLogRetentionDays?: number;
    /** Production: the documents bucket is protected against `pulumi destroy` and replacement. @default true */
    readonly production?: boolean;
    /** Region of the buckets. @default the provider's region */
    readonly region?: string;
    /** Tags. @default none (provider default tags still apply) */
    readonly tags?: Record<string, string>;
    /**
     * The S3 gateway endpoint(s) object reads and writes must come through (`aws:SourceVpce`, seed 4.3): anything else
     * is denied, whatever IAM allows. Give the VPC's gateway endpoint; a wrong ID locks the portal out of its documents.
     * @default none: no network condition (a store without a VPC, e.g. a component test)
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html
     */
    readonly vpcEndpointIds?: pulumi.Input<string>[];
    /**
     * Roles that legitimately reach the objects from outside the VPC and are exempt from `vpcEndpointIds` by ARN
     * (the on-prem MinIO sync agent: a gateway endpoint cannot be reached from on-prem).
     * @default none
     */
    readonly outsideVpcPrincipalArns?: pulumi.Input<string[]>;
}

/** Prefix under which the documents bucket's server access logs land in the log bucket. */
export const ACCESS_LOG_PREFIX = "s3-access/documents/";

/**
 * The documents store (seed 1.3): a SecureBucket (CMK with bucket key, versioned, private,
 * BucketOwnerEnforced, TLS-only) with noncurrent versions aged out, and server access logs to
 * a separate log bucket. Versioning and the exported name, ARN and key ARN are the hooks the
 * DR stack's cross-region replication uses.
 *
 * The log bucket is SSE-S3 (SecureBucket's reasoned opt-out, reported as advisory): AWS documents
 * that default encryption on a server access log target may only be SSE-S3 ("SSE-KMS is not
 * supported"), whatever the key policy says; aws/aws-cdk#25350 reports KMS working, but the AWS
 * page is the contract (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
 * ALB access log delivery is SSE-S3 only as well (components/app/albLogs.ts).
 */
export class DocumentStore extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    readonly logBucketName: pulumi.Output<string>;
    readonly logBucketArn: pulumi.Output<string>;
    /** The documents bucket's versioning: replication must wait for it. */
    readonly versioning: aws.s3.BucketVersioning;

    constructor(name: string, args: DocumentStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        validateArgs(`DocumentStore ${name}`, (e) => {
            e.integer(args.noncurrentVersionTransitionDays, 30, 36500, "noncurrentVersionTransitionDays");
            e.integer(args.noncurrentVersionExpirationDays, 1, 36500, "noncurrentVersionExpirationDays");
            e.check(
                (args.noncurrentVersionExpirationDays ?? DEFAULTS.data.documents.noncurrentVersionExpirationDays) >
                    (args.noncurrentVersionTransitionDays ?? DEFAULTS.data.documents.noncurrentVersionTransitionDays),
                "noncurrentVersionExpirationDays",
                "must be longer than noncurrentVersionTransitionDays (a version would expire before it moves)",
            );
            e.integer(args.accessLogRetentionDays, 1, 36500, "accessLogRetentionDays");
        });
        super("hybrid:data:DocumentStore", name, {}, opts);
        const child = { parent: this };
        const tags = args.tags ?? {};
        const account = pulumi.output(args.accountId);
        const physical = (role: string) => account.apply((id) => accountBucketName(pulumi.getStack(), role, id));
        const documentsName = physical("documents");
        // Known before the bucket exists, so the log bucket's policy can name its only writer.
        const documentsArn = pulumi.interpolate`arn:aws:s3:::${documentsName}`;

        const logs = new SecureBucket(
            `${name}-logs`,
            {
                bucketName: physical("access-logs"),
                sseS3Reason: ACCESS_LOG_SSE_S3_REASON,
                region: args.region,
                policyStatements: (logArn) =>
                    pulumi.all([documentsArn, account]).apply(([docArn, accountId]): Statement[] => [
                        {
                            Sid: "S3ServerAccessLogs",
                            Effect: "Allow",
                            Principal: { Service: "logging.s3.amazonaws.com" },
                            Action: "s3:PutObject",
                            Resource: `${logArn}/${ACCESS_LOG_PREFIX}*`,
                            Condition: { ...sourceAccount(accountId), ArnLike: { "aws:SourceArn": docArn } },
                        },
                    ]),
                lifecycleRules: [
                    {
                        id: "expire-access-logs",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: args.accessLogRetentionDays ?? DEFAULTS.data.documents.accessLogRetentionDays },
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                    },
                ],
                tags,
            },
            child,
        );
        // Logging starts only once the log bucket admits S3 log delivery.
        const logTarget = pulumi.all([logs.bucketName, logs.policy.id]).apply(([bucket]) => bucket);

        const documents = new SecureBucket(
            name,
            {
                bucketName: documentsName,
                keyArn: args.documentsKeyArn,
                region: args.region,
                protect: args.production ?? true,
                policyStatements: args.vpcEndpointIds
                    ? (arn) =>
                          pulumi
                              .all([pulumi.all(args.vpcEndpointIds ?? []), pulumi.output(args.outsideVpcPrincipalArns ?? [])])
                              .apply(([endpoints, exempt]) => [sourceVpceDeny(arn, endpoints, exempt)])
                    : undefined,
                policyDependencies: args.vpcEndpointIds ? [...args.vpcEndpointIds, args.outsideVpcPrincipalArns ?? []] : undefined,
                lifecycleRules: [
                    {
                        id: "age-out-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionTransitions: [
                            {
                                noncurrentDays: args.noncurrentVersionTransitionDays ?? DEFAULTS.data.documents.noncurrentVersionTransitionDays,
                                storageClass: "STANDARD_IA",
                            },
                        ],
                        noncurrentVersionExpiration: {
                            noncurrentDays: args.noncurrentVersionExpirationDays ?? DEFAULTS.data.documents.noncurrentVersionExpirationDays,
                        },
                    },
                    { id: "remove-expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
                ],
                accessLogs: { bucket: logTarget, prefix: ACCESS_LOG_PREFIX },
                tags,
            },
            child,
        );

        this.bucketName = documents.bucketName;
        this.bucketArn = documents.bucketArn;
        this.versioning = documents.versioning;
        this.keyArn = pulumi.output(args.documentsKeyArn);
        this.logBucketName = logs.bucketName;
        this.logBucketArn = logs.bucketArn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, keyArn: this.keyArn, logBucketName: this.logBucketName });
    }
}
