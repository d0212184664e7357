/**
 * The review's sections of the terminal summary (issue #15 items 1-5, 8), a few lines each and
 * omitted when the plan has none (a bootstrap stack has no capacity or DR): details are in the
 * `--json`, `--report` and `--html` outputs.
 */
import { minutes, money, moneyDelta, percent, seedComparison, seedTotal, shortType, shortUrn } from "./format";
import { WIDTH, fit, wrap } from "./text";
import { COST_CATEGORIES, SEED_COST_LINES, SEED_COST_TOTAL, type PlanReview } from "./types";

const INDENT = "  ";

/** A section's first line at the margin, its continuation lines indented. */
const heading = (text: string): string[] => wrap(text, INDENT, WIDTH, "");

/** Up to `max` items joined with " · ", then "+N more". */
function listed(items: string[], max: number): string {
    return items.length > max ? `${items.slice(0, max).join(" · ")} · +${items.length - max} more` : items.join(" · ");
}

function ratio(plan: number, seed: number): string {
    if (seed === 0) return "";
    const pct = Math.round(((plan - seed) / seed) * 100);
    return ` (${pct >= 0 ? "+" : ""}${pct}%)`;
}

export function costSection(cost: PlanReview["cost"]): string[] {
    // The seed's ~$3,350 is both sites: held against both when the plan has both, never against the standby alone.
    const total = seedTotal(cost);
    const both = (cost.sites ?? []).length > 1;
    const lines = heading(
        `cost: ${money(cost.monthlyTotal)}/month (${cost.currency}, list prices of ${cost.asOf}, ${cost.region})` +
            (both ? "" : ` vs the seed's ~${money(SEED_COST_TOTAL)}${ratio(cost.monthlyTotal, SEED_COST_TOTAL)}`),
    );
    if (both)
        lines.push(...wrap(`${total.basis}: ${money(total.plan)}/month vs the seed's ~${money(SEED_COST_TOTAL)}${ratio(total.plan, SEED_COST_TOTAL)}`, INDENT));
    const bySeed = seedComparison(cost).map((s) => `${s.line.split(" (")[0]} ${money(s.plan)} (seed ${money(s.seed)})`);
    lines.push(...wrap(bySeed.join(" · "), INDENT));
    const seeded = new Set(SEED_COST_LINES.flatMap((s) => s.categories as readonly string[]));
    const byName = new Map(cost.categories.map((c) => [c.name as string, c.monthly]));
    const others = COST_CATEGORIES.filter((c) => !seeded.has(c) && (byName.get(c) ?? 0) > 0).map((c) => `${c} ${money(byName.get(c) ?? 0)}`);
    if (others.length > 0) lines.push(...wrap(`not in the seed: ${others.join(" · ")}`, INDENT));
    const usage = cost.lines.filter((l) => l.usageBased).reduce((sum, l) => sum + l.monthly, 0);
    const notes = [`usage-based ${money(usage)} of it (stated assumptions: --usage overrides)`];
    if (cost.unpriced.length > 0) {
        const types = [...new Set(cost.unpriced.map((u) => shortType(u.type)))];
        notes.push(`${cost.unpriced.length} resources unpriced, not counted: ${listed(types, 3)}`);
    }
    lines.push(...wrap(notes.join(" · "), INDENT));
    return lines;
}

export function capacitySection(c: NonNullable<PlanReview["capacity"]>): string[] {
    const pods = `${c.pods.djangoWeb} django-web, ${c.pods.fastapiApi} fastapi-api, ${c.pods.celeryWorker} celery-worker, ${c.pods.celeryBeat} beat`;
    const lines = heading(
        `capacity: ${c.users.toLocaleString("en-US")} users -> pods ${pods} -> ${c.requiredNodesPerAz} node(s) per AZ needed, ` +
            `${c.declaredNodes} declared over ${c.azCount} AZs`,
    );
    const h = c.headroomAfterAzLoss;
    lines.push(
        ...wrap(
            `after losing one AZ: ${h.slotsLeft} pod slots left for ${h.slotsNeeded} needed (${h.fits ? "fits" : "DOES NOT FIT"}), ` +
                `${h.cpuMillisLeft}m CPU and ${h.memoryMiBLeft} MiB spare`,
            INDENT,
        ),
    );
    const last = c.projection[c.projection.length - 1];
    if (last) {
        lines.push(
            ...wrap(
                `year ${last.year}: ${last.users.toLocaleString("en-US")} users -> ${last.nodes} x ${last.instanceType} ` +
                    `(${last.nodesPerAz}/AZ), ${last.dbInstanceClass}, ${last.storageGb.toLocaleString("en-US")} GB: ${money(last.yearlyUsd)}/year`,
                INDENT,
            ),
        );
    }
    lines.push(...wrap(`seed sizing: ${c.seedSizing.summary}`, INDENT));
    if (c.findings.length > 0) lines.push(fit(`${INDENT}findings: ${c.findings[0]}${c.findings.length > 1 ? ` (+${c.findings.length - 1} more)` : ""}`, WIDTH));
    return lines;
}

