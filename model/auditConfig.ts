/** Config section `hybrid-platform:audit` (seed 4.3, 9: audit logs aggregated by the SOC). Defaults: model/defaults.ts. */
import { z } from "zod";
import { DEFAULTS } from "./defaults";
import { AWS_REGIONS } from "./regions";
import { LOG_RETENTION_DAYS } from "./retention";

export const auditSchema = z
    .strictObject({
        socDestinationArn: z
            .string()
            .regex(
                /^arn:aws:logs:[a-z0-9-]+:\d{12}:destination:[A-Za-z0-9_.\-/]+$/,
                "a CloudWatch Logs destination ARN (arn:aws:logs:<region>:<account>:destination:<name>)",
            )
            .optional()
            .meta({
                description: "The SOC's CloudWatch Logs destination (in the SOC account) receiving CloudTrail and flow logs. None: logs stay in this account.",
                see: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CrossAccountSubscriptions.html",
            }),
        trailLogRetentionDays: z
            .number()
            .int()
            .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), "one of CloudWatch's retention values")
            .default(DEFAULTS.audit.trailLogRetentionDays)
            .meta({ description: "Days CloudTrail events stay searchable in CloudWatch: one of CloudWatch's retention values." }),
        archiveDays: z
            .number()
            .int()
            .min(365)
            .max(3650)
            .default(DEFAULTS.audit.archiveDays)
            .meta({ description: "Days trail files are kept in S3 (2557: 7 years)." }),
        immutableDays: z.number().int().min(1).max(3650).default(DEFAULTS.audit.immutableDays).meta({
            description:
                "Days each trail file cannot be deleted or overwritten by anyone, root included (S3 Object Lock, COMPLIANCE mode: a retention cannot be shortened, so raise it with care); no longer than archiveDays.",
            see: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html",
        }),
        copyRegion: z.enum(AWS_REGIONS, "an AWS commercial-partition region such as eu-west-1").optional().meta({
            description:
                "Region of the trail's second copy (the DR region, not aws:region): S3 replicates every trail file there into a bucket under Object Lock COMPLIANCE mode. None: the trail files have one copy, in one region.",
            see: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-retention-modes",
        }),
        copyComplianceDays: z.number().int().min(1).max(3650).default(DEFAULTS.audit.copyComplianceDays).meta({
            description:
                "Days each file of the second copy is under COMPLIANCE retention; no longer than archiveDays. Choose it with care: no one, not even the root user, can shorten it or delete a file before it ends, so a mistaken 10 years means 10 years of storage bills for every file written meanwhile and a bucket that cannot be emptied; raising it later is possible, lowering it is not.",
            see: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html",
        }),
    })
    .prefault({})
    .refine((a) => a.immutableDays <= a.archiveDays, { message: "immutableDays no longer than archiveDays", path: ["immutableDays"] })
    .refine((a) => a.copyComplianceDays <= a.archiveDays, { message: "copyComplianceDays no longer than archiveDays", path: ["copyComplianceDays"] })
    .meta({ description: "The audit trail (seed 4.3): CloudTrail retention, the write-once archive and SOC forwarding." });

export type AuditConfig = z.infer<typeof auditSchema>;
