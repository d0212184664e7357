/**
 * The sections of the Markdown report (tools/report/markdown.ts): tables of the review, every cell
 * escaped, every long list capped with a line saying how many it left out.
 */
import type { Plan } from "../offline";
import { minutes, money, moneyDelta, percent, seedComparison, seedTotal, shortType, shortUrn, unitPrice, violationDetail } from "./format";
import { COST_CATEGORIES, SEED_COST_LINES, SEED_COST_TOTAL, type PlanReview } from "./types";

/**
 * Text for a table cell or a line: Markdown's inline syntax escaped (a `|` would end the cell,
 * `<owner>` would vanish as an HTML tag, `*`/`_`/`[` would format), newlines folded to spaces.
 */
export function md(text: string | number): string {
    return String(text)
        .replace(/\r?\n/g, " ")
        .replace(/[\\`*_[\]|#~]/g, (c) => `\\${c}`)
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;");
}

/** A cell escaped by md(), or one of ours already in Markdown (`{ raw }`). */
type Cell = string | number | { raw: string };

function table(head: string[], rows: Cell[][], align: ("l" | "r")[] = []): string[] {
    const rule = head.map((_, i) => (align[i] === "r" ? "---:" : "---"));
    const cell = (c: Cell) => (typeof c === "object" ? c.raw : md(c));
    return [`| ${head.map(md).join(" | ")} |`, `| ${rule.join(" | ")} |`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)];
}

/** How many rows each long list shows; halved (per list) until the report fits GitHub's limit. */
export interface Caps {
    costLines: number;
    rows: number;
}

/** The first `cap` of `items`, and a line saying how many were left out. */
function capped<T>(items: readonly T[], cap: number): { shown: readonly T[]; more: string[] } {
    if (items.length <= cap) return { shown: items, more: [] };
    return { shown: items.slice(0, cap), more: ["", `… and ${items.length - cap} more (all of them in the plan JSON: \`npm run plan -- --json\`).`] };
}

export function diffSection(d: NonNullable<PlanReview["diff"]>, caps: Caps): string[] {
    const byType = new Map<string, [number, number, number]>();
    const add = (xs: { type: string; count: number }[], i: 0 | 1 | 2) =>
        xs.forEach((x) => {
            const row = byType.get(x.type) ?? [0, 0, 0];
            row[i] += x.count;
            byType.set(x.type, row);
        });
    add(d.resources.added, 0);
    add(d.resources.changed, 1);
    add(d.resources.removed, 2);
    const types = capped(
        [...byType].sort(([a], [b]) => a.localeCompare(b)),
        caps.rows,
    );
    const lines = [`## Changes against ${md(d.base.stack)} (${d.base.resources} resources)`, ""];
    if (byType.size === 0) lines.push("No resource added, changed or removed.");
    else
        lines.push(
            ...table(
                ["type", "added", "changed", "removed"],
                types.shown.map(([t, [a, c, r]]) => [t, a, c, r]),
                ["l", "r", "r", "r"],
            ),
            ...types.more,
        );
    if (d.cost) {
        lines.push("", `Cost: ${money(d.cost.monthlyBase)} -> ${money(d.cost.monthlyHead)} a month (**${moneyDelta(d.cost.delta)}**).`, "");
        const changed = d.cost.categories.filter((c) => Math.round(c.delta) !== 0);
        if (changed.length > 0)
            lines.push(
                ...table(
                    ["category", "base", "head", "delta"],
                    changed.map((c) => [c.name, money(c.base), money(c.head), moneyDelta(c.delta)]),
                    ["l", "r", "r", "r"],
                ),
            );
    }
    for (const [title, list] of [
        ["New violations", d.violations.new],
        ["Fixed violations", d.violations.fixed],
    ] as const) {
        if (list.length === 0) continue;
        const shown = capped(list, caps.rows);
        lines.push(
            "",
            `**${title} (${list.length})**`,
            "",
            ...table(
                ["level", "policy", "resource", "message"],
                shown.shown.map((v) => [v.enforcementLevel, v.policy, shortUrn(v.urn), v.message]),
            ),
            ...shown.more,
        );
    }
    return lines;
}

export function costSection(cost: PlanReview["cost"], caps: Caps): string[] {
    const seeded = new Set(SEED_COST_LINES.flatMap((s) => s.categories as readonly string[]));
    const byName = new Map(cost.categories.map((c) => [c.name as string, c.monthly]));
    const rows: Cell[][] = seedComparison(cost).map((s) => [`${s.line} (${s.basis})`, money(s.plan), money(s.seed)]);
    const thisStack = cost.sites?.[0]?.stack ?? "this stack";
    for (const c of COST_CATEGORIES.filter((c) => !seeded.has(c))) rows.push([`${c} (not in the seed; ${thisStack})`, money(byName.get(c) ?? 0), "-"]);
    rows.push([
        { raw: `**Total, ${md(cost.sites?.[0]?.stack ?? "this stack")}**` },
        { raw: `**${md(money(cost.monthlyTotal))}**` },
        { raw: `**~${md(money(SEED_COST_TOTAL))}**` },
    ]);
    const total = seedTotal(cost);
    if ((cost.sites ?? []).length > 1)
        rows.push([{ raw: `**Total, ${md(total.basis)}**` }, { raw: `**${md(money(total.plan))}**` }, { raw: `**~${md(money(SEED_COST_TOTAL))}**` }]);
    const lines = [
        "## Cost",
        "",
        `Monthly ${cost.currency} at list prices as of ${md(cost.asOf)} in ${md(cost.region)}, next to the seed's section 8 estimate.`,
        "",
        ...table(["category (seed line)", "plan monthly", "seed monthly"], rows, ["l", "r", "r"]),
    ];
    if ((cost.sites ?? []).length > 1) {
        const sites = cost.sites ?? [];
        const siteRows: Cell[][] = sites.map((x) => [x.stack, x.role, x.region, money(x.monthlyTotal), x.unpricedCount]);
        siteRows.push([{ raw: "**both**" }, "", "", { raw: `**${md(money(total.plan))}**` }, sites.reduce((n, x) => n + x.unpricedCount, 0)]);
        lines.push(
            "",
            "Each site (a dr plan costs its primary's offline plan too):",
            "",
            ...table(["site", "role", "region", "monthly", "unpriced"], siteRows, ["l", "l", "l", "r", "r"]),
        );
    }
    const sorted = [...cost.lines].sort((a, b) => b.monthly - a.monthly || a.urn.localeCompare(b.urn));
    const shown = capped(sorted, caps.costLines);
    lines.push(
        "",
        `<details><summary>Cost lines (${cost.lines.length}; usage-based ones carry their assumption)</summary>`,
        "",
        ...table(
            ["resource", "type", "item", "quantity", "unit", "unit price", "monthly", "assumption"],
            shown.shown.map((l) => [
                shortUrn(l.urn),
                shortType(l.type),
                l.item,
                l.quantity,
                l.unit,
                unitPrice(l.unitPrice),
                money(l.monthly),
                l.assumption ?? "",
            ]),
            ["l", "l", "l", "r", "l", "r", "r", "l"],
        ),
        ...shown.more,
        "",
        "</details>",
    );
    if (cost.unpriced.length > 0) {
        const unpriced = capped(cost.unpriced, caps.rows);
        lines.push(
            "",
            `**Unpriced (${cost.unpriced.length}): not counted in the total**`,
            "",
            ...table(
                ["resource", "type", "why"],
                unpriced.shown.map((u) => [shortUrn(u.urn), u.type, u.why]),
            ),
            ...unpriced.more,
        );
    }
    return lines;
}

export function capacitySection(c: NonNullable<PlanReview["capacity"]>, caps: Caps): string[] {
    const h = c.headroomAfterAzLoss;
    const groups = capped(c.nodeGroups, caps.rows);
    const lines = [
        "## Capacity",
        "",
        `${c.users.toLocaleString("en-US")} users (target ${c.targetUsers.toLocaleString("en-US")}) -> pods: ${c.pods.djangoWeb} django-web, ` +
            `${c.pods.fastapiApi} fastapi-api, ${c.pods.celeryWorker} celery-worker, ${c.pods.celeryBeat} celery-beat -> ` +
            `${c.requiredNodesPerAz} node(s) per AZ needed; ${c.declaredNodes} declared over ${c.azCount} AZs.`,
        "",
        `After losing one AZ: ${h.slotsLeft} pod slots left for ${h.slotsNeeded} needed, ${h.cpuMillisLeft}m CPU and ${h.memoryMiBLeft} MiB spare: **${h.fits ? "fits" : "does not fit"}**.`,
        "",
        `Seed sizing: ${md(c.seedSizing.summary)}`,
    ];
    if (c.nodeGroups.length > 0)
        lines.push(
            "",
            ...table(
                ["node group", "instance type", "AZ", "desired", "min", "max"],
                groups.shown.map((g) => [g.name, g.instanceType, g.az ?? "all", g.desired, g.min, g.max]),
            ),
            ...groups.more,
        );
    if (c.projection.length > 0)
        lines.push(
            "",
            ...table(
                ["year", "users", "nodes", "per AZ", "instance type", "database", "storage GB", "per year"],
                c.projection.map((p) => [
                    p.year,
                    p.users.toLocaleString("en-US"),
                    p.nodes,
                    p.nodesPerAz,
                    p.instanceType,
                    p.dbInstanceClass,
                    p.storageGb,
                    money(p.yearlyUsd),
                ]),
                ["r", "r", "r", "r", "l", "l", "r", "r"],
            ),
        );
    if (c.findings.length > 0) lines.push("", ...c.findings.map((f) => `- ${md(f)}`));
    return lines;
}

export function availabilitySection(a: PlanReview["availability"], caps: Caps): string[] {
    if (a.path.length === 0) return ["## Availability", "", "No serving path: this stack serves no citizen requests (nothing to compose)."];
    const lines = [
        "## Availability",
        "",
        `Composite SLA of the serving path: **${percent(a.composite)}** against the ${percent(a.target)} target (${a.meetsTarget ? "met" : "missed"}); ` +
            `${percent(a.compositeWithDr)} with the DR site` +
            (a.compositeWithOnPrem !== undefined && a.compositeWithOnPrem !== null ? `, ${percent(a.compositeWithOnPrem)} with the on-prem member.` : "."),
        "",
        ...table(
            ["service", "SLA", "source"],
            a.path.map((p) => [p.service, percent(p.sla), p.source]),
            ["l", "r", "l"],
        ),
        "",
    ];
    if (a.singlePointsOfFailure.length === 0) return [...lines, "Single points of failure: none."];
    const spofs = capped(a.singlePointsOfFailure, caps.rows);
    return [
        ...lines,
        `**Single points of failure (${a.singlePointsOfFailure.length})**`,
        "",
        ...table(
            ["resource", "type", "why"],
            spofs.shown.map((s) => [shortUrn(s.urn), s.type, s.why]),
        ),
        ...spofs.more,
    ];
}

export function drSection(dr: NonNullable<PlanReview["dr"]>): string[] {
    const verdict = (value: number, target: number, met: boolean) => `**${minutes(value)}** (target ${minutes(target)}: ${met ? "met" : "missed"})`;
    return [
        "## DR objectives",
        "",
        `RPO ${verdict(dr.rpoMinutes, dr.rpoTargetMinutes, dr.meetsRpo)} · RTO ${verdict(dr.rtoMinutes, dr.rtoTargetMinutes, dr.meetsRto)}`,
        "",
        ...table(
            ["objective", "term", "minutes", "source"],
            dr.terms.map((t) => [t.objective.toUpperCase(), t.name, t.minutes, t.source]),
            ["l", "l", "r", "l"],
        ),
    ];
}

export function criticalPathSection(cp: PlanReview["criticalPath"], caps: Caps): string[] {
    const steps = capped(cp.steps, caps.rows);
    const lines = [
        "## Deploy critical path",
        "",
        `The longest chain of the dependency graph: **${minutes(cp.totalMinutes)}** over ${cp.steps.length} steps (typical creation times, sources named).`,
        "",
        ...table(
            ["#", "resource", "type", "minutes", "done at", "source"],
            steps.shown.map((s, i) => [i + 1, shortUrn(s.urn), shortType(s.type), s.minutes, s.finishesAt, s.source]),
            ["r", "l", "l", "r", "r", "l"],
        ),
        ...steps.more,
    ];
    if (cp.needlessSerialization.length > 0)
        lines.push(
            "",
            "**Needless serialization**",
            "",
            ...table(
                ["tier", "waits on", "why", "minutes saved"],
                cp.needlessSerialization.map((n) => [n.from, n.to, n.why, n.minutesSaved]),
                ["l", "l", "l", "r"],
            ),
        );
    return lines;
}

export function violationsSection(plan: Plan, caps: Caps): string[] {
    if (plan.violations.length === 0) return ["## Policy", "", "No violations."];
    const sorted = [...plan.violations].sort((a, b) => Number(b.enforcementLevel === "mandatory") - Number(a.enforcementLevel === "mandatory"));
    const shown = capped(sorted, caps.rows);
    return [
        "## Policy violations",
        "",
        ...table(
            ["level", "policy", "resource", "what"],
            shown.shown.map((v) => [v.enforcementLevel, v.policy, shortUrn(v.urn), violationDetail(v)]),
        ),
        ...shown.more,
    ];
}
