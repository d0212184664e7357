/**
 * Synthetic series for `promtool test rules`: one scenario per behaviour of the generated rules, each saying at which
 * evaluation time which alerts fire (labels and expanded summaries) and which stay silent. The series are built from
 * the model's metric names and thresholds, so a renamed metric or a moved threshold fails here.
 */
import { AlertingRule, burnAlertName, RuleThresholds, alertingRules } from "../../model/alertRules";
import { APP_METRICS, objectives } from "../../model/slo";

export interface Series {
    readonly series: string;
    readonly values: string;
}

export interface Expectation {
    readonly evalTime: string;
    /** The alert name checked; promtool compares every firing alert of that name. */
    readonly alertname: string;
    /** Which of the rules of that name fire (each picked by its labels), with the series labels they carry. */
    readonly firing: readonly { readonly rule: AlertingRule; readonly labels: Readonly<Record<string, string>> }[];
}

export interface Scenario {
    readonly name: string;
    readonly series: readonly Series[];
    readonly expect: readonly Expectation[];
}

const SVC = "django-web";
/** Requests per minute of the synthetic service. */
const PER_MINUTE = 1000;
/** Minutes of synthetic data: past the latest evaluation below (promtool evaluates every minute up to it). */
const MINUTES = 260;

/** A counter growing by `rate` a minute (rounded: promtool reads no exponent) from 0; `from` minutes of zeros first, when given. */
const counter = (rate: number, from = 0) => {
    const perMinute = Math.max(0, Math.round(rate * 1000) / 1000);
    return from === 0 ? `0+${perMinute}x${MINUTES}` : `0x${from} ${perMinute}+${perMinute}x${MINUTES - from}`;
};

/** Requests of SVC with a share `bad` of 5xx (from minute `from`) and the same share slower than the SLO's threshold. */
function traffic(bad: number, le: string, from = 0): Series[] {
    const badPerMinute = PER_MINUTE * bad;
    return [
        { series: `${APP_METRICS.requests}{service="${SVC}",status="200"}`, values: counter(PER_MINUTE - badPerMinute) },
        { series: `${APP_METRICS.requests}{service="${SVC}",status="500"}`, values: counter(badPerMinute, from) },
        { series: `${APP_METRICS.duration}_bucket{service="${SVC}",le="${le}"}`, values: counter(PER_MINUTE - badPerMinute) },
        { series: `${APP_METRICS.duration}_count{service="${SVC}"}`, values: counter(PER_MINUTE) },
    ];
}

