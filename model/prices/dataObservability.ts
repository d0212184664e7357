/**
 * Issue #15 part CD: list prices (USD, on-demand) of the data, storage, observability, security and delivery
 * dimensions in the stacks' regions: eu-west-2 (prod), eu-west-1 (dr), and us-east-1 for what prod keeps
 * there (the uptime alarm, its topic and key). Read 2026-12-01 from the AWS pricing page in `source`.
 *
 * Confidence, in each entry's note: "same in every Region" prices are printed once on the page; the regional
 * tables (RDS, ElastiCache, OpenSearch, S3, CloudWatch, CodeBuild) are rendered client-side, and the offline
 * copy searched for this table does not hold them. Those entries carry the page's rate as last published
 * for the Region and say "regional rate: verify" — check them with the AWS Pricing Calculator before
 * quoting a figure (a price that cannot be found at all is left out, so its line is reported unpriced).
 */
import type { PriceEntry } from "./index";

const AS_OF = "2026-12-01";
type Rates = Partial<Record<"eu-west-2" | "eu-west-1" | "us-east-1", number>>;

const VERIFY = "regional rate: verify with the AWS Pricing Calculator (the page's regional table is not in the offline copy)";
const FLAT = "same in every Region (printed once on the page)";
/** us-east-1 node rates checked against a public extract of the AWS Price List API (AmazonElastiCache, AmazonES; read 2026-10). */
const PRICE_LIST_US = "us-east-1 rate confirmed in a public AWS Price List API extract (read 2026-10)";

function rates(key: string, unit: string, byRegion: Rates, source: string, note: string): PriceEntry[] {
    return Object.entries(byRegion).map(([region, usd]) => ({ key, region, usd: usd as number, unit, asOf: AS_OF, source, note }));
}
/** One price in the three regions. */
const flat = (key: string, unit: string, usd: number, source: string, note = FLAT) =>
    rates(key, unit, { "eu-west-2": usd, "eu-west-1": usd, "us-east-1": usd }, source, note);

const RDS = "https://aws.amazon.com/rds/postgresql/pricing/";
const CACHE = "https://aws.amazon.com/elasticache/pricing/";
const SEARCH = "https://aws.amazon.com/opensearch-service/pricing/";
const S3 = "https://aws.amazon.com/s3/pricing/";
const CW = "https://aws.amazon.com/cloudwatch/pricing/";
const TRANSFER = "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer";

/**
 * RDS for PostgreSQL db.m5 classes, Single-AZ per hour; Multi-AZ is twice (primary + standby,
 * docs USER_OnDemandDBInstances: "billed per DB instance-hour for both the primary and standby").
 * us-east-1 db.m5.xlarge $0.356 (vantage-sh/ec2instances.info#479, checked against the page);
 * eu-west-1 db.m5.large $0.197 (same thread, from the AWS price list); sizes scale linearly within the family.
 */
const RDS_M5_SINGLE_AZ: Record<string, Rates> = {
    "db.m5.large": { "eu-west-2": 0.206, "eu-west-1": 0.197, "us-east-1": 0.178 },
    "db.m5.xlarge": { "eu-west-2": 0.412, "eu-west-1": 0.394, "us-east-1": 0.356 },
    "db.m5.2xlarge": { "eu-west-2": 0.824, "eu-west-1": 0.788, "us-east-1": 0.712 },
    "db.m5.4xlarge": { "eu-west-2": 1.648, "eu-west-1": 1.576, "us-east-1": 1.424 },
};
const double = (r: Rates): Rates => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round((v as number) * 2 * 1e6) / 1e6]));
const RDS_NOTE = "eu-west-1 large and us-east-1 xlarge cited in the JSDoc above; eu-west-2 " + VERIFY;

