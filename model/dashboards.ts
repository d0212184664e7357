/**
 * The Grafana dashboards (seed 6: "Grafana for visualization"), as Grafana dashboard JSON models generated from model/:
 * the SLOs and their error budgets, RED metrics of django-web and fastapi-api, Celery, the data tier, the edge (WAF,
 * ALB) and the DR replication lag. Prometheus panels read the recording rules and the metrics the rules read
 * (model/alertRules.ts); CloudWatch panels read the AWS metrics the alarms watch (tests check both).
 *
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 */
import { APP_METRICS, budgetRemainingRecord, objectives, SLO_SERVICES, sliRecord, SloConfig } from "./slo";

/** The data sources' uids, fixed so the dashboards' JSON does not depend on deploy-time values. */
export const DATASOURCE_UIDS = { prometheus: "amp", cloudwatch: "cloudwatch" } as const;

export interface PrometheusTarget {
    readonly refId: string;
    readonly datasource: { readonly type: "prometheus"; readonly uid: string };
    readonly expr: string;
    readonly legendFormat: string;
}

export interface CloudWatchTarget {
    readonly refId: string;
    readonly datasource: { readonly type: "cloudwatch"; readonly uid: string };
    readonly queryMode: "Metrics";
    readonly region: string;
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
    /** Wildcard dimensions (`*`) match every resource of the account: no deploy-time identifier in the JSON. */
    readonly matchExact: false;
    readonly statistic: string;
}

export interface Panel {
    readonly id: number;
    readonly type: "timeseries" | "stat";
    readonly title: string;
    readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
    readonly datasource: { readonly type: string; readonly uid: string };
    readonly targets: readonly (PrometheusTarget | CloudWatchTarget)[];
    readonly fieldConfig: { readonly defaults: { readonly unit: string }; readonly overrides: readonly unknown[] };
}

export interface Dashboard {
    readonly uid: string;
    readonly title: string;
    readonly tags: readonly string[];
    readonly timezone: "utc";
    readonly schemaVersion: number;
    readonly time: { readonly from: string; readonly to: string };
    readonly refresh: string;
    readonly templating: { readonly list: readonly unknown[] };
    readonly panels: readonly Panel[];
}

interface PanelSpec {
    readonly title: string;
    readonly type?: Panel["type"];
    readonly unit: string;
    readonly queries: readonly (Omit<PrometheusTarget, "refId" | "datasource"> | Omit<CloudWatchTarget, "refId" | "datasource" | "queryMode" | "matchExact">)[];
}

const isPromQuery = (q: PanelSpec["queries"][number]): q is Omit<PrometheusTarget, "refId" | "datasource"> => "expr" in q;

/** Two panels a row, 12 columns by 8 rows each (Grafana's grid is 24 columns wide). */
function dashboard(uid: string, title: string, specs: readonly PanelSpec[], templating: readonly unknown[] = []): Dashboard {
    const panels = specs.map((s, i): Panel => {
        const prom = s.queries.every(isPromQuery);
        const datasource = prom ? { type: "prometheus", uid: DATASOURCE_UIDS.prometheus } : { type: "cloudwatch", uid: DATASOURCE_UIDS.cloudwatch };
        const targets = s.queries.map((q, j) => {
            const refId = String.fromCharCode(65 + j);
            return isPromQuery(q)
                ? { refId, datasource: { type: "prometheus" as const, uid: DATASOURCE_UIDS.prometheus }, ...q }
                : {
                      refId,
                      datasource: { type: "cloudwatch" as const, uid: DATASOURCE_UIDS.cloudwatch },
                      queryMode: "Metrics" as const,
                      matchExact: false as const,
                      ...q,
                  };
        });
        return {
            id: i + 1,
            type: s.type ?? "timeseries",
            title: s.title,
            gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
            datasource,
            targets,
            fieldConfig: { defaults: { unit: s.unit }, overrides: [] },
        };
    });
    return {
        uid,
        title,
        tags: ["hybrid-platform", "seed-6"],
        timezone: "utc",
        schemaVersion: 39,
        time: { from: "now-24h", to: "now" },
        refresh: "1m",
        templating: { list: templating },
        panels,
    };
}

