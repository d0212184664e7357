/**
 * The review's verdict (issue #15 item 7): one line a person can act on, the last line of
 * `npm run plan`, the first of the Markdown report and the HTML page.
 *
 * - FAIL: a mandatory violation (the plan exits 1 and a real `pulumi up` would stop on it).
 * - ATTENTION: the design misses one of the seed's own claims (section 9): the composite SLA of
 *   the serving path below the target in this region, a single point of failure, RPO or RTO over
 *   its target, or the load not fitting after losing one AZ. A composite below target that the DR
 *   site brings back over it is still ATTENTION: the DR path only serves after a failover, and
 *   each failover is an outage of up to the RTO, so the region alone does not meet the target.
 * - PASS: none of those. Advisory violations are counted, not judged: each is a declared
 *   exception the pack reports. Cost is shown against the seed's estimate, never judged either:
 *   the seed's ~$3,350 is an estimate, not a budget the stacks were given.
 */
import type { Plan } from "../offline";
import { minutes, money, percent, violationCounts } from "./format";
import type { PlanReview } from "./types";

export type VerdictStatus = "PASS" | "ATTENTION" | "FAIL";

export interface Verdict {
    readonly status: VerdictStatus;
    /** Why it is not PASS, one sentence each (empty for PASS). */
    readonly reasons: string[];
}

export type ReviewedPlan = Plan & Partial<PlanReview>;

/** Cloud and Kubernetes resources: what a deploy creates (components are groupings, not resources). */
export function resourceCount(plan: Plan): number {
    return plan.resources.filter((r) => r.custom).length;
}

export function verdictOf(plan: ReviewedPlan): Verdict {
    const reasons: string[] = [];
    const { mandatory } = violationCounts(plan.violations);
    if (mandatory > 0) reasons.push(`${mandatory} mandatory violation${mandatory === 1 ? "" : "s"}: a real pulumi preview/up stops on them`);
    // A stack with no serving path (bootstrap) has no SLA to state: its composite of nothing is not 100%.
    const a = plan.availability && plan.availability.path.length > 0 ? plan.availability : undefined;
    if (a && a.composite < a.target) {
        reasons.push(
            a.compositeWithDr >= a.target
                ? `SLA ${percent(a.composite)} is below the ${percent(a.target)} target in this region; met only with the DR site ` +
                      `(${percent(a.compositeWithDr)}), and each failover is an outage of up to the RTO`
                : `SLA ${percent(a.composite)} is below the ${percent(a.target)} target, ${percent(a.compositeWithDr)} even with the DR site`,
        );
    }
    const spofs = a?.singlePointsOfFailure.length ?? 0;
    if (spofs > 0) reasons.push(`${spofs} single point${spofs === 1 ? "" : "s"} of failure on the serving path`);
    const dr = plan.dr;
    if (dr && !dr.meetsRpo) reasons.push(`RPO ${minutes(dr.rpoMinutes)} exceeds its ${minutes(dr.rpoTargetMinutes)} target`);
    if (dr && !dr.meetsRto) reasons.push(`RTO ${minutes(dr.rtoMinutes)} exceeds its ${minutes(dr.rtoTargetMinutes)} target`);
    const headroom = plan.capacity?.headroomAfterAzLoss;
    if (headroom && !headroom.fits)
        reasons.push(`the load does not fit after losing one AZ: ${headroom.slotsNeeded} pod slots needed, ${headroom.slotsLeft} left`);
    const status: VerdictStatus = mandatory > 0 ? "FAIL" : reasons.length > 0 ? "ATTENTION" : "PASS";
    return { status, reasons };
}

/** Compact minutes for the verdict line: "62m", "4h", "3h5m". */
function shortMinutes(value: number): string {
    const m = Math.round(value);
    if (m < 120) return `${m}m`;
    return m % 60 === 0 ? `${m / 60}h` : `${Math.floor(m / 60)}h${m % 60}m`;
}

type Part = "resources" | "violations" | "cost" | "sla" | "dr";

/** The verdict's parts, each from its fullest form to its shortest. */
function segments(plan: ReviewedPlan): { part: Part; forms: string[] }[] {
    const count = (n: number) => n.toLocaleString("en-US");
    const { mandatory, advisory } = violationCounts(plan.violations);
    const n = resourceCount(plan);
    const parts: { part: Part; forms: string[] }[] = [
        { part: "resources", forms: [`${count(n)} resources`, `${count(n)} res`] },
        { part: "violations", forms: [`${count(mandatory)} mandatory, ${count(advisory)} advisory`, `${count(mandatory)} mand, ${count(advisory)} adv`] },
    ];
    if (plan.cost) {
        // "+": some resources cost money but have no price listed, so the total is a floor.
        const total = `${money(plan.cost.monthlyTotal)}${plan.cost.unpriced.length > 0 ? "+" : ""}`;
        parts.push({ part: "cost", forms: [`${total}/month`, `${total}/mo`] });
    }
    // A stack with no serving path (bootstrap) has no SLA to state: its composite of nothing is not 100%.
    const a = plan.availability && plan.availability.path.length > 0 ? plan.availability : undefined;
    if (a) {
        const sla = `SLA ${percent(a.composite)}`;
        parts.push({
            part: "sla",
            forms: [`${sla} (target ${percent(a.target)}, ${percent(a.compositeWithDr)} with DR)`, `${sla} (DR ${percent(a.compositeWithDr)})`, sla],
        });
    }
    if (plan.dr) {
        const { rpoMinutes: rpo, rtoMinutes: rto } = plan.dr;
        parts.push({ part: "dr", forms: [`RPO ${minutes(rpo)} / RTO ${minutes(rto)}`, `RPO ${shortMinutes(rpo)}/RTO ${shortMinutes(rto)}`] });
    }
    return parts;
}

/**
 * The order parts are shortened in: what loses least first. The SLA's target and with-DR figure go first
 * (the reasons printed above the line restate them), the counts' words last (they are what a reader scans for).
 */
const SHORTENING: readonly Part[] = ["sla", "dr", "cost", "sla", "violations", "resources"];

/**
 * `verdict prod: 508 resources · 0 mandatory, 7 advisory · $4,812/month · SLA 99.77% (target 99.9%,
 * 99.99% with DR) · RPO 5 min / RTO 62 min: ATTENTION` in at most `width` columns: parts are
 * shortened in SHORTENING's order until it fits, then the last parts dropped (the status always
 * stays). The targets are the seed's; the reasons printed above the line say which one is missed.
 */
export function verdictLine(plan: ReviewedPlan, width = 100): string {
    const { status } = verdictOf(plan);
    const stack = plan.stack.length > 20 ? `${plan.stack.slice(0, 19)}…` : plan.stack;
    const parts = segments(plan);
    const level = new Map<Part, number>(parts.map((p) => [p.part, 0]));
    const text = () => `verdict ${stack}: ${parts.map((p) => p.forms[Math.min(level.get(p.part) ?? 0, p.forms.length - 1)]).join(" · ")}: ${status}`;
    for (const part of SHORTENING) {
        if (text().length <= width) break;
        if (level.has(part)) level.set(part, (level.get(part) ?? 0) + 1);
    }
    while (parts.length > 1 && text().length > width) parts.pop();
    return text();
}
