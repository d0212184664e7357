/**
 * A target bucket for S3 server access logs, following AWS's rules for one: same account and region
 * as its sources, default encryption SSE-S3 only (SSE-KMS is not supported), no Object Lock, and a
 * bucket policy that admits the logging service principal for the named sources only
 * (aws:SourceAccount and aws:SourceArn, against the confused deputy). It does not log itself.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
import * as pulumi from "@pulumi/pulumi";
import { Statement, sourceAccount } from "../../model/iam";
import { SecureBucket } from "./secureBucket";

/** Why every access-log target takes SecureBucket's SSE-S3 opt-out (tagged, reported as advisory). */
export const ACCESS_LOG_SSE_S3_REASON = "S3 server access log delivery supports SSE-S3 only on the target bucket";

export interface AccessLogSource {
    /** Physical name of the logged bucket (known before it exists, so the policy can name it). */
    readonly bucketName: pulumi.Input<string>;
    /** Key prefix of its logs in the target: not empty, ending in "/". */
    readonly prefix: string;
}

export interface AccessLogBucketArgs {
    /** Physical name of the target (model/names.ts accountBucketName). */
    readonly bucketName: pulumi.Input<string>;
    /** The account of the sources and the target (AWS: log delivery stays in one account). */
    readonly accountId: pulumi.Input<string>;
    /** The buckets that log here. */
    readonly sources: readonly AccessLogSource[];
    /** Days log objects are kept. */
    readonly retentionDays: number;
    /** Region of the target: the region of its sources. @default the provider's region */
    readonly region?: string;
    readonly tags?: Record<string, string>;
}

export interface AccessLogBucket {
    readonly bucket: SecureBucket;
    /** The target's name, resolved only once its policy admits log delivery (what a source's BucketLogging should take). */
    readonly target: pulumi.Output<string>;
}

export function createAccessLogBucket(parent: pulumi.Resource, name: string, args: AccessLogBucketArgs): AccessLogBucket {
    for (const s of args.sources) {
        if (!/^[a-z0-9][a-z0-9/._-]*\/$/.test(s.prefix)) throw new Error(`access log prefix ${JSON.stringify(s.prefix)}: not empty, ending in "/"`);
    }
    const bucket = new SecureBucket(
        name,
        {
            bucketName: args.bucketName,
            sseS3Reason: ACCESS_LOG_SSE_S3_REASON,
            region: args.region,
            tags: args.tags,
            lifecycleRules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: args.retentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: 30 },
                },
            ],
            policyStatements: (logArn) =>
                pulumi.all([args.accountId, pulumi.all(args.sources.map((s) => s.bucketName))]).apply(([accountId, sourceNames]): Statement[] =>
                    args.sources.map((s, i) => ({
                        Sid: `S3ServerAccessLogs${i}`,
                        Effect: "Allow",
                        Principal: { Service: "logging.s3.amazonaws.com" },
                        Action: "s3:PutObject",
                        Resource: `${logArn}/${s.prefix}*`,
                        Condition: { ...sourceAccount(accountId), ArnLike: { "aws:SourceArn": `arn:aws:s3:::${sourceNames[i]}` } },
                    })),
                ),
        },
        { parent },
    );
    return { bucket, target: pulumi.all([bucket.bucketName, bucket.policy.id]).apply(([n]) => n) };
}
