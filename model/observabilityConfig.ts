/** Config section `hybrid-platform:observability` (seed 6). Every field has a production default (model/defaults.ts). */
import { z } from "zod";
import { DEFAULTS } from "./defaults";
import { LOG_RETENTION_DAYS } from "./retention";
import { sloSchema } from "./slo";

const LOGS = DEFAULTS.observability;

export const observabilitySchema = z
    .strictObject({
        healthCheckPath: z
            .string()
            .regex(/^\/[A-Za-z0-9._~/-]*$/, "an absolute URL path such as /healthz")
            .default(LOGS.healthCheckPath)
            .meta({ description: "Absolute URL path the synthetic check and the load balancer probe." }),
        logRetentionDays: z
            .number()
            .int()
            .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), "one of CloudWatch's retention values")
            .default(LOGS.logRetentionDays)
            .meta({
                description: "Days platform log groups (database, cache, OpenSearch, rotation function) are kept: one of CloudWatch's retention values.",
                see: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
            }),
        cpuAlarmPercent: z.number().min(1).max(100).default(LOGS.cpuAlarmPercent).meta({ description: "Seed 6 threshold: CPU above this percentage pages." }),
        errorRateAlarmPercent: z
            .number()
            .gt(0)
            .max(100)
            .default(LOGS.errorRateAlarmPercent)
            .meta({ description: "Seed 6 threshold: request error rate above this percentage pages." }),
        logSearch: z
            .strictObject({
                instanceType: z
                    .string()
                    .regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, "an OpenSearch instance type such as r6g.large.search")
                    .default(LOGS.logSearch.instanceType)
                    .meta({ description: "Data node instance type (<family>.<size>.search)." }),
                dataNodesPerAz: z
                    .number()
                    .int()
                    .min(1)
                    .max(10)
                    .default(LOGS.logSearch.dataNodesPerAz)
                    .meta({ description: "Data nodes in each AZ (the domain spans every AZ of the network)." }),
                volumeGb: z.number().int().min(10).max(16384).default(LOGS.logSearch.volumeGb).meta({ description: "gp3 volume per data node, GiB." }),
                engineVersion: z
                    .string()
                    .regex(/^OpenSearch_\d+\.\d+$/, "an engine version such as OpenSearch_2.19")
                    .default(LOGS.logSearch.engineVersion)
                    .meta({
                        description: "Engine version, pinned (OpenSearch_<major>.<minor>). Support dates: model/versions.ts.",
                        see: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/what-is.html#choosing-version",
                    }),
            })
            .prefault({})
            .meta({ description: "Central log search (the seed's ELK, as Amazon OpenSearch Service)." }),
        // issue #13 (F): the SLOs the burn-rate alerts protect, and the Prometheus rules' own thresholds.
        slo: sloSchema,
    })
    .prefault({})
    .meta({ description: "Monitoring and alerting (seed 6): health check, log retention, alarm thresholds, log search." });

export type ObservabilityConfig = z.infer<typeof observabilitySchema>;
