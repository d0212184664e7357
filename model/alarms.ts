/**
 * The CloudWatch alarm catalogue (seed 6, issue #13 item 4): one entry per alarm on each tier, with what it reads,
 * when it fires, what a missing datapoint means and whom it pages. Pure: the service-alarms step creates one alarm
 * per entry and target (components/observability/serviceAlarms.ts), the `alarms-cover-every-tier` policy checks the
 * plan against it, and model/paging.ts derives the README's "What pages whom" from it.
 *
 * Missing data, per metric: a count (Sum) is published only when non-zero, so no datapoint means nothing happened
 * (notBreaching), and metric math over counts FILLs them (model/metricMath.ts); a gauge a healthy resource always
 * publishes (CPU, free storage, tunnel state, cluster status) stops only when the resource is gone or unreachable,
 * so a missing datapoint is the outage itself (breaching).
 */
import { DEFAULTS } from "./defaults";

export type Severity = "page" | "ticket";
/** The resource an alarm watches (one alarm per entry and resource). */
export type AlarmTier = "database" | "cache" | "nat" | "vpnTunnel" | "vpn" | "loadBalancer" | "targetGroup" | "search" | "waf";
export type Comparison = "GreaterThanThreshold" | "LessThanThreshold";

/** The thresholds of the catalogue (config `observability` with `observability.alarms`, defaults in model/defaults.ts). */
export interface AlarmThresholds {
    readonly cpuPercent: number;
    readonly errorRatePercent: number;
    readonly databaseFreeStorageGiB: number;
    readonly databaseFreeableMemoryMiB: number;
    readonly databaseConnectionsPercent: number;
    readonly replicaLagSeconds: number;
    readonly cacheMemoryPercent: number;
    readonly cacheEvictions: number;
    readonly cacheReplicationLagSeconds: number;
    readonly natPacketsDropped: number;
    readonly responseTimeP99Seconds: number;
    readonly searchFreeStoragePercent: number;
    readonly searchJvmMemoryPressurePercent: number;
    readonly wafBlockedRequests: number;
}

/** What the thresholds depend on beyond config: the shapes of the watched resources. */
export interface AlarmShapes {
    /** The RDS instance class: DatabaseConnections is judged against its default max_connections. */
    readonly databaseInstanceClass: string;
    /** GiB of each OpenSearch data node's volume: FreeStorageSpace is per node, in MiB. */
    readonly searchVolumeGiB: number;
}

export interface CatalogueAlarm {
    /** Stable id: the suffix of the alarm's resource name. */
    readonly key: string;
    readonly tier: AlarmTier;
    /** What it watches, for people ("RDS CPU"). */
    readonly title: string;
    readonly namespace: string;
    readonly metricName: string;
    /** A statistic, or a percentile ("p99") the alarm sets as extendedStatistic. */
    readonly statistic: string;
    readonly period: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    readonly comparison: Comparison;
    readonly threshold: number;
    /** The threshold as people read it ("> 80 %"). */
    readonly thresholdText: string;
    /** The dimension names of the metric: AWS publishes each metric under fixed sets, and an alarm on another set never sees data. */
    readonly dimensionKeys: readonly string[];
    readonly treatMissingData: "breaching" | "notBreaching";
    readonly severity: Severity;
    /** The seed threshold the alarm implements, where it is one. */
    readonly seed?: string;
    /** The AWS page that documents the metric, its dimensions and its reporting. */
    readonly see: string;
    /** Only on a read replica (the RDS instance has replicateSourceDb). */
    readonly replicaOnly?: boolean;
    /** Created elsewhere than the service-alarms step (the file that does). */
    readonly createdBy?: string;
    /** A metric-math alarm: the expression over the named metrics (each a Sum, FILLed). */
    readonly math?: { readonly expression: string; readonly metrics: readonly (readonly [id: string, metricName: string])[] };
}

