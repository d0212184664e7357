/**
 * The terminal summary of `npm run plan` (issue #15 item 7): what a person reads after a plan, in
 * at most 100 columns. Resources per tier on one line each (the full list is in `--json`), the
 * stack outputs with preview unknowns as `(unknown)`, the review's sections in short, violations,
 * the site values still to set, and last the one-line verdict (tools/report/verdict.ts).
 */
import { SITE_VALUES, setCommand } from "../../model/siteValues";
import { type Plan, tierOf } from "../offline";
import { outputText, shortType, shortUrn, violationCounts, violationDescription, violationDetail } from "./format";
import { reviewSections } from "./terminalReview";
import { WIDTH, column, fit, wrap, wrapCommand } from "./text";
import { type ReviewedPlan, resourceCount, verdictLine, verdictOf } from "./verdict";

/** Tier names longer than this are cut: the widest of ours ("ObservabilityTier observability") fits. */
const TIER_WIDTH = 32;
const OUTPUT_KEY_WIDTH = 30;

/** Custom resources per tier (top-level component), each tier's types by count, largest first. */
function tiers(plan: Plan): { tier: string; count: number; types: [string, number][] }[] {
    const byTier = new Map<string, Map<string, number>>();
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    for (const r of plan.resources) {
        if (!r.custom) continue;
        const tier = tierOf(plan, r, byUrn);
        const types = byTier.get(tier) ?? new Map<string, number>();
        types.set(r.type, (types.get(r.type) ?? 0) + 1);
        byTier.set(tier, types);
    }
    return [...byTier]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([tier, types]) => ({
            tier,
            count: [...types.values()].reduce((a, b) => a + b, 0),
            types: [...types].sort(([ta, a], [tb, b]) => b - a || ta.localeCompare(tb)),
        }));
}

/** "  AppCluster app   62  SecurityGroupIngressRule 12 · Role 8 · +14 types": as many top types as fit. */
function tierLine(t: { tier: string; count: number; types: [string, number][] }, tierWidth: number): string {
    const head = `  ${column(t.tier, tierWidth)} ${String(t.count).padStart(4)}  `;
    const room = WIDTH - head.length;
    let shown = t.types.length;
    const text = (n: number) => {
        const listed = t.types.slice(0, n).map(([type, count]) => `${shortType(type)} ${count}`);
        if (n < t.types.length) listed.push(`+${t.types.length - n} types`);
        return listed.join(" · ");
    };
    while (shown > 1 && text(shown).length > room) shown--;
    return head + fit(text(shown), room);
}

function resourcesSection(plan: Plan): string[] {
    const all = tiers(plan);
    const width = Math.min(TIER_WIDTH, Math.max(4, ...all.map((t) => t.tier.length)));
    return [`  ${column("tier", width)} ${"count".padStart(4)}  top types (all of them in --json)`, ...all.map((t) => tierLine(t, width))];
}

function outputsSection(plan: Plan): string[] {
    const entries = Object.entries(plan.outputs);
    if (entries.length === 0) return [];
    const width = Math.min(OUTPUT_KEY_WIDTH, Math.max(...entries.map(([k]) => k.length)));
    const lines = [`outputs (${entries.length}):`];
    for (const [key, value] of entries) {
        const head = `  ${column(key, width)}  `;
        lines.push(head + fit(outputText(value), WIDTH - head.length));
    }
    return lines;
}

function violationsSection(plan: Plan): string[] {
    if (plan.violations.length === 0) return ["policy: no violations"];
    const { mandatory, advisory } = violationCounts(plan.violations);
    const lines = [`policy: ${plan.violations.length} violations (${mandatory} mandatory, ${advisory} advisory)`];
    // Grouped by policy, mandatory first: the description once, then what each resource does.
    const groups = new Map<string, typeof plan.violations>();
    for (const v of plan.violations) {
        const key = `${v.enforcementLevel === "mandatory" ? 0 : 1} ${v.policy} ${v.enforcementLevel}`;
        groups.set(key, [...(groups.get(key) ?? []), v]);
    }
    for (const [, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
        const first = group[0];
        lines.push(...wrap(`${first.enforcementLevel} ${first.policy} (${group.length}): ${violationDescription(first)}`, "      ", WIDTH, "  "));
        for (const v of group) {
            // Most details name their resource already ("bucket app-alb-logs: ..."): not twice.
            const detail = violationDetail(v);
            const name = shortUrn(v.urn);
            lines.push(...wrap(detail.includes(name) ? detail : `${name}: ${detail}`, "        ", WIDTH, "    - "));
        }
    }
    return lines;
}

function siteValuesSection(plan: Plan): string[] {
    if (!plan.siteValues || plan.siteValues.length === 0) return [];
    const lines = ["site values still at their example (a real pulumi preview/up stops until each is set):"];
    for (const v of plan.siteValues) {
        lines.push(fit(`  ${v.key}`, WIDTH));
        const entry = SITE_VALUES.find((e) => e.key === v.key);
        if (entry) lines.push(...wrapCommand(setCommand(entry, plan.stack)));
    }
    return lines;
}

/**
 * The summary, every line at most 100 columns; the last line is the verdict. Review sections
 * appear for the parts of the review the plan carries (none when called on a bare plan).
 */
export function terminalSummary(plan: ReviewedPlan): string {
    const all = tiers(plan);
    const region = typeof plan.outputs.region === "string" ? ` (${plan.outputs.region})` : plan.cost ? ` (${plan.cost.region})` : "";
    const lines = [
        fit(`stack ${plan.stack}: ${resourceCount(plan)} resources in ${all.length} tiers${region}`, WIDTH),
        ...resourcesSection(plan),
        ...outputsSection(plan),
        ...reviewSections(plan),
        ...violationsSection(plan),
        ...siteValuesSection(plan),
    ];
    const { reasons } = verdictOf(plan);
    for (const reason of reasons) lines.push(...wrap(reason, "    ", WIDTH, "  ! "));
    lines.push(verdictLine(plan, WIDTH));
    return lines.join("\n");
}