const RDS_PRICES: PriceEntry[] = [
    ...Object.entries(RDS_M5_SINGLE_AZ).flatMap(([cls, r]) => [
        ...rates(`rds.instance.${cls}.singleAz`, "hour", r, RDS, RDS_NOTE),
        ...rates(`rds.instance.${cls}.multiAz`, "hour", double(r), RDS, `twice Single-AZ (primary + standby); ${RDS_NOTE}`),
    ]),
    // gp2 and gp3 list at the same GB-month rate on RDS; Multi-AZ bills the standby's copy too.
    ...["gp2", "gp3"].flatMap((t) => [
        ...rates(
            `rds.storage.${t}.singleAz`,
            "GB-month",
            { "eu-west-2": 0.133, "eu-west-1": 0.127, "us-east-1": 0.115 },
            RDS,
            `us-east-1 $0.115 as cited by third-party breakdowns; ${VERIFY}`,
        ),
        ...rates(`rds.storage.${t}.multiAz`, "GB-month", { "eu-west-2": 0.266, "eu-west-1": 0.254, "us-east-1": 0.23 }, RDS, `twice Single-AZ; ${VERIFY}`),
    ]),
    ...rates(
        "rds.gp3.iops.singleAz",
        "IOPS-month",
        { "eu-west-2": 0.022, "eu-west-1": 0.022, "us-east-1": 0.02 },
        RDS,
        `above the gp3 baseline only; ${VERIFY}`,
    ),
    ...rates("rds.gp3.iops.multiAz", "IOPS-month", { "eu-west-2": 0.044, "eu-west-1": 0.044, "us-east-1": 0.04 }, RDS, `twice Single-AZ; ${VERIFY}`),
    ...rates(
        "rds.gp3.throughput.singleAz",
        "MiBps-month",
        { "eu-west-2": 0.088, "eu-west-1": 0.088, "us-east-1": 0.08 },
        RDS,
        `above the gp3 baseline only; ${VERIFY}`,
    ),
    ...rates("rds.gp3.throughput.multiAz", "MiBps-month", { "eu-west-2": 0.176, "eu-west-1": 0.176, "us-east-1": 0.16 }, RDS, `twice Single-AZ; ${VERIFY}`),
    ...flat("rds.backup", "GB-month", 0.095, RDS, "backup storage beyond 100% of provisioned storage; $0.095 in these Regions"),
];

const CACHE_PRICES: PriceEntry[] = [
    // Node-based Redis OSS; Valkey nodes list 20% lower.
    ...rates(
        "elasticache.node.cache.m6g.large.redis",
        "node-hour",
        { "eu-west-2": 0.173, "eu-west-1": 0.166, "us-east-1": 0.149 },
        CACHE,
        `${PRICE_LIST_US}; eu ${VERIFY}`,
    ),
    ...rates(
        "elasticache.node.cache.m6g.large.valkey",
        "node-hour",
        { "eu-west-2": 0.1384, "eu-west-1": 0.1328, "us-east-1": 0.1192 },
        CACHE,
        `0.8 x the Redis OSS rate (Valkey nodes list 20% lower; us-east-1 $0.1192 in the same extract); eu ${VERIFY}`,
    ),
    ...flat("elasticache.backup", "GB-month", 0.085, CACHE, "backup storage beyond one free snapshot per cluster; $0.085 in these Regions"),
];

const SEARCH_PRICES: PriceEntry[] = [
    ...rates(
        "opensearch.instance.r6g.large.search",
        "instance-hour",
        { "eu-west-2": 0.195, "eu-west-1": 0.186, "us-east-1": 0.167 },
        SEARCH,
        `${PRICE_LIST_US}; eu ${VERIFY}`,
    ),
    ...rates(
        "opensearch.instance.m6g.large.search",
        "instance-hour",
        { "eu-west-2": 0.149, "eu-west-1": 0.143, "us-east-1": 0.128 },
        SEARCH,
        `${PRICE_LIST_US}; eu ${VERIFY}`,
    ),
    ...rates("opensearch.storage.gp3", "GB-month", { "eu-west-2": 0.142, "eu-west-1": 0.135, "us-east-1": 0.122 }, SEARCH, VERIFY),
    ...rates("opensearch.storage.gp2", "GB-month", { "eu-west-2": 0.157, "eu-west-1": 0.149, "us-east-1": 0.135 }, SEARCH, VERIFY),
];