const RDS = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html";
const CACHE = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html";
const NAT = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway-cloudwatch.html";
const VPN = "https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-cloudwatch-vpn.html";
const ALB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html";
const SEARCH = "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cloudwatch-alarms.html";
const WAF = "https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html";
/** RDS for PostgreSQL's default max_connections: LEAST({DBInstanceClassMemory/9531392}, 5000). */
export const MAX_CONNECTIONS_SEE = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections";

const GiB = 1024 ** 3;
/** vCPUs of an instance size; memory follows from the family's GiB per vCPU. */
const VCPUS: Record<string, number> = { large: 2, xlarge: 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48, "16xlarge": 64, "24xlarge": 96 };
const GIB_PER_VCPU: Record<string, number> = { m: 4, r: 8, x: 16 };

/**
 * The default max_connections of an RDS for PostgreSQL instance class (m, r and x families), or undefined for a class
 * this table does not know. DBInstanceClassMemory is the class's memory less what RDS reserves, so this is an upper
 * bound: an alarm at a percentage of it fires a little later than the same percentage of the real value.
 */
export function defaultMaxConnections(instanceClass: string): number | undefined {
    const m = /^db\.([a-z])\d+[a-z]*\.(\w+)$/.exec(instanceClass);
    const perVcpu = m ? GIB_PER_VCPU[m[1]] : undefined;
    const vcpus = m ? VCPUS[m[2]] : undefined;
    if (perVcpu === undefined || vcpus === undefined) return undefined;
    return Math.min(Math.floor((perVcpu * vcpus * GiB) / 9531392), 5000);
}

/**
 * The member cluster ids of a cluster-mode replication group, the CacheClusterId dimension of its per-node metrics:
 * `<group>-<shard, 4 digits>-<node, 3 digits>`. ElastiCache publishes engine and host metrics per node only
 * (dimensions CacheClusterId and CacheNodeId); an alarm on a ReplicationGroupId dimension watches nothing.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.html
 */
export function cacheMemberClusterIds(groupId: string, shards: number, replicasPerShard: number): string[] {
    const ids: string[] = [];
    for (let shard = 1; shard <= shards; shard++)
        for (let node = 1; node <= 1 + replicasPerShard; node++) ids.push(`${groupId}-${String(shard).padStart(4, "0")}-${String(node).padStart(3, "0")}`);
    return ids;
}

/** The name of a web ACL (the WebACL dimension) from its ARN: arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>. */
export function webAclNameOf(arn: string): string {
    const name = arn.split("/")[2];
    if (!name) throw new RangeError(`${arn} is not a web ACL ARN`);
    return name;
}

type Entry = Omit<CatalogueAlarm, "datapointsToAlarm" | "thresholdText"> & { datapointsToAlarm?: number; unit: string };

