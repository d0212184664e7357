/** Config section `hybrid-platform:observability` (seed 6). Every field has a production default (model/defaults.ts). */
import { z } from "zod";
import { DEFAULTS } from "./defaults";
import { LOG_RETENTION_DAYS } from "./retention";
import { sloSchema } from "./slo";

const LOGS = DEFAULTS.observability;
const ALARMS = DEFAULTS.observability.alarms;
const positive = (value: number, description: string) => z.number().gt(0).default(value).meta({ description });
const percent = (value: number, description: string, see?: string) =>
    z
        .number()
        .gt(0)
        .max(100)
        .default(value)
        .meta(see ? { description, see } : { description });

/** A CloudWatch Logs retention value with its default and description. */
const retention = (fallback: number, description: string) =>
    z
        .number()
        .int()
        .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), "one of CloudWatch's retention values")
        .default(fallback)
        .meta({ description, see: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html" });
const COLLECTION = DEFAULTS.observability.collection;

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
        // issue #13: alarm thresholds (model/alarms.ts: what each alarm reads and whom it pages).
        alarms: z
            .strictObject({
                databaseFreeStorageGiB: positive(
                    ALARMS.databaseFreeStorageGiB,
                    "RDS FreeStorageSpace below this many GiB pages (the database stops writing when full).",
                ),
                databaseFreeableMemoryMiB: positive(ALARMS.databaseFreeableMemoryMiB, "RDS FreeableMemory below this many MiB opens a ticket."),
                databaseConnectionsPercent: percent(
                    ALARMS.databaseConnectionsPercent,
                    "RDS DatabaseConnections above this percentage of the class's default max_connections (LEAST(DBInstanceClassMemory/9531392, 5000)) opens a ticket.",
                    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections",
                ),
                cacheMemoryPercent: percent(ALARMS.cacheMemoryPercent, "ElastiCache DatabaseMemoryUsagePercentage above this, on any node, opens a ticket."),
                cacheEvictions: z
                    .number()
                    .int()
                    .min(0)
                    .default(ALARMS.cacheEvictions)
                    .meta({ description: "ElastiCache Evictions above this many per 5 minutes on any node page (lost sessions and Celery messages)." }),
                cacheReplicationLagSeconds: positive(ALARMS.cacheReplicationLagSeconds, "ElastiCache ReplicationLag above this many seconds opens a ticket."),
                natPacketsDropped: positive(ALARMS.natPacketsDropped, "NAT gateway PacketsDropCount above this many per 5 minutes opens a ticket."),
                responseTimeP99Seconds: positive(ALARMS.responseTimeP99Seconds, "ALB TargetResponseTime p99 above this many seconds opens a ticket."),
                searchFreeStoragePercent: percent(
                    ALARMS.searchFreeStoragePercent,
                    "OpenSearch FreeStorageSpace below this percentage of a data node's volume opens a ticket.",
                ),
                searchJvmMemoryPressurePercent: percent(ALARMS.searchJvmMemoryPressurePercent, "OpenSearch JVMMemoryPressure above this percentage pages."),
                wafBlockedRequests: positive(ALARMS.wafBlockedRequests, "WAF BlockedRequests (all rules) above this many per 5 minutes opens a ticket."),
            })
            .prefault({})
            .meta({ description: "CloudWatch alarm thresholds on every tier beyond the seed's CPU and error rate (README: What pages whom)." }),
        // issue #13 (F): the SLOs the burn-rate alerts protect, and the Prometheus rules' own thresholds.
        slo: sloSchema,
        // issue #13 part D: the log shippers on both clusters.
        logs: z
            .strictObject({
                retentionDays: retention(LOGS.logs.retentionDays, "Days the clusters' application and platform container logs are kept in CloudWatch Logs."),
                hostRetentionDays: retention(
                    LOGS.logs.hostRetentionDays,
                    "Days the nodes' kubelet and containerd logs (journald) are kept in CloudWatch Logs.",
                ),
                indexPrefix: z
                    .string()
                    .regex(/^[a-z][a-z0-9-]{0,39}$/, "a lowercase index prefix such as logs")
                    .default(LOGS.logs.indexPrefix)
                    .meta({ description: "Prefix of the OpenSearch log indices (<prefix>-<site>-YYYY.MM.DD); the shippers may write these only." }),
                searchRetentionDays: z
                    .number()
                    .int()
                    .min(1)
                    .max(3650)
                    .default(LOGS.logs.searchRetentionDays)
                    .meta({ description: "Days a log index stays in OpenSearch before its ISM policy deletes it (CloudWatch Logs keeps the long copy)." }),
            })
            .prefault({})
            .meta({ description: "Log shipping (Fluent Bit on EKS and on-prem) to CloudWatch Logs and OpenSearch." }),
        // issue #13: the monitoring collectors of both clusters (components/observability/collection).
        collection: z
            .strictObject({
                traceSampling: z
                    .number()
                    .gt(0)
                    .max(1)
                    .default(COLLECTION.traceSampling)
                    .meta({ description: "Share of traces kept (0 to 1), by trace ID in each cluster's collector: a trace is kept or dropped whole." }),
                scrapeIntervalSeconds: z
                    .number()
                    .int()
                    .min(10)
                    .max(300)
                    .default(COLLECTION.scrapeIntervalSeconds)
                    .meta({ description: "Seconds between scrapes of every metrics endpoint (AMP bills per sample ingested)." }),
                onPrem: z
                    .strictObject({
                        trustAnchorCertificate: z
                            .string()
                            .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, "a PEM certificate bundle")
                            .meta({
                                description: "The site CA (PEM) that issues the on-prem collector's client certificate: the IAM Roles Anywhere trust anchor.",
                                see: "https://docs.aws.amazon.com/rolesanywhere/latest/userguide/getting-started.html",
                            }),
                        clientCommonName: z
                            .string()
                            .min(1)
                            .max(64)
                            .meta({ description: "Subject CN of the collector's certificate: the only one the collector role trusts." }),
                        clientCertificateSecretName: z
                            .string()
                            .default(COLLECTION.onPrem.clientCertificateSecretName)
                            .meta({ description: "Pre-provisioned kubernetes.io/tls Secret in the telemetry namespace holding that certificate and its key." }),
                        signingHelperImage: z
                            .string()
                            .regex(/^[^\s@]+@sha256:[0-9a-f]{64}$/, "an image reference pinned by digest")
                            .meta({
                                description: "The site's build of aws_signing_helper (IAM Roles Anywhere credential helper), run as the collector's sidecar.",
                                see: "https://docs.aws.amazon.com/rolesanywhere/latest/userguide/credential-helper.html",
                            }),
                    })
                    .optional()
                    .meta({ description: "The on-prem collector's AWS identity (IAM Roles Anywhere); with app.onPrem only." }),
            })
            .prefault({})
            .meta({ description: "Metrics and trace collection on both clusters: one OpenTelemetry collector each, into AMP and X-Ray." }),
    })
    .prefault({})
    .meta({ description: "Monitoring and alerting (seed 6): health check, log retention, alarm thresholds, log search." });

export type ObservabilityConfig = z.infer<typeof observabilitySchema>;
