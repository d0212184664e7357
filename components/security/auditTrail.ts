import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement, policyJson, sourceAccount, trust } from "../../model/iam";
import { accountBucketName, stackLogGroupName, stackResourceName } from "../../model/names";
import { validateArgs } from "../argErrors";
import { createAccessLogBucket } from "./accessLogBucket";
import { createAuditCopy } from "./auditCopy";
import { CustomerKey, logsServiceGrant } from "./customerKey";
import { SecureBucket } from "./secureBucket";
import { DEFAULTS } from "../../model/defaults";

/** Prefix of the trail bucket's server access logs in its log bucket. */
export const AUDIT_ACCESS_LOG_PREFIX = "s3-access/audit-trail/";

export interface AuditTrailArgs {
    /** The stack's region (the trail's home region). Required. */
    readonly region: string;
    /** The stack's account (stacks/platform.ts looks it up once): the trail's ARN, the bucket name and the confused-deputy conditions. Required. */
    readonly accountId: pulumi.Input<string>;
    /**
     * Buckets whose object-level reads and writes are audited (the documents store).
     * @default none
     * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
     */
    readonly dataEventBucketArns?: pulumi.Input<string>[];
    /** Days trail logs stay in CloudWatch for search: a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653). @default 365 */
    readonly logRetentionDays?: number;
    /** Days trail files are kept in S3, more than the 90 after which they move to Glacier. @default 2557 (7 years) */
    readonly archiveDays?: number;
    /**
     * Days each trail file is write-protected by Object Lock (COMPLIANCE mode: not even root can shorten it), at least 1 and at most archiveDays.
     * @default 365
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
     */
    readonly immutableDays?: number;
    /**
     * SOC's CloudWatch Logs destination (cross-account) that receives the audit streams: an `arn:aws:logs:...:destination:...` ARN.
     * @default none
     * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CrossAccountSubscriptions.html
     */
    readonly socDestinationArn?: string;
    /** Further log groups to forward to the SOC (VPC flow logs...); forwarded only when socDestinationArn is set. @default none */
    readonly forwardLogGroupNames?: pulumi.Input<string>[];
    /**
     * Region of the trail's second copy (the DR region), replicated by S3 into a bucket under Object Lock COMPLIANCE mode,
     * which no one, the root user included, can shorten or delete. Not the trail's own region.
     * @default none (one copy, in one region)
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-retention-modes
     */
    readonly copyRegion?: string;
    /**
     * Days each file of the copy is under COMPLIANCE retention, 1 to archiveDays. A mistake cannot be undone: every
     * version is billed and undeletable until its retention ends. @default 365
     */
    readonly copyComplianceDays?: number;
}

/**
 * The audit trail for the SOC (seed 4.3, 9): a multi-region CloudTrail with log-file
 * validation, encrypted with its own CMK, written to a write-once (Object Lock) versioned
 * bucket and streamed to a CMK-encrypted log group; object-level events of the documents
 * store; and, with a SOC destination configured, subscription filters forwarding the trail
 * and the flow logs to the SOC's account.
 */
export class AuditTrail extends pulumi.ComponentResource {
    readonly trailArn: pulumi.Output<string>;
    readonly bucketName: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        validateArgs(`AuditTrail ${name}`, (e) => {
            e.logRetention(args.logRetentionDays, "logRetentionDays");
            e.integer(args.archiveDays, 91, 36500, "archiveDays");
            e.integer(args.immutableDays, 1, args.archiveDays ?? DEFAULTS.audit.archiveDays, "immutableDays");
            e.integer(args.copyComplianceDays, 1, args.archiveDays ?? DEFAULTS.audit.archiveDays, "copyComplianceDays");
            e.check(
                args.copyRegion !== args.region,
                "copyRegion",
                "must be another region than the trail's (a second copy in the same region survives nothing)",
            );
            e.check(
                args.socDestinationArn === undefined || /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:destination:.+$/.test(args.socDestinationArn),
                "socDestinationArn",
                `${args.socDestinationArn} is not a CloudWatch Logs destination ARN`,
            );
        });
        super("hybrid:security:AuditTrail", name, {}, opts);
        const child = { parent: this };
        const stack = pulumi.getStack();
        const trailName = stackResourceName(stack);
        const account = pulumi.output(args.accountId);
        const trailArn = pulumi.interpolate`arn:aws:cloudtrail:${args.region}:${account}:trail/${trailName}`;