const S3_PRICES: PriceEntry[] = [
    ...rates("s3.storage.standard", "GB-month", { "eu-west-2": 0.024, "eu-west-1": 0.023, "us-east-1": 0.023 }, S3, `first 50 TB/month; ${VERIFY}`),
    ...rates("s3.storage.standardIa", "GB-month", { "eu-west-2": 0.0131, "eu-west-1": 0.0125, "us-east-1": 0.0125 }, S3, VERIFY),
    ...rates("s3.storage.glacier", "GB-month", { "eu-west-2": 0.00405, "eu-west-1": 0.0036, "us-east-1": 0.0036 }, S3, `Glacier Flexible Retrieval; ${VERIFY}`),
    ...rates(
        "s3.requests.put",
        "1k requests",
        { "eu-west-2": 0.0053, "eu-west-1": 0.005, "us-east-1": 0.005 },
        S3,
        `PUT, COPY, POST, LIST per 1,000 (S3 Standard); ${VERIFY}`,
    ),
    ...rates(
        "s3.requests.get",
        "1k requests",
        { "eu-west-2": 0.00042, "eu-west-1": 0.0004, "us-east-1": 0.0004 },
        S3,
        `GET, SELECT and others per 1,000; ${VERIFY}`,
    ),
    ...flat("s3.replicationTimeControl", "GB", 0.015, S3, "S3 Replication Time Control data transfer, per GB replicated; same in every Region"),
    // Replication (S3 CRR, the RDS cross-region replica's stream) is billed as inter-region transfer out of the source Region.
    ...flat("transfer.interRegion.replication", "GB", 0.02, TRANSFER, "data transfer out to another AWS Region, from these Regions"),
];

const CW_PRICES: PriceEntry[] = [
    ...rates(
        "cloudwatch.logs.ingest.standard",
        "GB",
        { "eu-west-2": 0.57, "eu-west-1": 0.57, "us-east-1": 0.5 },
        CW,
        `Standard class (vended logs: first 10 TB tier); ${VERIFY}`,
    ),
    ...rates(
        "cloudwatch.logs.ingest.infrequentAccess",
        "GB",
        { "eu-west-2": 0.285, "eu-west-1": 0.285, "us-east-1": 0.25 },
        CW,
        `Infrequent Access class; ${VERIFY}`,
    ),
    ...rates(
        "cloudwatch.logs.storage",
        "GB-month",
        { "eu-west-2": 0.0315, "eu-west-1": 0.03, "us-east-1": 0.03 },
        CW,
        `archived (stored) logs, compressed size; ${VERIFY}`,
    ),
    ...flat(
        "cloudwatch.alarm.standard",
        "alarm metric-month",
        0.1,
        CW,
        "standard resolution (60 s), per alarm metric; the account's 10 free alarm metrics not deducted",
    ),
    ...flat("cloudwatch.alarm.highResolution", "alarm metric-month", 0.3, CW, "high resolution (10 s), per alarm metric"),
    ...flat("cloudwatch.alarm.composite", "alarm-month", 0.5, CW, "composite alarm"),
    ...flat("cloudwatch.dashboard", "dashboard-month", 3, CW, "custom dashboard; the account's 3 free dashboards not deducted"),
];

