/** Config section `hybrid-platform:audit` (seed 4.3, 9: audit logs aggregated by the SOC). */
import { z } from "zod";
import { LOG_RETENTION_DAYS } from "./retention";

export const auditSchema = z
    .strictObject({
        /** The SOC's CloudWatch Logs destination (in the SOC account) receiving CloudTrail and flow logs. Default: none (logs stay in this account). */
        socDestinationArn: z
            .string()
            .regex(/^arn:aws:logs:[a-z0-9-]+:\d{12}:destination:[A-Za-z0-9_.\-/]+$/, "a CloudWatch Logs destination ARN (arn:aws:logs:<region>:<account>:destination:<name>)")
            .optional(),
        /** Days CloudTrail events stay searchable in CloudWatch. Default 365. */
        trailLogRetentionDays: z
            .number()
            .int()
            .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), "one of CloudWatch's retention values")
            .default(365),
        /** Days trail files are kept in S3. Default 2557 (7 years). */
        archiveDays: z.number().int().min(365).max(3650).default(2557),
        /** Days each trail file cannot be deleted or overwritten (Object Lock, governance). Default 365. */
        immutableDays: z.number().int().min(1).max(3650).default(365),
    })
    .prefault({})
    .refine((a) => a.immutableDays <= a.archiveDays, { message: "immutableDays no longer than archiveDays", path: ["immutableDays"] });

export type AuditConfig = z.infer<typeof auditSchema>;
