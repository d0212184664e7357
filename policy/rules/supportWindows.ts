/**
 * Support windows the pack checks pinned versions against (issue #11: "every pinned version inside its support window
 * at plan time"). The dates live in model/versions.ts, each with its source; this file says how a plan's value maps to
 * a window and what a date means: mandatory once the version can no longer be created or has left standard support,
 * advisory within ADVISORY_DAYS before that.
 */
import {
    CHARTS,
    ChartKubernetes,
    KUBERNETES_SUPPORT,
    LAMBDA_RUNTIMES,
    OPENSEARCH,
    POSTGRES_MINORS,
    REDIS_WINDOWS,
    SupportWindow,
    chartKubernetesProblem,
    clusterAutoscalerMinor,
} from "../../model/versions";

/** How long before the end of a window the pack starts warning. */
export const ADVISORY_DAYS = 90;

/** "Today" at plan time (UTC). Tests replace `today` (or set the policy's `today` config) to plan on another day. */
export const supportClock = { today: (): string => new Date().toISOString().slice(0, 10) };

export interface WindowVerdict {
    readonly level: "mandatory" | "advisory";
    readonly message: string;
}

const DAY = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/** The verdict on a window on `today` (ISO date): undefined when inside it and more than ADVISORY_DAYS from its end. */
export function windowVerdict(what: string, window: SupportWindow, today: string): WindowVerdict | undefined {
    // The first of: no new resources (RDS minor deprecation: creating fails), the day after standard support ends.
    const ends: [string, string][] = [];
    if (window.noNewResourcesFrom) ends.push([window.noNewResourcesFrom, `can no longer be created from ${window.noNewResourcesFrom}`]);
    if (window.standardSupportEnds) {
        const after = new Date(Date.parse(`${window.standardSupportEnds}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
        ends.push([after, `left standard support on ${window.standardSupportEnds}`]);
    }
    ends.sort((a, b) => a[0].localeCompare(b[0]));
    const first = ends[0];
    if (!first) return undefined;
    const left = daysBetween(today, first[0]);
    if (left <= 0) return { level: "mandatory", message: `${what} ${first[1]} (source: ${window.source})` };
    if (left <= ADVISORY_DAYS)
        return {
            level: "advisory",
            message: `${what}: ${first[1].replace(/^left/, "leaves").replace(/^can no longer/, "can no longer")} in ${left} days (source: ${window.source})`,
        };
    return undefined;
}

/** The window of a value a plan carries, or a sentence saying none is known. */
export type Lookup = { window: SupportWindow } | { unknown: string } | { none: true };

export function eksWindow(version: string): Lookup {
    const w = (KUBERNETES_SUPPORT as Record<string, SupportWindow>)[version];
    return w ? { window: w } : { unknown: `EKS Kubernetes ${version} is not in model/versions.ts KUBERNETES_SUPPORT (no known window)` };
}

export function rdsWindow(engine: string, version: string): Lookup {
    if (engine !== "postgres") return { none: true };
    const w = (POSTGRES_MINORS as Record<string, SupportWindow>)[version];
    return w ? { window: w } : { unknown: `RDS for PostgreSQL ${version} is not in model/versions.ts POSTGRES_MINORS (no known window)` };
}

export function elastiCacheWindow(engine: string, version: string): Lookup {
    if (engine !== "redis") return { none: true };
    const w = (REDIS_WINDOWS as Record<string, SupportWindow>)[version.split(".")[0]];
    return w ? { window: w } : { none: true };
}

export function openSearchWindow(version: string): Lookup {
    return version === OPENSEARCH.version ? { window: OPENSEARCH.support } : { unknown: `OpenSearch engine ${version} is not the pin in model/versions.ts` };
}

export function lambdaWindow(runtime: string): Lookup {
    const w = (LAMBDA_RUNTIMES as Record<string, SupportWindow>)[runtime];
    return w ? { window: w } : { unknown: `Lambda runtime ${runtime} is not in model/versions.ts LAMBDA_RUNTIMES (no known window)` };
}

/** Why a Helm release of `chart`@`version` does not fit Kubernetes `kubernetes`, or a note that its range is unknown. */
export function chartVerdict(chart: string, version: string, kubernetes: string): WindowVerdict | undefined {
    if (chart === CHARTS.clusterAutoscaler.chart) {
        const minor = clusterAutoscalerMinor(version);
        if (minor !== undefined && minor !== kubernetes)
            return {
                level: "mandatory",
                message: `Helm chart ${chart} ${version} ships Cluster Autoscaler ${minor}, not ${kubernetes} (source: ${CHARTS.clusterAutoscaler.kubernetes.source})`,
            };
    }
    const pin = Object.values(CHARTS).find((c) => c.chart === chart && c.version === version) as { kubernetes: ChartKubernetes } | undefined;
    if (!pin) return { level: "advisory", message: `Helm chart ${chart} ${version} is not a pin of model/versions.ts CHARTS: its Kubernetes range is unknown` };
    const problem = chartKubernetesProblem(pin.kubernetes, kubernetes);
    return problem ? { level: "mandatory", message: `Helm chart ${chart} ${version} ${problem} (source: ${pin.kubernetes.source})` } : undefined;
}