/** The catalogue for these thresholds and shapes. Throws for an instance class whose max_connections is unknown. */
export function alarmCatalogue(t: AlarmThresholds, shapes: AlarmShapes): readonly CatalogueAlarm[] {
    const maxConnections = defaultMaxConnections(shapes.databaseInstanceClass);
    if (maxConnections === undefined)
        throw new RangeError(
            `no default max_connections known for ${shapes.databaseInstanceClass} (model/alarms.ts defaultMaxConnections, ${MAX_CONNECTIONS_SEE})`,
        );
    const db = ["DBInstanceIdentifier"];
    const node = ["CacheClusterId"];
    const search = ["DomainName", "ClientId"];
    const connections = Math.floor((maxConnections * t.databaseConnectionsPercent) / 100);
    const entries: Entry[] = [
        // prettier-ignore
        { key: "database-cpu", tier: "database", title: "RDS CPU", namespace: "AWS/RDS", metricName: "CPUUtilization", statistic: "Average", period: 300, evaluationPeriods: 3, comparison: "GreaterThanThreshold", threshold: t.cpuPercent, unit: "%", dimensionKeys: db, treatMissingData: "breaching", severity: "page", seed: "6 (CPU > 80%)", see: RDS },
        // prettier-ignore
        { key: "database-free-storage", tier: "database", title: "RDS free storage", namespace: "AWS/RDS", metricName: "FreeStorageSpace", statistic: "Minimum", period: 300, evaluationPeriods: 1, comparison: "LessThanThreshold", threshold: t.databaseFreeStorageGiB * GiB, unit: "bytes", dimensionKeys: db, treatMissingData: "breaching", severity: "page", see: RDS },
        // prettier-ignore
        { key: "database-freeable-memory", tier: "database", title: "RDS freeable memory", namespace: "AWS/RDS", metricName: "FreeableMemory", statistic: "Average", period: 300, evaluationPeriods: 3, comparison: "LessThanThreshold", threshold: t.databaseFreeableMemoryMiB * 1024 ** 2, unit: "bytes", dimensionKeys: db, treatMissingData: "breaching", severity: "ticket", see: RDS },
        // prettier-ignore
        { key: "database-connections", tier: "database", title: `RDS connections (${t.databaseConnectionsPercent}% of max_connections ${maxConnections})`, namespace: "AWS/RDS", metricName: "DatabaseConnections", statistic: "Maximum", period: 300, evaluationPeriods: 2, comparison: "GreaterThanThreshold", threshold: connections, unit: "", dimensionKeys: db, treatMissingData: "breaching", severity: "ticket", see: MAX_CONNECTIONS_SEE },
        // In standby only, by the RPO guards: a missing lag means replication stopped.
        // prettier-ignore
        { key: "replica-lag", tier: "database", title: "RDS replica lag (dr standby)", namespace: "AWS/RDS", metricName: "ReplicaLag", statistic: "Maximum", period: 60, evaluationPeriods: 5, datapointsToAlarm: 3, comparison: "GreaterThanThreshold", threshold: t.replicaLagSeconds, unit: "s", dimensionKeys: db, treatMissingData: "breaching", severity: "page", seed: "3 (RPO)", see: RDS, replicaOnly: true, createdBy: "components/dr/rpoAlarms.ts" },
        // prettier-ignore
        { key: "cache-cpu", tier: "cache", title: "ElastiCache engine CPU, per node", namespace: "AWS/ElastiCache", metricName: "EngineCPUUtilization", statistic: "Maximum", period: 300, evaluationPeriods: 3, comparison: "GreaterThanThreshold", threshold: t.cpuPercent, unit: "%", dimensionKeys: node, treatMissingData: "breaching", severity: "page", seed: "6 (CPU > 80%)", see: CACHE },
        // prettier-ignore
        { key: "cache-memory", tier: "cache", title: "ElastiCache memory used, per node", namespace: "AWS/ElastiCache", metricName: "DatabaseMemoryUsagePercentage", statistic: "Maximum", period: 300, evaluationPeriods: 3, comparison: "GreaterThanThreshold", threshold: t.cacheMemoryPercent, unit: "%", dimensionKeys: node, treatMissingData: "breaching", severity: "ticket", see: CACHE },
        // Evicted keys are lost sessions and lost Celery messages. A count: absent when zero.
        // prettier-ignore
        { key: "cache-evictions", tier: "cache", title: "ElastiCache evictions, per node", namespace: "AWS/ElastiCache", metricName: "Evictions", statistic: "Sum", period: 300, evaluationPeriods: 1, comparison: "GreaterThanThreshold", threshold: t.cacheEvictions, unit: "keys / 5 min", dimensionKeys: node, treatMissingData: "notBreaching", severity: "page", see: CACHE },
        // Published by replicas only, and a failover swaps the roles: on a primary the metric is absent, not broken.
        // prettier-ignore
        { key: "cache-replication-lag", tier: "cache", title: "ElastiCache replication lag, per node", namespace: "AWS/ElastiCache", metricName: "ReplicationLag", statistic: "Maximum", period: 60, evaluationPeriods: 5, datapointsToAlarm: 3, comparison: "GreaterThanThreshold", threshold: t.cacheReplicationLagSeconds, unit: "s", dimensionKeys: node, treatMissingData: "notBreaching", severity: "ticket", see: CACHE },
        // Each failed port allocation is a connection from the private tier that could not be made. A count.
        // prettier-ignore
        { key: "nat-port-allocation", tier: "nat", title: "NAT gateway port allocation errors", namespace: "AWS/NATGateway", metricName: "ErrorPortAllocation", statistic: "Sum", period: 300, evaluationPeriods: 1, comparison: "GreaterThanThreshold", threshold: 0, unit: "/ 5 min", dimensionKeys: ["NatGatewayId"], treatMissingData: "notBreaching", severity: "page", see: NAT },
        // prettier-ignore
        { key: "nat-packets-dropped", tier: "nat", title: "NAT gateway packets dropped", namespace: "AWS/NATGateway", metricName: "PacketsDropCount", statistic: "Sum", period: 300, evaluationPeriods: 2, comparison: "GreaterThanThreshold", threshold: t.natPacketsDropped, unit: "packets / 5 min", dimensionKeys: ["NatGatewayId"], treatMissingData: "notBreaching", severity: "ticket", see: NAT },
        // Per tunnel (dimension TunnelIpAddress alone): one tunnel down still carries the traffic, a ticket.
        // prettier-ignore
        { key: "vpn-tunnel", tier: "vpnTunnel", title: "VPN tunnel down (one tunnel)", namespace: "AWS/VPN", metricName: "TunnelState", statistic: "Maximum", period: 300, evaluationPeriods: 2, comparison: "LessThanThreshold", threshold: 1, unit: "(1 = up)", dimensionKeys: ["TunnelIpAddress"], treatMissingData: "breaching", severity: "ticket", see: VPN },
        // Per connection (dimension VpnId alone): the tunnels' mean, 0.5 with one up, 0 with both down: on-prem is cut off.
        // prettier-ignore
        { key: "vpn-down", tier: "vpn", title: "VPN connection down (both tunnels)", namespace: "AWS/VPN", metricName: "TunnelState", statistic: "Maximum", period: 300, evaluationPeriods: 2, comparison: "LessThanThreshold", threshold: 0.5, unit: "(mean of the tunnels)", dimensionKeys: ["VpnId"], treatMissingData: "breaching", severity: "page", see: VPN },
        // Every count FILLed: ALB publishes a count only when it is non-zero.
        // prettier-ignore
        { key: "request-errors", tier: "loadBalancer", title: "ALB 5XX rate", namespace: "AWS/ApplicationELB", metricName: "RequestCount", statistic: "Sum", period: 60, evaluationPeriods: 3, comparison: "GreaterThanThreshold", threshold: t.errorRatePercent, unit: "%", dimensionKeys: ["LoadBalancer"], treatMissingData: "notBreaching", severity: "page", seed: "6 (error rate > 1%)", see: ALB,
          math: { expression: "100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / MAX([FILL(requests, 0), 1])", metrics: [["target5xx", "HTTPCode_Target_5XX_Count"], ["elb5xx", "HTTPCode_ELB_5XX_Count"], ["requests", "RequestCount"]] } },
        // No requests, no latency: nothing to judge.
        // prettier-ignore
        { key: "response-time-p99", tier: "loadBalancer", title: "ALB target response time p99", namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", statistic: "p99", period: 300, evaluationPeriods: 3, comparison: "GreaterThanThreshold", threshold: t.responseTimeP99Seconds, unit: "s", dimensionKeys: ["LoadBalancer"], treatMissingData: "notBreaching", severity: "ticket", see: ALB },
        // Reported for a target group the load balancer routes to; one unhealthy pod while the others serve is a ticket.
        // prettier-ignore
        { key: "unhealthy-hosts", tier: "targetGroup", title: "ALB unhealthy targets, per target group", namespace: "AWS/ApplicationELB", metricName: "UnHealthyHostCount", statistic: "Maximum", period: 60, evaluationPeriods: 5, datapointsToAlarm: 3, comparison: "GreaterThanThreshold", threshold: 0, unit: "targets", dimensionKeys: ["TargetGroup", "LoadBalancer"], treatMissingData: "notBreaching", severity: "ticket", see: ALB },
        // A domain that stops reporting its status is down or unreachable.
        // prettier-ignore
        { key: "search-red", tier: "search", title: "OpenSearch cluster red", namespace: "AWS/ES", metricName: "ClusterStatus.red", statistic: "Maximum", period: 60, evaluationPeriods: 1, comparison: "GreaterThanThreshold", threshold: 0, unit: "", dimensionKeys: search, treatMissingData: "breaching", severity: "page", see: SEARCH },
        // Yellow while replicas relocate is normal for minutes; red (above) covers a silent domain.
        // prettier-ignore
        { key: "search-yellow", tier: "search", title: "OpenSearch cluster yellow", namespace: "AWS/ES", metricName: "ClusterStatus.yellow", statistic: "Maximum", period: 60, evaluationPeriods: 5, comparison: "GreaterThanThreshold", threshold: 0, unit: "", dimensionKeys: search, treatMissingData: "notBreaching", severity: "ticket", see: SEARCH },
        // prettier-ignore
        { key: "search-free-storage", tier: "search", title: `OpenSearch free storage per node (${t.searchFreeStoragePercent}% of ${shapes.searchVolumeGiB} GiB)`, namespace: "AWS/ES", metricName: "FreeStorageSpace", statistic: "Minimum", period: 60, evaluationPeriods: 1, comparison: "LessThanThreshold", threshold: Math.floor((shapes.searchVolumeGiB * 1024 * t.searchFreeStoragePercent) / 100), unit: "MiB", dimensionKeys: search, treatMissingData: "breaching", severity: "ticket", see: SEARCH },
        // prettier-ignore
        { key: "search-jvm-pressure", tier: "search", title: "OpenSearch JVM memory pressure", namespace: "AWS/ES", metricName: "JVMMemoryPressure", statistic: "Maximum", period: 60, evaluationPeriods: 3, comparison: "GreaterThanThreshold", threshold: t.searchJvmMemoryPressurePercent, unit: "%", dimensionKeys: search, treatMissingData: "breaching", severity: "page", see: SEARCH },
        // The web ACL's total (Rule "ALL"): a surge is an attack or a rule blocking citizens. A count.
        // prettier-ignore
        { key: "waf-blocked-surge", tier: "waf", title: "WAF blocked requests surge", namespace: "AWS/WAFV2", metricName: "BlockedRequests", statistic: "Sum", period: 300, evaluationPeriods: 1, comparison: "GreaterThanThreshold", threshold: t.wafBlockedRequests, unit: "requests / 5 min", dimensionKeys: ["WebACL", "Region", "Rule"], treatMissingData: "notBreaching", severity: "ticket", see: WAF },
    ];
    return entries.map(({ unit, ...e }) => ({
        ...e,
        datapointsToAlarm: e.datapointsToAlarm ?? e.evaluationPeriods,
        thresholdText: `${e.comparison === "GreaterThanThreshold" ? ">" : "<"} ${unit === "bytes" ? `${formatBytes(e.threshold)}` : `${e.threshold}${unit ? ` ${unit}` : ""}`}`,
    }));
}

const formatBytes = (bytes: number) => (bytes >= GiB ? `${bytes / GiB} GiB` : `${bytes / 1024 ** 2} MiB`);

/** The thresholds with every config value at its default (the README's table, the tests). */
export function defaultThresholds(): AlarmThresholds {
    const o = DEFAULTS.observability;
    return { cpuPercent: o.cpuAlarmPercent, errorRatePercent: o.errorRateAlarmPercent, replicaLagSeconds: DEFAULTS.dr.replicaLagAlarmSeconds, ...o.alarms };
}

/** The catalogue at the defaults, for prod's database class and search volume. */
export function defaultCatalogue(): readonly CatalogueAlarm[] {
    return alarmCatalogue(defaultThresholds(), {
        databaseInstanceClass: DEFAULTS.data.postgres.instanceClass,
        searchVolumeGiB: DEFAULTS.observability.logSearch.volumeGb,
    });
}
