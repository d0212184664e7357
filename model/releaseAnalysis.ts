/**
 * The release tool's pure logic (seed 5: canary or blue-green for production, promoted on metrics): which config
 * paths a release sets, and the verdict on a candidate from its target group's CloudWatch metrics against the
 * stable group's. tools/release.ts drives the stack and CloudWatch around it.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 *      (RequestCount, HTTPCode_Target_5XX_Count, TargetConnectionErrorCount and TargetResponseTime per TargetGroup;
 *      counts are published only when non-zero, so every count is FILLed with 0)
 * @see https://sre.google/workbook/alerting-on-slos/ (burn rate: how many times faster than the SLO allows the budget burns)
 */
import { DEFAULTS } from "./defaults";
import type { ServedName } from "./workloads";

/** The workloads an image belongs to: the keys of `app.images` and `app.release.candidate`. */
export const RELEASE_WORKLOADS = ["djangoWeb", "fastapiApi", "celeryWorker"] as const;
export type ReleaseWorkload = (typeof RELEASE_WORKLOADS)[number];

/** The workloads behind the ALB (a target group per track); the Celery worker takes no requests, so it has no request metrics. */
export const SERVED_WORKLOAD: Partial<Record<ReleaseWorkload, ServedName>> = { djangoWeb: "django-web", fastapiApi: "fastapi-api" };

export interface CandidateImage {
    readonly workload: ReleaseWorkload;
    readonly digest: string;
    /** The release tag the digest was built as, kept for people reading the stack (the digest wins). */
    readonly tag?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Parses `--image <workload>=[<tag>@]sha256:<64 hex>`; a string is the one-line usage error. */
export function parseImageArg(arg: string): CandidateImage | string {
    const eq = arg.indexOf("=");
    const workload = eq < 0 ? arg : arg.slice(0, eq);
    if (!(RELEASE_WORKLOADS as readonly string[]).includes(workload))
        return `--image ${arg}: the workload must be one of ${RELEASE_WORKLOADS.join(", ")} (--image <workload>=[<tag>@]sha256:<64 hex>)`;
    const ref = eq < 0 ? "" : arg.slice(eq + 1);
    const at = ref.lastIndexOf("@");
    const digest = at < 0 ? ref : ref.slice(at + 1);
    const tag = at < 0 ? undefined : ref.slice(0, at);
    if (!DIGEST.test(digest)) return `--image ${arg}: the image must be a digest sha256:<64 hex> (what was scanned is what runs; a tag alone can move)`;
    if (tag !== undefined && (!TAG.test(tag) || tag === "latest")) return `--image ${arg}: the tag before @ must be an immutable release tag, not "latest"`;
    return { workload: workload as ReleaseWorkload, digest, ...(tag === undefined ? {} : { tag }) };
}

/** One config edit under `hybrid-platform:app`, as `pulumi config set --path` / `rm --path` take it. */
export type ConfigEdit = { readonly op: "set"; readonly path: string; readonly value: string } | { readonly op: "remove"; readonly path: string };

/** Step 1: the candidate track runs the new digests (canary at canaryWeight; blue-green at full size, no traffic yet). */
export function candidateEdits(images: readonly CandidateImage[]): ConfigEdit[] {
    return images.map((i) => ({ op: "set", path: `app.release.candidate.${i.workload}.digest`, value: i.digest }));
}

/** Blue-green's switch: all requests to the candidate (model/release.ts candidateTrafficPercent). */
export const switchEdits = (on: boolean): ConfigEdit[] => [{ op: "set", path: "app.release.promote", value: String(on) }];

/**
 * Promotion: the candidate digests become the stable images and the candidate track goes (weight 0). The tag is the
 * candidate's, or removed: an old tag beside a new digest would tell a reader the wrong release.
 */
export function promoteEdits(images: readonly CandidateImage[], stableHasTag: (w: ReleaseWorkload) => boolean, blueGreen: boolean): ConfigEdit[] {
    const edits: ConfigEdit[] = [];
    for (const i of images) {
        edits.push({ op: "set", path: `app.images.${i.workload}.digest`, value: i.digest });
        if (i.tag !== undefined) edits.push({ op: "set", path: `app.images.${i.workload}.tag`, value: i.tag });
        else if (stableHasTag(i.workload)) edits.push({ op: "remove", path: `app.images.${i.workload}.tag` });
    }
    return [...edits, ...rollbackEdits(blueGreen)];
}

/** Rollback (and the end of a promotion): the candidate track removed, blue-green's switch back off. */
export function rollbackEdits(blueGreen: boolean): ConfigEdit[] {
    return [{ op: "remove", path: "app.release.candidate" }, ...(blueGreen ? switchEdits(false) : [])];
}

/** A rolling release (development): the stable images change in place (RollingUpdate, maxUnavailable 0). */
export function rollingEdits(images: readonly CandidateImage[], stableHasTag: (w: ReleaseWorkload) => boolean): ConfigEdit[] {
    return promoteEdits(images, stableHasTag, false).filter((e) => !e.path.startsWith("app.release."));
}

/** A target group's requests over the bake window (counts FILLed with 0; p99 undefined without a request). */
export interface TrackWindow {
    readonly requests: number;
    /** HTTPCode_Target_5XX_Count + TargetConnectionErrorCount (a candidate that refuses connections answers 502 from the ALB). */
    readonly errors: number;
    readonly p99Seconds?: number;
}

/** The verdict rule (RELEASE_RULE with the stack's SLO). */
export interface AnalysisRule {
    readonly minRequests: number;
    /** The candidate's 5XX rate may exceed the stable group's by at most this many percentage points. */
    readonly errorRateMarginPercent: number;
    /** ...and may burn the SLO's error budget (100 - availability target) at most this many times too fast (14.4: the workbook's paging rate). */
    readonly maxBurnRate: number;
    /** The candidate's p99 may be at most stable × factor, or stable + tolerance when that is larger (tiny p99s jitter). */
    readonly latencyFactor: number;
    readonly latencyToleranceSeconds: number;
    readonly availabilityTargetPercent: number;
}

/**
 * The declared rule (not stack config: one rule for every stack, changed by review here). A 10-minute bake at a 10 %
 * canary of ~1,000 users sees a few thousand requests; 300 keeps a handful of 5XX from deciding alone. 14.4 is the
 * workbook's paging burn rate for a 99.9 % SLO; 1.25 x stable p99 with a 50 ms floor tolerates jitter, not a regression.
 */
export const RELEASE_RULE = {
    bakeMinutes: 10,
    minRequests: 300,
    errorRateMarginPercent: 0.5,
    maxBurnRate: 14.4,
    latencyFactor: 1.25,
    latencyToleranceSeconds: 0.05,
} as const;

/** The rule with the stack's availability SLO (hybrid-platform:observability.slo.availabilityTargetPercent). */
export const defaultRule = (availabilityTargetPercent: number = DEFAULTS.observability.slo.availabilityTargetPercent): AnalysisRule => {
    const { bakeMinutes: _, ...rule } = RELEASE_RULE;
    return { ...rule, availabilityTargetPercent };
};

export type Verdict = "pass" | "fail" | "insufficient";

export interface Judgement {
    readonly verdict: Verdict;
    /** One reason per failed condition, or the evidence of a pass. */
    readonly reasons: string[];
    readonly candidateErrorPercent?: number;
    readonly baselineErrorPercent?: number;
}

const pct = (w: TrackWindow) => (100 * w.errors) / Math.max(w.requests, 1);
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3));