        const key = new CustomerKey(
            name,
            {
                description: `CloudTrail ${trailName} and its log group`,
                purpose: name,
                accountId: account,
                // AWS "Configure AWS KMS key policies for CloudTrail": the log and digest files' data keys carry the trail's
                // ARN as encryption context; DescribeKey carries none, and kms:Decrypt (no trail context either) is required
                // because the bucket uses an S3 Bucket Key. Both scoped to this trail by aws:SourceArn, as the page advises.
                // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
                serviceGrants: [
                    {
                        service: "cloudtrail.amazonaws.com",
                        actions: ["kms:GenerateDataKey*"],
                        condition: pulumi.all([account, trailArn]).apply(([accountId, arn]) => ({
                            StringEquals: { "aws:SourceArn": arn },
                            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${accountId}:trail/*` },
                        })),
                    },
                    {
                        service: "cloudtrail.amazonaws.com",
                        actions: ["kms:DescribeKey", "kms:Decrypt"],
                        condition: trailArn.apply((arn) => ({ StringEquals: { "aws:SourceArn": arn } })),
                    },
                    logsServiceGrant(args.region, account),
                ],
            },
            child,
        );

        const archiveDays = args.archiveDays ?? DEFAULTS.audit.archiveDays;
        const bucketName = account.apply((id) => accountBucketName(stack, "audit-trail", id));
        // CIS AWS 3.4 (S3 access logging on the CloudTrail bucket): who read or tried to delete the evidence, kept as long as it.
        // The target cannot be the locked bucket itself (AWS: no Object Lock on a log target).
        const accessLogs = createAccessLogBucket(this, `${name}-access-logs`, {
            bucketName: account.apply((id) => accountBucketName(stack, "audit-trail-access-logs", id)),
            accountId: account,
            sources: [{ bucketName, prefix: AUDIT_ACCESS_LOG_PREFIX }],
            retentionDays: archiveDays,
        });
        const bucket = new SecureBucket(
            name,
            {
                bucketName,
                keyArn: key.arn,
                accessLogs: { bucket: accessLogs.target, prefix: AUDIT_ACCESS_LOG_PREFIX },
                // COMPLIANCE, not GOVERNANCE: privileged users can bypass governance, and S3 replicates each file's retention,
                // so the copy in audit.copyRegion is only as immutable as this (S3 "Object Lock considerations", replication).
                objectLock: { mode: "COMPLIANCE", days: args.immutableDays ?? DEFAULTS.audit.immutableDays },
                lifecycleRules: [
                    {
                        id: "archive-then-expire",
                        status: "Enabled",
                        filter: {},
                        transitions: [{ days: 90, storageClass: "GLACIER" }],
                        expiration: { days: archiveDays },
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                    },
                ],
                policyStatements: (bucketArn) =>
                    pulumi.all([account, trailArn]).apply(([accountId, arn]): Statement[] => [
                        {
                            Sid: "CloudTrailAclCheck",
                            Effect: "Allow",
                            Principal: { Service: "cloudtrail.amazonaws.com" },
                            Action: "s3:GetBucketAcl",
                            Resource: bucketArn,
                            Condition: { StringEquals: { "aws:SourceArn": arn } },
                        },
                        {
                            Sid: "CloudTrailWrite",
                            Effect: "Allow",
                            Principal: { Service: "cloudtrail.amazonaws.com" },
                            Action: "s3:PutObject",
                            Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
                            Condition: { StringEquals: { "aws:SourceArn": arn } },
                        },
                    ]),
            },
            child,
        );

        if (args.copyRegion) {
            createAuditCopy(this, name, {
                stack,
                account,
                sourceRegion: args.region,
                copyRegion: args.copyRegion,
                source: bucket,
                sourceKeyArn: key.arn,
                archiveDays,
                complianceDays: args.copyComplianceDays ?? DEFAULTS.audit.copyComplianceDays,
            });
        }

        const logGroup = new aws.cloudwatch.LogGroup(
            name,
            { name: stackLogGroupName(stack, "cloudtrail"), retentionInDays: args.logRetentionDays ?? DEFAULTS.audit.trailLogRetentionDays, kmsKeyId: key.arn },
            child,
        );
        const deliveryRole = new aws.iam.Role(
            `${name}-delivery`,
            {
                description: `Lets CloudTrail ${trailName} write to its log group`,
                assumeRolePolicy: account.apply((accountId) =>
                    policyJson([trust({ Service: "cloudtrail.amazonaws.com" }, "sts:AssumeRole", sourceAccount(accountId))]),
                ),
            },
            child,
        );
        const deliveryPolicy = new aws.iam.RolePolicy(
            `${name}-delivery`,
            {
                role: deliveryRole.id,
                policy: logGroup.arn.apply((arn) =>
                    policyJson([{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arn}:log-stream:*` }]),
                ),
            },
            child,
        );

        const dataBuckets = args.dataEventBucketArns ?? [];
        const trail = new aws.cloudtrail.Trail(
            name,
            {
                name: trailName,
                s3BucketName: bucket.bucketName,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
                kmsKeyId: key.arn,
                cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
                cloudWatchLogsRoleArn: deliveryRole.arn,
                insightSelectors: [{ insightType: "ApiCallRateInsight" }, { insightType: "ApiErrorRateInsight" }],
                advancedEventSelectors: [
                    { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
                    ...(dataBuckets.length > 0
                        ? [
                              {
                                  name: "Document store object access",
                                  fieldSelectors: [
                                      { field: "eventCategory", equals: ["Data"] },
                                      { field: "resources.type", equals: ["AWS::S3::Object"] },
                                      { field: "resources.ARN", startsWiths: dataBuckets.map((arn) => pulumi.interpolate`${arn}/`) },
                                  ],
                              },
                          ]
                        : []),
                ],
            },
            { parent: this, dependsOn: [bucket.policy, deliveryPolicy] },
        );

        if (args.socDestinationArn) {
            const forwarded = [logGroup.name, ...(args.forwardLogGroupNames ?? [])];
            forwarded.forEach((group, i) => {
                new aws.cloudwatch.LogSubscriptionFilter(
                    `${name}-soc-${i}`,
                    { logGroup: group, destinationArn: args.socDestinationArn!, filterPattern: "", distribution: "ByLogStream" },
                    child,
                );
            });
        }

        this.trailArn = trail.arn;
        this.bucketName = bucket.bucketName;
        this.logGroupName = logGroup.name;
        this.registerOutputs({ trailArn: this.trailArn, bucketName: this.bucketName, logGroupName: this.logGroupName });
    }
}
