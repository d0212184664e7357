/**
 * The Prometheus rule groups Amazon Managed Service for Prometheus evaluates (seed 6), generated from model/ so the
 * thresholds, the SLOs and the paging catalogue cannot drift: recording rules for the SLIs over every window, the SRE
 * workbook's multiwindow multi-burn-rate alerts for each SLO, the seed's thresholds (CPU > 80%, error rate > 1%) and
 * the cluster's own health (node NotReady, crash loops, Celery backlog). `critical` pages, `warning` opens a ticket
 * (model/alertmanager.ts routes them). Tested with the real `promtool` (tests/model/promtool.test.ts).
 *
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-rules-upload.html (the rules file format AMP takes)
 * @see https://sre.google/workbook/alerting-on-slos/
 */
import { stringify } from "yaml";
import type { PagingEntry } from "./paging";
import {
    APP_METRICS,
    BURN_RATE_ALERTS,
    burnRate,
    budgetRemainingRecord,
    Objective,
    objectives,
    SLI_WINDOWS,
    SLO_SERVICES,
    sliRecord,
    SloConfig,
    Window,
} from "./slo";
import { DEFAULTS } from "./defaults";

export type Severity = "critical" | "warning";

export interface RecordingRule {
    readonly record: string;
    readonly expr: string;
}

export interface AlertingRule {
    readonly alert: string;
    readonly expr: string;
    /** How long the condition must hold before the alert fires (absent: at the first evaluation). */
    readonly for?: string;
    readonly labels: { readonly severity: Severity } & Readonly<Record<string, string>>;
    /** `summary` is the SNS subject's source: plain ASCII, templated with `$labels` only. */
    readonly annotations: { readonly summary: string };
}

export interface RuleGroup {
    readonly name: string;
    readonly interval?: string;
    readonly rules: readonly (RecordingRule | AlertingRule)[];
}

export interface RuleThresholds {
    /** Seed 6: node CPU above this percentage pages. */
    readonly cpuPercent: number;
    /** Seed 6: the request error rate above this percentage pages. */
    readonly errorRatePercent: number;
    readonly slo: SloConfig;
}

/** The thresholds the config defaults to (the paging catalogue quotes these). */
export const DEFAULT_THRESHOLDS: RuleThresholds = {
    cpuPercent: DEFAULTS.observability.cpuAlarmPercent,
    errorRatePercent: DEFAULTS.observability.errorRateAlarmPercent,
    slo: DEFAULTS.observability.slo,
};

/** The name of the AMP rule groups namespace holding every group (one upload, one resource). */
export const RULE_NAMESPACE = "platform-slo";

const served = `service=~"${SLO_SERVICES.join("|")}"`;

/**
 * A histogram's `le` for a threshold: Go clients write 1 as "1", Python's prometheus_client as "1.0"; both match.
 * @see https://prometheus.io/docs/concepts/metric_types/#histogram
 */
export function leMatcher(seconds: number): string {
    const text = String(seconds);
    return Number.isInteger(seconds) ? `le=~"${text}|${text}.0"` : `le=~"${text}"`;
}

/** The bad-event ratio of one SLI over one window, per service (0, not absent, while there is traffic but no error). */
function sliExpr(sli: Objective["sli"], w: Window, slo: SloConfig): string {
    const total = `sum by (service) (rate(${APP_METRICS.requests}{${served}}[${w}]))`;
    if (sli === "availability") {
        const errors = `sum by (service) (rate(${APP_METRICS.requests}{${served},status=~"5.."}[${w}]))`;
        return `(${errors} or ${total} * 0) / ${total}`;
    }
    const fast = `sum by (service) (rate(${APP_METRICS.duration}_bucket{${served},${leMatcher(slo.latencyThresholdSeconds)}}[${w}]))`;
    const all = `sum by (service) (rate(${APP_METRICS.duration}_count{${served}}[${w}]))`;
    return `1 - ${fast} / ${all}`;
}

/** The alert name of an SLO's burn-rate alerts (one name, three severities/windows: the page inhibits the ticket). */
export const burnAlertName = (sli: Objective["sli"]): string => `Slo${sli[0].toUpperCase()}${sli.slice(1)}BudgetBurn`;

function sliGroups(slo: SloConfig): RuleGroup[] {
    const slos = objectives(slo);
    const recordings: RecordingRule[] = slos.flatMap((o) => SLI_WINDOWS.map((w) => ({ record: sliRecord(o.sli, w), expr: sliExpr(o.sli, w, slo) })));
    // The share of the 30-day budget left, from the 1 h ratios (an unweighted mean: a dashboard figure, not an alert).
    const budgets: RecordingRule[] = slos.map((o) => ({
        record: budgetRemainingRecord(o.sli),
        expr: `1 - avg_over_time(${sliRecord(o.sli, "1h")}[30d]) / ${o.budget}`,
    }));
    // Workbook: page when both the long and the short window burn faster than the threshold (AND), one alert per row.
    const burns: AlertingRule[] = slos.flatMap((o) =>
        BURN_RATE_ALERTS.map((a) => {
            const threshold = `(${burnRate(a)} * ${o.budget})`;
            return {
                alert: burnAlertName(o.sli),
                expr: `${sliRecord(o.sli, a.long)} > ${threshold} and ${sliRecord(o.sli, a.short)} > ${threshold}`,
                labels: { severity: a.severity, slo: o.sli, long_window: a.long, short_window: a.short },
                annotations: {
                    summary: `{{ $labels.service }}: ${o.sli} error budget burning faster than ${burnRate(a)}x over ${a.long} and ${a.short} (SLO: ${o.summary})`,
                },
            };
        }),
    );
    return [
        { name: "sli-recording", rules: recordings },
        { name: "slo-error-budget", interval: "5m", rules: budgets },
        { name: "slo-burn-rate", rules: burns },
    ];
}