/** The candidate against the baseline (the stable group in the same window; under blue-green the stable group before the switch). */
export function judge(served: string, candidate: TrackWindow, baseline: TrackWindow, rule: AnalysisRule): Judgement {
    if (candidate.requests < rule.minRequests || baseline.requests < rule.minRequests)
        return {
            verdict: "insufficient",
            reasons: [
                `${served}: ${candidate.requests} candidate and ${baseline.requests} baseline requests, fewer than the ${rule.minRequests} each needs before it is judged`,
            ],
        };
    const cand = pct(candidate);
    const base = pct(baseline);
    const budgetLimit = (100 - rule.availabilityTargetPercent) * rule.maxBurnRate;
    const reasons: string[] = [];
    if (cand > base + rule.errorRateMarginPercent)
        reasons.push(`${served}: candidate 5XX rate ${fmt(cand)}% over the stable ${fmt(base)}% + ${rule.errorRateMarginPercent} points`);
    if (cand > budgetLimit)
        reasons.push(
            `${served}: candidate 5XX rate ${fmt(cand)}% burns the ${fmt(100 - rule.availabilityTargetPercent)}% error budget over ${rule.maxBurnRate}x too fast (limit ${fmt(budgetLimit)}%)`,
        );
    if (candidate.p99Seconds !== undefined && baseline.p99Seconds !== undefined) {
        const limit = Math.max(baseline.p99Seconds * rule.latencyFactor, baseline.p99Seconds + rule.latencyToleranceSeconds);
        if (candidate.p99Seconds > limit)
            reasons.push(`${served}: candidate p99 ${fmt(candidate.p99Seconds)} s over the limit ${fmt(limit)} s (stable p99 ${fmt(baseline.p99Seconds)} s)`);
    } else reasons.push(`${served}: no TargetResponseTime p99 for the ${candidate.p99Seconds === undefined ? "candidate" : "baseline"}`);
    const evidence = `${served}: candidate ${fmt(cand)}% 5XX, p99 ${fmt(candidate.p99Seconds ?? NaN)} s over ${candidate.requests} requests; baseline ${fmt(base)}%, p99 ${fmt(baseline.p99Seconds ?? NaN)} s`;
    return {
        verdict: reasons.length > 0 ? "fail" : "pass",
        reasons: reasons.length > 0 ? reasons : [evidence],
        candidateErrorPercent: cand,
        baselineErrorPercent: base,
    };
}

/** The worst of several workloads' judgements: any fail fails, then any insufficient. */
export function combine(judgements: readonly Judgement[]): Judgement {
    const worst = judgements.find((j) => j.verdict === "fail") ? "fail" : judgements.find((j) => j.verdict === "insufficient") ? "insufficient" : "pass";
    return { verdict: worst, reasons: judgements.filter((j) => j.verdict === worst).flatMap((j) => j.reasons) };
}
