/**
 * The ALB's own access-log bucket. ALB log delivery writes with SSE-S3 only (it cannot use a KMS
 * key), so this bucket takes SecureBucket's reasoned SSE-S3 opt-out, which the policy pack reports
 * as advisory; everything else (versioning, TLS-only, no public access) stays on.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement } from "../../model/iam";
import { createAccessLogBucket } from "../security/accessLogBucket";
import { SecureBucket } from "../security/secureBucket";

/** Prefix of the ALB's access logs in its log bucket. */
export const ALB_LOG_PREFIX = "alb";
/** Prefix of the ALB log bucket's own S3 server access logs (who read the request logs). */
export const ALB_BUCKET_ACCESS_LOG_PREFIX = "s3-access/alb-logs/";
/** Days both kinds of log are kept. */
const LOG_DAYS = 400;

export function createAlbLogBucket(
    parent: pulumi.ComponentResource,
    name: string,
    args: { readonly stack: string; readonly accountId: pulumi.Input<string> },
): SecureBucket {
    // Regions older than August 2022 deliver as the regional ELB account; newer ones as the service principal.
    const elbAccount = aws.elb.getServiceAccountOutput({}, { parent }).arn;
    const bucketName = pulumi.interpolate`hybrid-platform-${args.stack}-alb-logs-${args.accountId}`;
    // S3 server access logs of the log bucket itself (CIS AWS 3.4 asks it of buckets holding logs), to a bucket of their own.
    const accessLogs = createAccessLogBucket(parent, `${name}-alb-logs-access-logs`, {
        bucketName: pulumi.interpolate`hybrid-platform-${args.stack}-alb-logs-access-logs-${args.accountId}`,
        accountId: args.accountId,
        sources: [{ bucketName, prefix: ALB_BUCKET_ACCESS_LOG_PREFIX }],
        retentionDays: LOG_DAYS,
    });
    return new SecureBucket(
        `${name}-alb-logs`,
        {
            bucketName,
            sseS3Reason: "ALB access log delivery supports SSE-S3 only",
            accessLogs: { bucket: accessLogs.target, prefix: ALB_BUCKET_ACCESS_LOG_PREFIX },
            lifecycleRules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: LOG_DAYS },
                    noncurrentVersionExpiration: { noncurrentDays: 30 },
                },
            ],
            policyStatements: (bucketArn) =>
                pulumi.all([args.accountId, elbAccount]).apply(([accountId, elbArn]): Statement[] => [
                    {
                        Sid: "AlbAccessLogDelivery",
                        Effect: "Allow",
                        Principal: { AWS: elbArn, Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                        Action: "s3:PutObject",
                        Resource: `${bucketArn}/${ALB_LOG_PREFIX}/AWSLogs/${accountId}/*`,
                    },
                ]),
            protect: false,
        },
        { parent },
    );
}
