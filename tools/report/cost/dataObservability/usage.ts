/**
 * The usage-based quantities of the data, storage, observability and security lines: each default is a
 * stated assumption for this portal (seed 7: 1,000 concurrent users, 1 TB of data growing ~200 GB/year),
 * overridable per resource or for all in a usage file (tools/report/usage.ts).
 */
import { DEFAULTS } from "../../../../model/defaults";
import type { UsageAssumption } from "../index";

/** The type whose pricer reads a key, by the key's service prefix (the usage file refuses a per-resource key set on another type). */
const READER_BY_PREFIX: readonly [RegExp, string][] = [
    [/^(rds\.|transfer\.interRegionGbPerMonth$)/, "aws:rds/instance:Instance"],
    [/^elasticache\./, "aws:elasticache/replicationGroup:ReplicationGroup"],
    [/^s3\.replicatedGbPerMonth$/, "aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
    [/^s3\./, "aws:s3/bucket:Bucket"],
    [/^kms\./, "aws:kms/key:Key"],
    [/^secretsmanager\./, "aws:secretsmanager/secret:Secret"],
    [/^cloudtrail\./, "aws:cloudtrail/trail:Trail"],
    [/^logs\./, "aws:cloudwatch/logGroup:LogGroup"],
    [/^amp\./, "aws:amp/workspace:Workspace"],
    [/^grafana\./, "aws:grafana/workspace:Workspace"],
    [/^xray\./, "aws:xray/samplingRule:SamplingRule"],
    [/^lambda\./, "aws:lambda/function:Function"],
    [/^sns\./, "aws:sns/topic:Topic"],
    [/^codebuild\./, "aws:codebuild/project:Project"],
];

const u = (key: string, value: number, unit: string, assumption: string): UsageAssumption => {
    const reader = READER_BY_PREFIX.find(([re]) => re.test(key));
    if (!reader) throw new Error(`usage key ${key}: no reader type for its prefix in READER_BY_PREFIX`);
    return { key, default: value, unit, assumption, types: [reader[1]] };
};

export const DATA_OBSERVABILITY_USAGE: readonly UsageAssumption[] = [
    // Database
    u(
        "rds.changedPercentPerDay",
        2,
        "% of storage/day",
        "2% of the database changes per day: automated backups beyond the free 100% of storage = storage x 2% x retention days",
    ),
    u(
        "rds.replicaStorageGb",
        DEFAULTS.data.postgres.initialStorageGb,
        "GB",
        `a cross-region replica has its source's storage, not declared in this stack: prod's ${DEFAULTS.data.postgres.initialStorageGb} GB (DEFAULTS.data.postgres.initialStorageGb)`,
    ),
    u("transfer.interRegionGbPerMonth", 600, "GB/month", "600 GB/month of WAL to the cross-region replica (2% of 1 TB changed per day, x30)"),
    u(
        "rds.enhancedMonitoringKbPerSample",
        5,
        "KB/sample",
        "Enhanced Monitoring writes ~5 KB per sample to CloudWatch Logs (RDSOSMetrics), one sample per monitoring interval",
    ),
    u(
        "elasticache.datasetGb",
        5,
        "GB",
        "5 GB of sessions, cache and Celery queues across the shards: snapshots beyond the one free per cluster = dataset x (retention - 1)",
    ),
    // Storage
    u("s3.documentsGb", 500, "GB", "500 GB of citizen documents (with noncurrent versions) in the documents bucket"),
    u("s3.auditGb", 50, "GB", "50 GB of CloudTrail logs kept (7 years, Glacier after the transition day)"),
    u("s3.albLogsGb", 100, "GB", "100 GB of ALB access logs kept (400-day expiry)"),
    u("s3.accessLogsGb", 10, "GB", "10 GB of S3 server access logs kept per log bucket"),
    u("s3.otherGb", 10, "GB", "10 GB in a bucket of another role"),
    u("s3.putRequestsThousands", 100, "1k requests/month", "100,000 PUT/COPY/POST/LIST requests per bucket per month"),
    u("s3.getRequestsThousands", 1000, "1k requests/month", "1,000,000 GET requests per bucket per month"),
    u("s3.replicatedGbPerMonth", 50, "GB/month", "50 GB/month of new objects replicated by each replication rule (documents and audit copies)"),
    // Security
    u("kms.requestsPerMonth", 20000, "requests/month", "20,000 KMS requests per key per month (S3 bucket keys and data-key caching keep calls low)"),
    u("secretsmanager.apiCallsPerMonth", 50000, "calls/month", "50,000 GetSecretValue calls per secret per month (pods cache the value)"),
    u("cloudtrail.dataEventsPerMonth", 2_000_000, "events/month", "2,000,000 S3 object-level data events per month on the documents bucket"),
    u(
        "cloudtrail.managementEventsPerMonth",
        1_000_000,
        "events/month",
        "1,000,000 management events per month (each Insights type analyses the write events among them)",
    ),
    // Observability
    u("logs.flowLogsGbPerMonth", 30, "GB/month", "30 GB/month of VPC flow logs"),
    u("logs.wafGbPerMonth", 10, "GB/month", "10 GB/month of WAF request logs"),
    u("logs.containerGbPerMonth", 15, "GB/month", "15 GB/month into each EKS container log group (application, platform, host)"),
    u("logs.auditGbPerMonth", 5, "GB/month", "5 GB/month of CloudTrail events into its log group"),
    u("logs.serviceGbPerMonth", 1, "GB/month", "1 GB/month into a service log group (database, cache, search, Lambda, VPN, runner, Prometheus)"),
    u("amp.activeSeries", 50000, "series", "50,000 active series scraped (cluster, nodes, the portal's pods and the on-prem member)"),
    u("amp.querySamplesBillionsPerMonth", 20, "billion samples/month", "20 billion query samples/month (recording and alert rules every minute, dashboards)"),
    u("grafana.editors", 3, "users", "3 active editors/admins per month (the platform team)"),
    u("grafana.viewers", 10, "users", "10 active viewers per month (service desk, SOC)"),
    u(
        "xray.requestsPerMonth",
        86_400_000,
        "requests/month",
        "86,400,000 requests/month reach the sampler (1,000 users x 1 request per 10 s x 8 busy hours x 30 days)",
    ),
    u("xray.tracesRetrievedPerMonth", 1_000_000, "traces/month", "1,000,000 traces retrieved or scanned per month"),
    u("lambda.invocationsPerMonth", 100, "invocations/month", "100 invocations/month of a rotation function (4 steps per rotation, plus retries)"),
    u("lambda.averageDurationMs", 3000, "ms", "3 s average duration of a rotation step (it waits for the user to become active)"),
    u("sns.publishesPerMonth", 10000, "publishes/month", "10,000 alarm notifications published per topic per month"),
    u("codebuild.buildMinutesPerMonth", 900, "minutes/month", "900 build minutes/month on the deploy runner (30 deploys of ~30 minutes)"),
];