const served = `service=~"${SLO_SERVICES.join("|")}"`;
const cw = (namespace: string, metricName: string, statistic: string, dimensions: Record<string, string>, region = "default") => ({
    namespace,
    metricName,
    statistic,
    dimensions,
    region,
});

export interface DashboardInputs {
    readonly slo: SloConfig;
    /** The DR stack's region, where the replica publishes ReplicaLag. @default the dashboard variable's own default, the stack's region */
    readonly drRegion?: string;
    readonly region: string;
}

/** Every dashboard, in the folder's order. */
export function dashboards(d: DashboardInputs): readonly Dashboard[] {
    const slos = objectives(d.slo);
    const slo = dashboard(
        "platform-slo",
        "SLOs and error budgets",
        slos.flatMap((o) => [
            {
                title: `${o.sli}: bad-event ratio (SLO ${o.summary})`,
                unit: "percentunit",
                queries: (["5m", "1h", "6h", "3d"] as const).map((w) => ({ expr: sliRecord(o.sli, w), legendFormat: `{{service}} ${w}` })),
            },
            {
                title: `${o.sli}: error budget left (30 days)`,
                type: "stat" as const,
                unit: "percentunit",
                queries: [{ expr: budgetRemainingRecord(o.sli), legendFormat: "{{service}}" }],
            },
            {
                title: `${o.sli}: burn rate over 1 h (page above 14.4)`,
                unit: "short",
                queries: [{ expr: `${sliRecord(o.sli, "1h")} / ${o.budget}`, legendFormat: "{{service}}" }],
            },
        ]),
    );
    const red = dashboard("platform-red", "RED: django-web and fastapi-api", [
        {
            title: "Rate: requests per second",
            unit: "reqps",
            queries: [{ expr: `sum by (service) (rate(${APP_METRICS.requests}{${served}}[5m]))`, legendFormat: "{{service}}" }],
        },
        { title: "Errors: 5xx ratio", unit: "percentunit", queries: [{ expr: sliRecord("availability", "5m"), legendFormat: "{{service}}" }] },
        {
            title: "Duration: p50 / p99",
            unit: "s",
            queries: [0.5, 0.99].map((q) => ({
                expr: `histogram_quantile(${q}, sum by (service, le) (rate(${APP_METRICS.duration}_bucket{${served}}[5m])))`,
                legendFormat: `{{service}} p${q * 100}`,
            })),
        },
        {
            title: `Slow requests (over ${d.slo.latencyThresholdSeconds} s)`,
            unit: "percentunit",
            queries: [{ expr: sliRecord("latency", "5m"), legendFormat: "{{service}}" }],
        },
    ]);
    const celery = dashboard("platform-celery", "Celery: queues and tasks", [
        { title: "Queue depth", unit: "short", queries: [{ expr: `sum by (queue) (${APP_METRICS.celeryQueueLength})`, legendFormat: "{{queue}}" }] },
        {
            title: "Task run time p95",
            unit: "s",
            queries: [{ expr: `histogram_quantile(0.95, sum by (queue, le) (rate(${APP_METRICS.celeryTaskRuntime}_bucket[5m])))`, legendFormat: "{{queue}}" }],
        },
    ]);
    const data = dashboard("platform-data", "Data tier: PostgreSQL and Redis", [
        { title: "RDS CPU", unit: "percent", queries: [cw("AWS/RDS", "CPUUtilization", "Maximum", { DBInstanceIdentifier: "*" })] },
        { title: "RDS free storage", unit: "bytes", queries: [cw("AWS/RDS", "FreeStorageSpace", "Minimum", { DBInstanceIdentifier: "*" })] },
        { title: "RDS connections", unit: "short", queries: [cw("AWS/RDS", "DatabaseConnections", "Maximum", { DBInstanceIdentifier: "*" })] },
        { title: "RDS freeable memory", unit: "bytes", queries: [cw("AWS/RDS", "FreeableMemory", "Minimum", { DBInstanceIdentifier: "*" })] },
        { title: "Redis engine CPU", unit: "percent", queries: [cw("AWS/ElastiCache", "EngineCPUUtilization", "Maximum", { CacheClusterId: "*" })] },
        { title: "Redis memory used", unit: "percent", queries: [cw("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "Maximum", { CacheClusterId: "*" })] },
    ]);
    const edge = dashboard("platform-edge", "Edge: WAF and ALB", [
        { title: "WAF blocked requests", unit: "short", queries: [cw("AWS/WAFV2", "BlockedRequests", "Sum", { WebACL: "*", Rule: "ALL", Region: d.region })] },
        {
            title: "ALB requests and 5xx",
            unit: "short",
            queries: [
                cw("AWS/ApplicationELB", "RequestCount", "Sum", { LoadBalancer: "*" }),
                cw("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", { LoadBalancer: "*" }),
                cw("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", { LoadBalancer: "*" }),
            ],
        },
        { title: "ALB target response time p99", unit: "s", queries: [cw("AWS/ApplicationELB", "TargetResponseTime", "p99", { LoadBalancer: "*" })] },
        {
            title: "ALB unhealthy targets",
            unit: "short",
            queries: [cw("AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", { LoadBalancer: "*", TargetGroup: "*" })],
        },
    ]);
    // The replica publishes in the DR region; the dashboard variable names it (set from the stack, editable in Grafana).
    const drRegion = d.drRegion ?? d.region;
    const dr = dashboard(
        "platform-dr",
        "DR: replication lag",
        [
            { title: "RDS replica lag", unit: "s", queries: [cw("AWS/RDS", "ReplicaLag", "Maximum", { DBInstanceIdentifier: "*" }, "$dr_region")] },
            {
                title: "S3 replication latency",
                unit: "s",
                queries: [cw("AWS/S3", "ReplicationLatency", "Maximum", { SourceBucket: "*", DestinationBucket: "*", RuleId: "*" })],
            },
            {
                title: "S3 operations failing replication",
                unit: "short",
                queries: [cw("AWS/S3", "OperationsFailedReplication", "Sum", { SourceBucket: "*", DestinationBucket: "*", RuleId: "*" })],
            },
            {
                title: "Uptime check (Route53, us-east-1)",
                unit: "short",
                queries: [cw("AWS/Route53", "HealthCheckStatus", "Minimum", { HealthCheckId: "*" }, "us-east-1")],
            },
        ],
        [{ name: "dr_region", type: "textbox", label: "DR region", query: drRegion, current: { text: drRegion, value: drRegion } }],
    );
    return [slo, red, celery, data, edge, dr];
}

/** The CloudWatch metrics the dashboards read, as `namespace/metric`. */
export const cloudWatchMetricsOf = (ds: readonly Dashboard[]): string[] => [
    ...new Set(
        ds.flatMap((d) =>
            d.panels.flatMap((p) => p.targets.filter((t): t is CloudWatchTarget => "metricName" in t).map((t) => `${t.namespace}/${t.metricName}`)),
        ),
    ),
];

/**
 * The CloudWatch metrics a dashboard may read, per namespace, each from the AWS page that lists it (a misspelt metric
 * name draws an empty panel, never an error). The alarms' metrics in the same namespaces must be listed here too (tests).
 */
export const CLOUDWATCH_METRICS: Readonly<Record<string, { readonly see: string; readonly metrics: readonly string[] }>> = {
    "AWS/RDS": {
        see: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html",
        metrics: ["CPUUtilization", "FreeStorageSpace", "DatabaseConnections", "FreeableMemory", "ReplicaLag"],
    },
    "AWS/ElastiCache": {
        see: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html",
        metrics: ["EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "CPUUtilization", "Evictions", "ReplicationLag"],
    },
    "AWS/WAFV2": {
        see: "https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html",
        metrics: ["BlockedRequests", "AllowedRequests", "CountedRequests"],
    },
    "AWS/ApplicationELB": {
        see: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html",
        metrics: ["RequestCount", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "TargetResponseTime", "UnHealthyHostCount"],
    },
    "AWS/S3": {
        see: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html#s3-cloudwatch-replication-metrics",
        metrics: ["ReplicationLatency", "OperationsFailedReplication", "OperationsPendingReplication", "BytesPendingReplication"],
    },
    "AWS/Route53": {
        see: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-check-metrics.html",
        metrics: ["HealthCheckStatus", "HealthCheckPercentageHealthy"],
    },
};