const SECURITY_PRICES: PriceEntry[] = [
    ...flat(
        "kms.key",
        "key-month",
        1,
        "https://aws.amazon.com/kms/pricing/",
        "each KMS key, each multi-Region primary and replica; +$1/month for each of the first two automatic rotations",
    ),
    ...flat(
        "kms.requests",
        "10k requests",
        0.03,
        "https://aws.amazon.com/kms/pricing/",
        "symmetric key requests; the account's 20,000 free requests a month not deducted",
    ),
    ...flat(
        "secretsmanager.secret",
        "secret-month",
        0.4,
        "https://aws.amazon.com/secrets-manager/pricing/",
        "per secret; a replica secret is billed as a secret",
    ),
    ...flat("secretsmanager.apiCalls", "10k calls", 0.05, "https://aws.amazon.com/secrets-manager/pricing/"),
    ...flat(
        "cloudtrail.managementEvents",
        "100k events",
        2,
        "https://aws.amazon.com/cloudtrail/pricing/",
        "additional copies of management events (the first copy is free)",
    ),
    ...flat("cloudtrail.dataEvents", "100k events", 0.1, "https://aws.amazon.com/cloudtrail/pricing/", "data events delivered to S3"),
    ...flat(
        "cloudtrail.insights",
        "100k events",
        0.35,
        "https://aws.amazon.com/cloudtrail/pricing/",
        "CloudTrail Insights, per 100,000 write management events analysed, per insight type",
    ),
    ...rates(
        "codebuild.BUILD_GENERAL1_MEDIUM.linux",
        "build minute",
        { "eu-west-2": 0.0102, "eu-west-1": 0.01, "us-east-1": 0.01 },
        "https://aws.amazon.com/codebuild/pricing/",
        `on-demand EC2 general1.medium Linux; ${VERIFY}`,
    ),
    ...rates(
        "codebuild.BUILD_GENERAL1_SMALL.linux",
        "build minute",
        { "eu-west-2": 0.0051, "eu-west-1": 0.005, "us-east-1": 0.005 },
        "https://aws.amazon.com/codebuild/pricing/",
        VERIFY,
    ),
    ...rates(
        "codebuild.BUILD_GENERAL1_LARGE.linux",
        "build minute",
        { "eu-west-2": 0.0204, "eu-west-1": 0.02, "us-east-1": 0.02 },
        "https://aws.amazon.com/codebuild/pricing/",
        VERIFY,
    ),
];

const OBSERVABILITY_PRICES: PriceEntry[] = [
    ...flat("amp.samples.first2B", "10M samples", 0.9, "https://aws.amazon.com/prometheus/pricing/", "metric samples ingested, first 2 billion a month"),
    ...flat("amp.samples.next250B", "10M samples", 0.35, "https://aws.amazon.com/prometheus/pricing/", "metric samples ingested, next 250 billion a month"),
    ...flat("amp.storage", "GB-month", 0.03, "https://aws.amazon.com/prometheus/pricing/", "metric storage"),
    ...flat("amp.querySamples", "billion samples", 0.1, "https://aws.amazon.com/prometheus/pricing/", "query samples processed"),
    ...flat("grafana.editor", "active user-month", 9, "https://aws.amazon.com/grafana/pricing/", "editor or admin licence per active user"),
    ...flat("grafana.viewer", "active user-month", 5, "https://aws.amazon.com/grafana/pricing/", "viewer licence per active user"),
    ...flat("xray.tracesRecorded", "1M traces", 5, "https://aws.amazon.com/xray/pricing/", "traces recorded; the account's 100,000 free a month not deducted"),
    ...flat("xray.tracesRetrieved", "1M traces", 0.5, "https://aws.amazon.com/xray/pricing/", "traces retrieved or scanned"),
    ...flat("sns.publishes", "1M requests", 0.5, "https://aws.amazon.com/sns/pricing/", "standard topic publishes; the account's first 1M free not deducted"),
    ...flat("lambda.requests", "1M requests", 0.2, "https://aws.amazon.com/lambda/pricing/"),
    ...flat("lambda.gbSecond.x86", "GB-second", 0.0000166667, "https://aws.amazon.com/lambda/pricing/", "x86, first 6 billion GB-s tier"),
    ...flat("lambda.gbSecond.arm64", "GB-second", 0.0000133334, "https://aws.amazon.com/lambda/pricing/", "Arm, first 7.5 billion GB-s tier"),
];

export const DATA_OBSERVABILITY_PRICES: readonly PriceEntry[] = [
    ...RDS_PRICES,
    ...CACHE_PRICES,
    ...SEARCH_PRICES,
    ...S3_PRICES,
    ...CW_PRICES,
    ...SECURITY_PRICES,
    ...OBSERVABILITY_PRICES,
];
