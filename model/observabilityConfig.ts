/** Config section `hybrid-platform:observability` (seed 6). Every field has a production default. */
import { z } from "zod";
import { LOG_RETENTION_DAYS } from "./retention";

export const observabilitySchema = z
    .strictObject({
        /** Path the synthetic check and the load balancer probe. Default "/healthz". */
        healthCheckPath: z.string().regex(/^\/[A-Za-z0-9._~\/-]*$/, "an absolute URL path such as /healthz").default("/healthz"),
        /** Retention of platform log groups (OpenSearch, AMP, X-Ray-adjacent). Default 365 days. */
        logRetentionDays: z
            .number()
            .int()
            .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), "one of CloudWatch's retention values")
            .default(365),
        /** Seed 6 thresholds: CPU above this percentage pages. Default 80. */
        cpuAlarmPercent: z.number().min(1).max(100).default(80),
        /** Seed 6 thresholds: request error rate above this percentage pages. Default 1. */
        errorRateAlarmPercent: z.number().gt(0).max(100).default(1),
        /** Central log search (the seed's ELK, as Amazon OpenSearch Service). */
        logSearch: z
            .strictObject({
                /** Data node instance type. Default r6g.large.search. */
                instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, "an OpenSearch instance type such as r6g.large.search").default("r6g.large.search"),
                /** Data nodes in each AZ (the domain spans every AZ of the network). Default 1. */
                dataNodesPerAz: z.number().int().min(1).max(10).default(1),
                /** gp3 volume per data node, GiB. Default 200. */
                volumeGb: z.number().int().min(10).max(16384).default(200),
                /** Engine version, pinned. Default OpenSearch_2.19. */
                engineVersion: z.string().regex(/^OpenSearch_\d+\.\d+$/, "an engine version such as OpenSearch_2.19").default("OpenSearch_2.19"),
            })
            .prefault({}),
    })
    .prefault({});

export type ObservabilityConfig = z.infer<typeof observabilitySchema>;
