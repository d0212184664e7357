/**
 * CloudWatch (log ingestion and steady-state storage per group, alarm metrics, dashboards), Amazon Managed
 * Service for Prometheus (samples in tiers, storage, query samples), Amazon Managed Grafana (active users),
 * X-Ray (traces the sampling rule records), SNS publishes and Lambda.
 * @see https://aws.amazon.com/cloudwatch/pricing/
 * @see https://aws.amazon.com/prometheus/pricing/
 * @see https://aws.amazon.com/grafana/pricing/
 * @see https://aws.amazon.com/xray/pricing/
 * @see https://aws.amazon.com/sns/pricing/
 * @see https://aws.amazon.com/lambda/pricing/
 */
import { DEFAULTS } from "../../../../model/defaults";
import type { PlannedResource } from "../../../offline";
import type { PricedItem, PricingContext } from "../index";
import { declared, declaredText, item, list, rec, SECONDS_PER_MONTH, usageItem } from "./common";

const DAYS_PER_MONTH = 365 / 12;

/** The usage key sizing a log group's ingestion, from its name. */
export function logGroupKey(name: string): string {
    if (/flow-logs/.test(name)) return "logs.flowLogsGbPerMonth";
    if (/^aws-waf-logs/.test(name)) return "logs.wafGbPerMonth";
    if (/\/logs\/eks\//.test(name)) return "logs.containerGbPerMonth";
    if (/cloudtrail/.test(name)) return "logs.auditGbPerMonth";
    return "logs.serviceGbPerMonth";
}

export function priceLogGroup(r: PlannedResource, ctx: PricingContext): PricedItem[] {
    const name = declaredText(r, r.props.name, "name", r.name);
    const key = logGroupKey(name);
    // The Infrequent Access class ingests at about half the Standard rate (no metric filters, subscriptions or Live Tail).
    const cls = r.props.logGroupClass === "INFREQUENT_ACCESS" ? "infrequentAccess" : "standard";
    const retention = declared(r, r.props.retentionInDays, "retentionInDays", 0);
    const months = retention > 0 ? retention / DAYS_PER_MONTH : 12;
    return [
        usageItem(r, ctx, key, {
            item: `ingestion (${cls === "standard" ? "Standard" : "Infrequent Access"} class)`,
            unit: "GB",
            priceKey: `cloudwatch.logs.ingest.${cls}`,
            category: "observability",
        }),
        usageItem(r, ctx, key, {
            item: retention > 0 ? `storage at steady state (${retention}-day retention)` : "storage (never expires: a year's worth shown)",
            unit: "GB-month",
            priceKey: "cloudwatch.logs.storage",
            category: "observability",
            quantity: (gb) => gb * months,
            note: "stored size taken as ingested size (AWS bills the compressed size: an upper bound)",
        }),
    ];
}

/**
 * Alarm metrics an alarm is billed for: one per metric it reads (each metric of a metric-math alarm counts,
 * the expressions do not); high resolution when any period is under 60 s.
 * @see https://aws.amazon.com/cloudwatch/pricing/ (Alarms: "metric math alarm ... charged per metric")
 */
export function alarmMetrics(r: PlannedResource): { metrics: number; highResolution: boolean } {
    const queries = list(r.props.metricQueries).map(rec);
    if (queries.length === 0) return { metrics: 1, highResolution: declared(r, r.props.period, "period", 60) < 60 };
    const metrics = queries.map((q) => rec(q.metric)).filter((m) => Object.keys(m).length > 0);
    return { metrics: Math.max(1, metrics.length), highResolution: metrics.some((m) => declared(r, m.period, "period", 60) < 60) };
}

export function priceMetricAlarm(r: PlannedResource): PricedItem[] {
    const { metrics, highResolution } = alarmMetrics(r);
    const resolution = highResolution ? "highResolution" : "standard";
    return [
        item(
            `${highResolution ? "high-resolution" : "standard-resolution"} alarm, ${metrics} metric${metrics > 1 ? "s" : ""}`,
            metrics,
            "alarm metrics",
            `cloudwatch.alarm.${resolution}`,
            "observability",
        ),
    ];
}

export const priceDashboard = (): PricedItem[] => [item("custom dashboard", 1, "dashboards", "cloudwatch.dashboard", "observability")];
export const priceCompositeAlarm = (): PricedItem[] => [item("composite alarm", 1, "alarms", "cloudwatch.alarm.composite", "observability")];

/** AMP bills ingestion in tiers: the first 2 billion samples a month at one rate, the next 250 billion at a lower one. */
export const AMP_FIRST_TIER_SAMPLES = 2e9;

/** The collectors' scrape interval: the stack's observability config, else the default (model/defaults.ts). */
export function scrapeIntervalSeconds(ctx: PricingContext): number {
    try {
        const obs = JSON.parse(ctx.config["hybrid-platform:observability"] ?? "{}") as { collection?: { scrapeIntervalSeconds?: number } };
        if (typeof obs.collection?.scrapeIntervalSeconds === "number") return obs.collection.scrapeIntervalSeconds;
    } catch {
        // not JSON: the default applies
    }
    return DEFAULTS.observability.collection.scrapeIntervalSeconds;
}

export function priceAmpWorkspace(r: PlannedResource, ctx: PricingContext): PricedItem[] {
    const interval = scrapeIntervalSeconds(ctx);
    const samplesOf = (series: number) => (series * SECONDS_PER_MONTH) / interval;
    const note = `scraped every ${interval} s`;
    return [
        usageItem(r, ctx, "amp.activeSeries", {
            item: "samples ingested, first 2 billion",
            unit: "10M samples",
            priceKey: "amp.samples.first2B",
            category: "observability",
            quantity: (s) => Math.min(samplesOf(s), AMP_FIRST_TIER_SAMPLES) / 1e7,
            note,
        }),
        usageItem(r, ctx, "amp.activeSeries", {
            item: "samples ingested, next 250 billion",
            unit: "10M samples",
            priceKey: "amp.samples.next250B",
            category: "observability",
            quantity: (s) => Math.max(0, samplesOf(s) - AMP_FIRST_TIER_SAMPLES) / 1e7,
            note,
        }),
        usageItem(r, ctx, "amp.activeSeries", {
            item: "metric storage (150-day default retention)",
            unit: "GB-month",
            priceKey: "amp.storage",
            category: "observability",
            // ~2 bytes per compressed sample (Prometheus TSDB's order of magnitude), 150 days kept.
            quantity: (s) => (samplesOf(s) * (150 / DAYS_PER_MONTH) * 2) / 1e9,
            note: `${note}; ~2 bytes per stored sample`,
        }),
        usageItem(r, ctx, "amp.querySamplesBillionsPerMonth", {
            item: "query samples processed",
            unit: "billion samples",
            priceKey: "amp.querySamples",
            category: "observability",
        }),
    ];
}

export const priceGrafanaWorkspace = (r: PlannedResource, ctx: PricingContext): PricedItem[] => [
    usageItem(r, ctx, "grafana.editors", {
        item: "editor/admin licences (active users)",
        unit: "users",
        priceKey: "grafana.editor",
        category: "observability",
    }),
    usageItem(r, ctx, "grafana.viewers", { item: "viewer licences (active users)", unit: "users", priceKey: "grafana.viewer", category: "observability" }),
];

/** Traces a rule records per second: its reservoir first, then the fixed rate of the rest. */
export function tracesPerSecond(requestsPerSecond: number, reservoir: number, fixedRate: number): number {
    return Math.min(requestsPerSecond, reservoir) + Math.max(0, requestsPerSecond - reservoir) * fixedRate;
}

export function priceSamplingRule(r: PlannedResource, ctx: PricingContext): PricedItem[] {
    const reservoir = declared(r, r.props.reservoirSize, "reservoirSize", 1);
    const rate = declared(r, r.props.fixedRate, "fixedRate", 0.05);
    return [
        usageItem(r, ctx, "xray.requestsPerMonth", {
            item: `traces recorded (reservoir ${reservoir}/s, then ${rate * 100}%)`,
            unit: "1M traces",
            priceKey: "xray.tracesRecorded",
            category: "observability",
            quantity: (requests) => (tracesPerSecond(requests / SECONDS_PER_MONTH, reservoir, rate) * SECONDS_PER_MONTH) / 1e6,
            note: "the account's 100,000 free traces a month not deducted",
        }),
        usageItem(r, ctx, "xray.tracesRetrievedPerMonth", {
            item: "traces retrieved or scanned",
            unit: "1M traces",
            priceKey: "xray.tracesRetrieved",
            category: "observability",
            quantity: (t) => t / 1e6,
        }),
    ];
}

/** A group is free; with Insights enabled it is billed per trace Insights analyses, a rate the table does not hold. */
export function priceXrayGroup(r: PlannedResource): PricedItem[] | { unpriced: string } {
    return rec(r.props.insightsConfiguration).insightsEnabled === true
        ? { unpriced: "X-Ray Insights is enabled on this group: billed per trace analysed, no verified rate in model/prices" }
        : [];
}

export const priceTopic = (r: PlannedResource, ctx: PricingContext): PricedItem[] => [
    usageItem(r, ctx, "sns.publishesPerMonth", {
        item: "publishes",
        unit: "1M requests",
        priceKey: "sns.publishes",
        category: "observability",
        quantity: (n) => n / 1e6,
        note: "the account's first 1M free not deducted; email/HTTPS deliveries not priced",
    }),
];

export function priceLambda(r: PlannedResource, ctx: PricingContext): PricedItem[] {
    const memoryGb = declared(r, r.props.memorySize, "memorySize", 128) / 1024;
    const arch = list(r.props.architectures).includes("arm64") ? "arm64" : "x86";
    const invocations = ctx.usage(r, "lambda.invocationsPerMonth").value;
    return [
        usageItem(r, ctx, "lambda.invocationsPerMonth", {
            item: "requests",
            unit: "1M requests",
            priceKey: "lambda.requests",
            category: "security",
            quantity: (n) => n / 1e6,
        }),
        usageItem(r, ctx, "lambda.averageDurationMs", {
            item: `compute (${memoryGb * 1024} MB, ${arch})`,
            unit: "GB-seconds",
            priceKey: `lambda.gbSecond.${arch}`,
            category: "security",
            quantity: (ms) => (invocations * ms * memoryGb) / 1000,
            note: `${invocations} invocations/month`,
        }),
    ];
}