export function availabilitySection(a: PlanReview["availability"]): string[] {
    if (a.path.length === 0) return heading(`availability: no serving path: this stack serves no citizen requests (nothing to compose)`);
    const parallel = [`${percent(a.compositeWithDr)} with the DR site`];
    if (a.compositeWithOnPrem !== undefined && a.compositeWithOnPrem !== null) parallel.push(`${percent(a.compositeWithOnPrem)} with the on-prem member`);
    const lines = heading(
        `availability: SLA ${percent(a.composite)} in this region vs the ${percent(a.target)} target ` +
            `(${a.meetsTarget ? "met" : "missed"}) · ${parallel.join(" · ")}`,
    );
    lines.push(...wrap(`path: ${a.path.map((p) => `${p.service} ${percent(p.sla)}`).join(" x ")}`, INDENT));
    const spofs = a.singlePointsOfFailure.map((s) => `${shortUrn(s.urn)} (${s.why})`);
    lines.push(fit(`${INDENT}single points of failure: ${spofs.length === 0 ? "none" : `${spofs.length}: ${listed(spofs, 2)}`}`, WIDTH));
    return lines;
}

export function drSection(dr: NonNullable<PlanReview["dr"]>): string[] {
    const lines = [
        `DR: RPO ${minutes(dr.rpoMinutes)} (target ${minutes(dr.rpoTargetMinutes)}${dr.meetsRpo ? ", met" : ", MISSED"}) · ` +
            `RTO ${minutes(dr.rtoMinutes)} (target ${minutes(dr.rtoTargetMinutes)}${dr.meetsRto ? ", met" : ", MISSED"})`,
    ].flatMap((l) => heading(l));
    for (const objective of ["rpo", "rto"] as const) {
        const terms = dr.terms.filter((t) => t.objective === objective).map((t) => `${t.name} ${minutes(t.minutes)}`);
        if (terms.length > 0) lines.push(...wrap(`${objective.toUpperCase()} terms: ${terms.join(" · ")}`, INDENT));
    }
    return lines;
}

export function criticalPathSection(cp: PlanReview["criticalPath"]): string[] {
    const steps = cp.steps.map((s) => shortType(s.type));
    // The chain's ends say what it is: the first steps and the last.
    const chain = steps.length > 6 ? [...steps.slice(0, 3), "…", ...steps.slice(-3)] : steps;
    const lines = heading(`deploy critical path: ${minutes(cp.totalMinutes)} over ${cp.steps.length} steps: ${chain.join(" -> ")}`);
    if (cp.needlessSerialization.length > 0) {
        const saved = Math.max(...cp.needlessSerialization.map((n) => n.minutesSaved));
        const first = cp.needlessSerialization[0];
        lines.push(
            fit(
                `${INDENT}needless serialization: ${cp.needlessSerialization.length} (up to ${minutes(saved)} saved): ` +
                    `${first.from} -> ${first.to}${cp.needlessSerialization.length > 1 ? ` (+${cp.needlessSerialization.length - 1} more)` : ""}`,
                WIDTH,
            ),
        );
    }
    return lines;
}

export function diffSection(d: NonNullable<PlanReview["diff"]>): string[] {
    const count = (xs: { count: number }[]) => xs.reduce((sum, x) => sum + x.count, 0);
    const { added, changed, removed } = d.resources;
    const parts = [`+${count(added)} ~${count(changed)} -${count(removed)} resources`];
    if (d.cost) parts.push(`cost ${moneyDelta(d.cost.delta)}/month (${money(d.cost.monthlyBase)} -> ${money(d.cost.monthlyHead)})`);
    parts.push(`violations ${d.violations.new.length} new, ${d.violations.fixed.length} fixed`);
    const lines = heading(`compared with ${d.base.stack} (${d.base.resources} resources): ${parts.join(" · ")}`);
    const types = [...added.map((t) => `+${t.count} ${shortType(t.type)}`), ...removed.map((t) => `-${t.count} ${shortType(t.type)}`)];
    if (types.length > 0) lines.push(fit(`${INDENT}by type: ${listed(types, 4)}`, WIDTH));
    return lines;
}

/** Each section present in the review, in the issue's order (the diff first: it is what changed). */
export function reviewSections(review: Partial<PlanReview>): string[] {
    const lines: string[] = [];
    if (review.diff) lines.push(...diffSection(review.diff));
    if (review.cost) lines.push(...costSection(review.cost));
    if (review.capacity) lines.push(...capacitySection(review.capacity));
    if (review.availability) lines.push(...availabilitySection(review.availability));
    if (review.dr) lines.push(...drSection(review.dr));
    if (review.criticalPath) lines.push(...criticalPathSection(review.criticalPath));
    return lines;
}
