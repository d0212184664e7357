import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CustomerKey } from "./customerKey";
import { SecureBucket } from "./secureBucket";
import { DEFAULTS } from "../../model/defaults";

export interface AuditTrailArgs {
    /** The stack's region (the trail's home region). Required. */
    readonly region: string;
    /** Buckets whose object-level reads and writes are audited (the documents store). Default: none. */
    readonly dataEventBucketArns?: pulumi.Input<string>[];
    /** Days trail logs stay in CloudWatch for search. Default 365. */
    readonly logRetentionDays?: number;
    /** Days trail files are kept in S3 (they move to Glacier after 90). Default 2557 (7 years). */
    readonly archiveDays?: number;
    /** Days each trail file is write-protected by Object Lock (governance mode). Default 365. */
    readonly immutableDays?: number;
    /** SOC's CloudWatch Logs destination (cross-account) that receives the audit streams. Default: none. */
    readonly socDestinationArn?: string;
    /** Further log groups to forward to the SOC (VPC flow logs...). Default: none. */
    readonly forwardLogGroupNames?: pulumi.Input<string>[];
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
        super("hybrid:security:AuditTrail", name, {}, opts);
        const child = { parent: this };
        const stack = pulumi.getStack();
        const trailName = `hybrid-platform-${stack}`;
        const account = aws.getCallerIdentityOutput({}, child).accountId;
        const trailArn = pulumi.interpolate`arn:aws:cloudtrail:${args.region}:${account}:trail/${trailName}`;

        const key = new CustomerKey(
            name,
            {
                description: `CloudTrail ${trailName} and its log group`,
                alias: `hybrid-platform/${stack}/${name}`,
                serviceGrants: [
                    {
                        service: "cloudtrail.amazonaws.com",
                        actions: ["kms:GenerateDataKey*", "kms:DescribeKey"],
                        condition: pulumi.all([account, trailArn]).apply(([accountId, arn]) => ({
                            StringEquals: { "aws:SourceArn": arn },
                            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${accountId}:trail/*` },
                        })),
                    },
                    { service: `logs.${args.region}.amazonaws.com` },
                ],
            },
            child,
        );

        const bucket = new SecureBucket(
            name,
            {
                bucketName: pulumi.interpolate`hybrid-platform-${stack}-audit-trail-${account}`,
                keyArn: key.arn,
                objectLock: { mode: "GOVERNANCE", days: args.immutableDays ?? DEFAULTS.audit.immutableDays },
                lifecycleRules: [
                    {
                        id: "archive-then-expire",
                        status: "Enabled",
                        filter: {},
                        transitions: [{ days: 90, storageClass: "GLACIER" }],
                        expiration: { days: args.archiveDays ?? DEFAULTS.audit.archiveDays },
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                    },
                ],
                policyStatements: (bucketArn) =>
                    pulumi.all([account, trailArn]).apply(([accountId, arn]) => [
                        { Sid: "CloudTrailAclCheck", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: bucketArn, Condition: { StringEquals: { "aws:SourceArn": arn } } },
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

        const logGroup = new aws.cloudwatch.LogGroup(name, { name: `/hybrid-platform/${stack}/cloudtrail`, retentionInDays: args.logRetentionDays ?? DEFAULTS.audit.trailLogRetentionDays, kmsKeyId: key.arn }, child);
        const deliveryRole = new aws.iam.Role(
            `${name}-delivery`,
            {
                description: `Lets CloudTrail ${trailName} write to its log group`,
                assumeRolePolicy: account.apply((accountId) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } }],
                    }),
                ),
            },
            child,
        );
        const deliveryPolicy = new aws.iam.RolePolicy(
            `${name}-delivery`,
            {
                role: deliveryRole.id,
                policy: logGroup.arn.apply((arn) =>
                    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arn}:log-stream:*` }] }),
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
                new aws.cloudwatch.LogSubscriptionFilter(`${name}-soc-${i}`, { logGroup: group, destinationArn: args.socDestinationArn!, filterPattern: "", distribution: "ByLogStream" }, child);
            });
        }

        this.trailArn = trail.arn;
        this.bucketName = bucket.bucketName;
        this.logGroupName = logGroup.name;
        this.registerOutputs({ trailArn: this.trailArn, bucketName: this.bucketName, logGroupName: this.logGroupName });
    }
}