export function scenarios(t: RuleThresholds): Scenario[] {
    const rules = alertingRules(t);
    const rule = (alert: string, long?: string) => rules.find((r) => r.alert === alert && r.labels.long_window === long)!;
    const availability = burnAlertName("availability");
    const latency = burnAlertName("latency");
    const le = String(t.slo.latencyThresholdSeconds);
    const [availBudget, latencyBudget] = objectives(t.slo).map((o) => o.budget);
    const svc = { service: SVC };
    /** Both SLOs burning `burn` times too fast: availability errors and slow requests in the same share of each budget. */
    const burning = (burn: number): Series[] => {
        const [ok, errors] = traffic(availBudget * burn, le);
        const [, , fast, count] = traffic(latencyBudget * burn, le);
        return [ok, errors, fast, count];
    };
    const burnCase = (name: string, burn: number, evalTime: string, longs: readonly string[]): Scenario => ({
        name,
        series: burning(burn),
        expect: [availability, latency].flatMap((alertname) => [
            { evalTime, alertname, firing: longs.map((long) => ({ rule: rule(alertname, long), labels: svc })) },
        ]),
    });
    return [
        burnCase("errors within budget (0.5x): no burn alert", 0.5, "40m", []),
        burnCase("3x burn: the 3 d / 6 h ticket only", 3, "40m", ["3d"]),
        burnCase("8x burn: the 6 h / 30 m page and the ticket, not the 14.4x page", 8, "40m", ["6h", "3d"]),
        burnCase("20x burn: every window", 20, "40m", ["1h", "6h", "3d"]),
        {
            // The long windows: 2% errors (20x) after 200 clean minutes fill the 1 h window past 14.4x after ~44 minutes (the
            // 5 m window is past it at once); the 6 h window, diluted by the clean minutes, stays under 6x; the ticket's 3 d and
            // 6 h windows pass 1x within minutes.
            name: "20x burn after 200 clean minutes: the fast page waits for the 1 h window, the slow page stays silent",
            series: traffic(availBudget * 20, le, 200),
            expect: [
                { evalTime: "235m", alertname: availability, firing: [{ rule: rule(availability, "3d"), labels: svc }] },
                {
                    evalTime: "255m",
                    alertname: availability,
                    firing: [
                        { rule: rule(availability, "1h"), labels: svc },
                        { rule: rule(availability, "3d"), labels: svc },
                    ],
                },
            ],
        },
        {
            name: "seed: more than 1% of requests fail for 5 minutes",
            series: traffic((t.errorRatePercent / 100) * 2, le),
            expect: [
                { evalTime: "4m", alertname: "RequestErrorRateHigh", firing: [] },
                { evalTime: "15m", alertname: "RequestErrorRateHigh", firing: [{ rule: rule("RequestErrorRateHigh"), labels: svc }] },
            ],
        },
        {
            name: "seed: errors under the threshold",
            series: traffic((t.errorRatePercent / 100) * 0.5, le),
            expect: [{ evalTime: "30m", alertname: "RequestErrorRateHigh", firing: [] }],
        },
        {
            name: "seed: node CPU above the threshold for 10 minutes (n1 busy, n2 not)",
            series: [
                { series: `node_cpu_seconds_total{instance="n1",cpu="0",mode="idle"}`, values: `0+${(60 * (100 - t.cpuPercent - 10)) / 100}x60` },
                { series: `node_cpu_seconds_total{instance="n2",cpu="0",mode="idle"}`, values: `0+${(60 * (100 - t.cpuPercent + 10)) / 100}x60` },
            ],
            expect: [
                { evalTime: "8m", alertname: "NodeCpuHigh", firing: [] },
                { evalTime: "20m", alertname: "NodeCpuHigh", firing: [{ rule: rule("NodeCpuHigh"), labels: { instance: "n1" } }] },
            ],
        },
        {
            name: "pod CPU above the threshold of its request (p1 busy, p2 not)",
            series: [
                {
                    series: `container_cpu_usage_seconds_total{namespace="citizen-portal",pod="p1",container="app"}`,
                    values: `0+${(60 * (t.cpuPercent + 10)) / 100}x60`,
                },
                {
                    series: `container_cpu_usage_seconds_total{namespace="citizen-portal",pod="p2",container="app"}`,
                    values: `0+${(60 * (t.cpuPercent - 10)) / 100}x60`,
                },
                { series: `kube_pod_container_resource_requests{namespace="citizen-portal",pod="p1",container="app",resource="cpu"}`, values: "1x60" },
                { series: `kube_pod_container_resource_requests{namespace="citizen-portal",pod="p2",container="app",resource="cpu"}`, values: "1x60" },
            ],
            expect: [
                { evalTime: "8m", alertname: "PodCpuHigh", firing: [] },
                { evalTime: "20m", alertname: "PodCpuHigh", firing: [{ rule: rule("PodCpuHigh"), labels: { namespace: "citizen-portal", pod: "p1" } }] },
            ],
        },
        {
            name: "node n1 NotReady from minute 10, n2 Ready",
            series: [
                { series: `kube_node_status_condition{node="n1",condition="Ready",status="true"}`, values: "1x10 0x50" },
                { series: `kube_node_status_condition{node="n2",condition="Ready",status="true"}`, values: "1x60" },
            ],
            expect: [
                { evalTime: "20m", alertname: "KubeNodeNotReady", firing: [] },
                {
                    evalTime: "30m",
                    alertname: "KubeNodeNotReady",
                    firing: [{ rule: rule("KubeNodeNotReady"), labels: { node: "n1", condition: "Ready", status: "true" } }],
                },
            ],
        },
        {
            name: "a container in CrashLoopBackOff from minute 5",
            series: [
                {
                    series: `kube_pod_container_status_waiting_reason{namespace="citizen-portal",pod="p1",container="app",reason="CrashLoopBackOff"}`,
                    values: "0x5 1x55",
                },
            ],
            expect: [
                { evalTime: "15m", alertname: "KubePodCrashLooping", firing: [] },
                {
                    evalTime: "30m",
                    alertname: "KubePodCrashLooping",
                    firing: [
                        { rule: rule("KubePodCrashLooping"), labels: { namespace: "citizen-portal", pod: "p1", container: "app", reason: "CrashLoopBackOff" } },
                    ],
                },
            ],
        },
        {
            name: "a Celery queue over the backlog threshold (default), another under it (emails)",
            series: [
                { series: `${APP_METRICS.celeryQueueLength}{queue="default"}`, values: `${t.slo.celeryBacklogTasks + 500}x60` },
                { series: `${APP_METRICS.celeryQueueLength}{queue="emails"}`, values: `${Math.floor(t.slo.celeryBacklogTasks / 2)}x60` },
            ],
            expect: [
                { evalTime: "10m", alertname: "CeleryQueueBacklog", firing: [] },
                { evalTime: "20m", alertname: "CeleryQueueBacklog", firing: [{ rule: rule("CeleryQueueBacklog"), labels: { queue: "default" } }] },
            ],
        },
    ];
}

/** `{{ $labels.x }}` expanded as Prometheus does (the rules' summaries use nothing else). */
export const expand = (template: string, labels: Readonly<Record<string, string>>): string =>
    template.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_m, key: string) => labels[key] ?? "");

/** The promtool unit-test file for the scenarios (those `only` keeps), reading `rulesFile`. */
export function promtoolTests(rulesFile: string, t: RuleThresholds, only: (s: Scenario) => boolean = () => true) {
    return {
        rule_files: [rulesFile],
        evaluation_interval: "1m",
        tests: scenarios(t)
            .filter(only)
            .map((s) => ({
                name: s.name,
                interval: "1m",
                input_series: s.series,
                alert_rule_test: s.expect.map((e) => ({
                    eval_time: e.evalTime,
                    alertname: e.alertname,
                    exp_alerts: e.firing.map((f) => {
                        const labels = { ...f.labels, ...f.rule.labels };
                        return { exp_labels: labels, exp_annotations: { summary: expand(f.rule.annotations.summary, labels) } };
                    }),
                })),
            })),
    };
}