function seedGroup(t: RuleThresholds): RuleGroup {
    return {
        name: "platform-seed",
        rules: [
            {
                alert: "NodeCpuHigh",
                expr: `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))) > ${t.cpuPercent}`,
                for: "10m",
                labels: { severity: "critical", seed: "6" },
                annotations: { summary: `{{ $labels.instance }}: node CPU above ${t.cpuPercent}% for 10 minutes` },
            },
            {
                alert: "PodCpuHigh",
                expr: `100 * sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!=""}[5m])) / sum by (namespace, pod) (kube_pod_container_resource_requests{resource="cpu"}) > ${t.cpuPercent}`,
                for: "10m",
                labels: { severity: "warning", seed: "6" },
                annotations: { summary: `{{ $labels.namespace }}/{{ $labels.pod }}: CPU above ${t.cpuPercent}% of its request for 10 minutes` },
            },
            {
                alert: "RequestErrorRateHigh",
                expr: `100 * ${sliRecord("availability", "5m")} > ${t.errorRatePercent}`,
                for: "5m",
                labels: { severity: "critical", seed: "6" },
                annotations: { summary: `{{ $labels.service }}: more than ${t.errorRatePercent}% of requests fail (5xx) for 5 minutes` },
            },
        ],
    };
}

/** The cluster's own health, after the kubernetes-mixin's KubeNodeNotReady and KubePodCrashLooping (both: tickets). */
function clusterGroup(t: RuleThresholds): RuleGroup {
    return {
        name: "cluster-health",
        rules: [
            {
                alert: "KubeNodeNotReady",
                expr: `kube_node_status_condition{condition="Ready",status="true"} == 0`,
                for: "15m",
                labels: { severity: "warning" },
                annotations: { summary: "{{ $labels.node }}: node NotReady for 15 minutes" },
            },
            {
                alert: "KubePodCrashLooping",
                expr: `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1`,
                for: "15m",
                labels: { severity: "warning" },
                annotations: { summary: "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}): in CrashLoopBackOff for 15 minutes" },
            },
            {
                alert: "CeleryQueueBacklog",
                expr: `sum by (queue) (${APP_METRICS.celeryQueueLength}) > ${t.slo.celeryBacklogTasks}`,
                for: "15m",
                labels: { severity: "warning" },
                annotations: { summary: `{{ $labels.queue }}: Celery backlog above ${t.slo.celeryBacklogTasks} tasks for 15 minutes` },
            },
        ],
    };
}

/** Every rule group, in evaluation order. */
export function ruleGroups(t: RuleThresholds): readonly RuleGroup[] {
    return [...sliGroups(t.slo), seedGroup(t), clusterGroup(t)];
}

/** The rules file AMP's RuleGroupsNamespace takes (`groups:` YAML, the Prometheus rules format). */
export function alertRulesYaml(t: RuleThresholds): string {
    return stringify({ groups: ruleGroups(t) }, { lineWidth: 0 });
}

export const isAlert = (r: RecordingRule | AlertingRule): r is AlertingRule => "alert" in r;

/** Every alerting rule of the groups. */
export const alertingRules = (t: RuleThresholds): AlertingRule[] => ruleGroups(t).flatMap((g) => g.rules.filter(isAlert));

/** Every recording rule's name (the dashboards' queries may read them). */
export const recordedNames = (t: RuleThresholds): string[] =>
    ruleGroups(t).flatMap((g) => g.rules.filter((r): r is RecordingRule => !isAlert(r)).map((r) => r.record));

/** Where each severity goes (model/alertmanager.ts routes it so; README "What pages whom"). */
export const SEVERITY_ROUTE: Record<Severity, { readonly severity: PagingEntry["severity"]; readonly route: string }> = {
    critical: { severity: "page", route: "AMP Alertmanager → on-call topic → PagerDuty" },
    warning: { severity: "ticket", route: "AMP Alertmanager → ticket topic → e-mail" },
};

/** The paging catalogue's Prometheus rows for the given thresholds: the signal from the summary, the threshold from the expression. */
export function prometheusPaging(t: RuleThresholds): PagingEntry[] {
    return alertingRules(t).map((r) => {
        const burn = r.labels.long_window !== undefined;
        const comparison = /(>=|==|>)\s*([^\s>=]+(?: \* [^)]+\))?)$/.exec(r.expr)!;
        const threshold = burn
            ? `burn rate > ${/\(([\d.]+) \*/.exec(comparison[2])![1]}x on ${r.labels.long_window} and ${r.labels.short_window}`
            : `${comparison[1]} ${comparison[2]}${r.for === undefined ? "" : ` for ${r.for}`}`;
        return {
            name: burn ? `${r.alert} (${r.labels.long_window}/${r.labels.short_window})` : r.alert,
            source: "prometheus",
            // The summary without its `{{ $labels.x }}:` prefix.
            signal: r.annotations.summary.replace(/^[^:]*: /, ""),
            threshold,
            ...SEVERITY_ROUTE[r.labels.severity],
            ...(r.labels.seed === undefined ? {} : { seed: r.labels.seed }),
        };
    });
}

/** The Prometheus rows of the paging catalogue at the default thresholds. */
export const PROMETHEUS_PAGING: readonly PagingEntry[] = prometheusPaging(DEFAULT_THRESHOLDS);
