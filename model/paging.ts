/**
 * "What pages whom" (seed 6, issue #13): every alert this platform raises, its threshold, its severity and where it
 * goes. The CloudWatch entries derive from the alarm catalogue (model/alarms.ts) at the default thresholds, plus the
 * Route 53 uptime check and dr's RPO guards; Prometheus rules add theirs (model/alertRules.ts PROMETHEUS_PAGING).
 * `npm run docs` renders the README table from `pagingTable(...)`. Pure.
 */
import { defaultCatalogue } from "./alarms";
import { DEFAULTS } from "./defaults";

export interface PagingEntry {
    readonly name: string;
    readonly source: "cloudwatch" | "prometheus" | "route53";
    readonly signal: string;
    readonly threshold: string;
    readonly severity: "page" | "ticket";
    readonly route: string;
    readonly seed?: string;
}

/** Where each severity is delivered: the topics of components/observability/alerting.ts (and Alertmanager's routes). */
export const ROUTES: Record<PagingEntry["severity"], string> = {
    page: "on-call topic → PagerDuty + e-mail",
    ticket: "ticket topic → e-mail",
};

/** The CloudWatch alarms of the catalogue, the synthetic uptime check and dr's replication guards. */
export function cloudWatchPaging(): PagingEntry[] {
    const catalogue: PagingEntry[] = defaultCatalogue().map((a) => ({
        name: a.key,
        source: "cloudwatch",
        signal: `${a.title}: ${a.namespace} ${a.metricName}${a.math ? " (5XX / requests, FILLed)" : ""}, ${a.statistic} over ${a.period / 60} min`,
        threshold: `${a.thresholdText} for ${a.datapointsToAlarm} of ${a.evaluationPeriods} periods`,
        severity: a.severity,
        route: ROUTES[a.severity],
        seed: a.seed,
    }));
    return [
        ...catalogue,
        {
            name: "uptime",
            source: "route53",
            signal: "Synthetic HTTPS check of the stack's entry point from 3 regions: AWS/Route53 HealthCheckStatus (us-east-1)",
            threshold: "< 1 for 2 minutes",
            severity: "page",
            route: `${ROUTES.page} (us-east-1 topic)`,
            seed: "6 (99.9% SLA)",
        },
        {
            name: "replication-latency",
            source: "cloudwatch",
            signal: "dr: S3 replication of the documents bucket, AWS/S3 ReplicationLatency (primary region)",
            threshold: `> ${DEFAULTS.dr.replicationLatencyAlarmSeconds} s for 2 of 2 periods`,
            severity: "page",
            route: `${ROUTES.page} (dr's topic in the primary region)`,
            seed: "3 (RPO)",
        },
        {
            name: "replication-failures",
            source: "cloudwatch",
            signal: "dr: objects that failed to replicate, AWS/S3 OperationsFailedReplication (primary region)",
            threshold: "> 0 in 5 min",
            severity: "page",
            route: `${ROUTES.page} (dr's topic in the primary region)`,
            seed: "3 (RPO)",
        },
    ];
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

/** The README table over one or more lists (CloudWatch's, then Prometheus'), pages first. */
export function pagingTable(...lists: readonly (readonly PagingEntry[])[]): string {
    const entries = lists.flat();
    const ordered = [...entries.filter((e) => e.severity === "page"), ...entries.filter((e) => e.severity === "ticket")];
    return [
        `${entries.length} alerts: ${ordered.filter((e) => e.severity === "page").length} page, ${ordered.filter((e) => e.severity === "ticket").length} open a ticket. Thresholds are the defaults (config \`observability\`, \`observability.alarms\`).`,
        "",
        "| alarm / rule | source | signal | threshold | severity | route | seed |",
        "|---|---|---|---|---|---|---|",
        ...ordered.map(
            (e) =>
                `| \`${e.name}\` | ${e.source} | ${cell(e.signal)} | ${cell(e.threshold)} | ${e.severity} | ${cell(e.route)} | ${e.seed ? cell(e.seed) : "–"} |`,
        ),
    ].join("\n");
}
