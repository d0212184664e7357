/**
 * The ALB's own access-log bucket. ALB log delivery writes with SSE-S3 only (it cannot use a KMS
 * key), so this bucket takes SecureBucket's reasoned SSE-S3 opt-out, which the policy pack reports
 * as advisory; everything else (versioning, TLS-only, no public access) stays on.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement } from "../../model/iam";
import { SecureBucket } from "../security/secureBucket";

/** Prefix of the ALB's access logs in its log bucket. */
export const ALB_LOG_PREFIX = "alb";

export function createAlbLogBucket(
    parent: pulumi.ComponentResource,
    name: string,
    args: { readonly stack: string; readonly accountId: pulumi.Input<string> },
): SecureBucket {
    // Regions older than August 2022 deliver as the regional ELB account; newer ones as the service principal.
    const elbAccount = aws.elb.getServiceAccountOutput({}, { parent }).arn;
    return new SecureBucket(
        `${name}-alb-logs`,
        {
            bucketName: pulumi.interpolate`hybrid-platform-${args.stack}-alb-logs-${args.accountId}`,
            sseS3Reason: "ALB access log delivery supports SSE-S3 only",
            lifecycleRules: [
                { id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: 400 }, noncurrentVersionExpiration: { noncurrentDays: 30 } },
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
