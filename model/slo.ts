/**
 * The platform's service level objectives (seed 2 and 6: a 99.9% SLA, checked continuously) and the SRE workbook's
 * multiwindow, multi-burn-rate alerting parameters that protect them. Pure: model/alertRules.ts turns these into
 * Prometheus rules, model/dashboards.ts into the SLO dashboard.
 *
 * @see https://sre.google/workbook/alerting-on-slos/ (section 6, "Multiwindow, Multi-Burn-Rate Alerts", and the table
 *      "Recommended parameters for a 99.9% SLO alerting configuration")
 */
import { z } from "zod";
import { DEFAULTS } from "./defaults";
import type { ServedName } from "./workloads";

const SLO = DEFAULTS.observability.slo;

export const sloSchema = z
    .strictObject({
        availabilityTargetPercent: z.number().gt(90).lt(100).default(SLO.availabilityTargetPercent).meta({
            description:
                "Availability SLO over 30 days: the percentage of django-web and fastapi-api requests answered without a 5xx (seed 2: 99.9%). The burn-rate alerts (SRE workbook) page when its error budget burns 14.4x or 6x too fast.",
        }),
        latencyTargetPercent: z
            .number()
            .gt(50)
            .lt(100)
            .default(SLO.latencyTargetPercent)
            .meta({ description: "Latency SLO over 30 days: the percentage of requests served within latencyThresholdSeconds." }),
        latencyThresholdSeconds: z.number().positive().max(60).default(SLO.latencyThresholdSeconds).meta({
            description:
                "The latency SLO's threshold, seconds: must be a bucket boundary (`le`) of the apps' http_request_duration_seconds histogram, or the SLI has no series.",
        }),
        celeryBacklogTasks: z
            .number()
            .int()
            .min(1)
            .default(SLO.celeryBacklogTasks)
            .meta({ description: "Tasks waiting in a Celery queue for 15 minutes before the backlog alert opens a ticket." }),
    })
    .prefault({})
    .meta({ description: "Service level objectives and the Prometheus rules' thresholds (issue #13): SLO burn-rate alerts, Celery backlog." });

export type SloConfig = z.infer<typeof sloSchema>;

/** The services the SLOs are measured on: the two that answer citizens' requests (model/workloads.ts). */
export const SLO_SERVICES: readonly ServedName[] = ["django-web", "fastapi-api"];

/**
 * The application metrics the SLIs read (the names the Django and FastAPI Prometheus middlewares expose, and the
 * celery exporter's). One place, so the collectors' scrape jobs, the rules and the dashboards agree.
 */
export const APP_METRICS = {
    /** Counter, labels `service`, `status` (the HTTP status code). */
    requests: "http_requests_total",
    /** Histogram, labels `service`, `le` (seconds). */
    duration: "http_request_duration_seconds",
    /** Gauge, label `queue`: tasks waiting in the broker. */
    celeryQueueLength: "celery_queue_length",
    /** Histogram, labels `name`, `queue`, `le` (seconds): task run time. */
    celeryTaskRuntime: "celery_task_runtime_seconds",
} as const;

/** The SLO period the workbook's parameters assume: 30 days, in hours. */
export const SLO_PERIOD_HOURS = 30 * 24;

/** A Prometheus duration the rules use as a window. */
export type Window = "5m" | "30m" | "1h" | "6h" | "3d";
/** Every window a recording rule computes the SLIs over (each alert pairs a long and a short one). */
export const SLI_WINDOWS: readonly Window[] = ["5m", "30m", "1h", "6h", "3d"];
const WINDOW_HOURS: Record<Window, number> = { "5m": 5 / 60, "30m": 0.5, "1h": 1, "6h": 6, "3d": 72 };
export const windowHours = (w: Window): number => WINDOW_HOURS[w];

/** One row of the workbook's table: how much of the 30-day budget may burn in the long window before it alerts. */
export interface BurnRateAlert {
    /** `critical` pages (PagerDuty), `warning` opens a ticket (e-mail): Alertmanager routes on it. */
    readonly severity: "critical" | "warning";
    /** The fraction of the period's error budget consumed in `long` at which this alert fires. */
    readonly budgetConsumed: number;
    readonly long: Window;
    /** A twelfth of `long` (workbook): the alert stops soon after the burn stops, instead of for the whole long window. */
    readonly short: Window;
}

/** The workbook's recommendation for a 99.9% SLO: 2% in 1 h and 5% in 6 h page, 10% in 3 d opens a ticket. */
export const BURN_RATE_ALERTS: readonly BurnRateAlert[] = [
    { severity: "critical", budgetConsumed: 0.02, long: "1h", short: "5m" },
    { severity: "critical", budgetConsumed: 0.05, long: "6h", short: "30m" },
    { severity: "warning", budgetConsumed: 0.1, long: "3d", short: "6h" },
];

/**
 * The burn rate at which `budgetConsumed` of the budget goes in the long window: budget consumed × period / long window
 * (workbook: 2% of 30 days in 1 h = 14.4; 5% in 6 h = 6; 10% in 3 d = 1).
 */
export function burnRate(a: BurnRateAlert): number {
    return Math.round(((a.budgetConsumed * SLO_PERIOD_HOURS) / windowHours(a.long)) * 1000) / 1000;
}

/** An SLO as the rules see it: a name, the target ratio and the error budget (1 - target). */
export interface Objective {
    /** `availability` or `latency`: names the recording rules and the alert. */
    readonly sli: "availability" | "latency";
    readonly target: number;
    readonly budget: number;
    readonly summary: string;
}

/** The two SLOs from config, as ratios (the percentages' floating-point noise rounded away). */
export function objectives(slo: SloConfig): readonly Objective[] {
    const ratio = (percent: number) => Math.round(percent * 1e4) / 1e6;
    const of = (sli: Objective["sli"], percent: number, summary: string): Objective => {
        const target = ratio(percent);
        return { sli, target, budget: Math.round((1 - target) * 1e6) / 1e6, summary };
    };
    return [
        of("availability", slo.availabilityTargetPercent, `${slo.availabilityTargetPercent}% of requests answered without a 5xx`),
        of("latency", slo.latencyTargetPercent, `${slo.latencyTargetPercent}% of requests served within ${slo.latencyThresholdSeconds} s`),
    ];
}

/** The recording rule holding an SLI's bad-event ratio over a window: `service:sli_<sli>_errors:ratio_rate<w>`. */
export const sliRecord = (sli: Objective["sli"], w: Window): string => `service:sli_${sli}_errors:ratio_rate${w}`;

/** The recording rule holding the share of the 30-day error budget left (dashboards, the error budget panel). */
export const budgetRemainingRecord = (sli: Objective["sli"]): string => `service:sli_${sli}_error_budget:remaining30d`;
