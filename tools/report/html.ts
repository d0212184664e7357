/**
 * `npm run plan -- --html <file.html>` (issue #15 item 7): the review as ONE self-contained page
 * that works from file:// with no network: inline style, the cost chart as inline SVG, and the
 * diagram drawn in the browser by Mermaid, whose browser bundle (node_modules/mermaid, MIT, pinned
 * in package.json) is inlined. A Content-Security-Policy forbids every fetch, so a page that tried
 * to load anything would fail its test (tests/tools/report/htmlChromium.test.ts) rather than
 * quietly need the network. All text is escaped: resource names are the user's.
 * @see https://mermaid.js.org/config/usage.html
 */
import { readFileSync } from "node:fs";
import { minutes, money, moneyDelta, percent, seedComparison, seedTotal, shortType, shortUrn, unitPrice, violationDetail } from "./format";
import { costChart, esc, source, STYLE, table } from "./htmlParts";
import type { ReportInput } from "./markdown";
import { SEED_COST_TOTAL, type PlanReview } from "./types";
import { verdictLine, verdictOf } from "./verdict";

/** Nothing may be fetched; scripts and styles are the page's own (inline), images only data: URLs. */
export const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

let bundle: string | undefined;

/**
 * Mermaid's browser bundle (an IIFE defining globalThis.mermaid), read once. Inlined in a <script>
 * element it must not contain `</script` (it would end the element) nor `<!--` with `<script` (the
 * HTML parser's escaped states): 11.17.2 has neither, and a test checks the installed one.
 */
export function mermaidBundle(): string {
    bundle ??= readFileSync(require.resolve("mermaid/dist/mermaid.min.js"), "utf8");
    return bundle;
}

/** Whether a script's text can sit inside <script>…</script> as is. */
export function inlinable(script: string): boolean {
    return !/<\/script/i.test(script) && !(/<!--/.test(script) && /<script/i.test(script));
}

/** Starts Mermaid on the diagram only, with its strict security level (labels are text, no HTML, no click handlers). */
const START = `mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default", flowchart: { useMaxWidth: false } });
mermaid.run({ querySelector: "#diagram pre.mermaid" }).then(
  () => document.getElementById("diagram").setAttribute("data-rendered", "true"),
  (e) => { document.getElementById("diagram").setAttribute("data-rendered", "error"); console.error("diagram: " + e); });`;

function section(id: string, title: string, body: string[]): string {
    return `<section id="${esc(id)}"><h2>${esc(title)}</h2>\n${body.join("\n")}\n</section>`;
}

const p = (text: string) => `<p>${esc(text)}</p>`;

function costSection(cost: PlanReview["cost"]): string {
    const rows = seedComparison(cost).map((s) => [`${s.line} (${s.basis})`, money(s.plan), money(s.seed)]);
    const total = seedTotal(cost);
    if ((cost.sites ?? []).length > 1) rows.push([`Total, ${total.basis}`, money(total.plan), `~${money(SEED_COST_TOTAL)}`]);
    const lines = [...cost.lines].sort((a, b) => b.monthly - a.monthly || a.urn.localeCompare(b.urn));
    const body = [
        p(
            `Monthly ${cost.currency} at list prices as of ${cost.asOf} in ${cost.region}: ${money(cost.monthlyTotal)} in total, next to the seed's section 8 lines.`,
        ),
        costChart(cost),
        table(
            ["category (seed line)", "plan monthly", "seed monthly"],
            [...rows, ...cost.categories.map((c) => [`category: ${c.name}`, money(c.monthly), ""])],
            { id: "cost-table", numeric: [1, 2] },
        ),
        `<details><summary>${esc(`Cost lines (${cost.lines.length})`)}</summary>`,
        table(
            ["resource", "type", "item", "quantity", "unit", "unit price", "monthly", "assumption"],
            lines.map((l) => [shortUrn(l.urn), shortType(l.type), l.item, l.quantity, l.unit, unitPrice(l.unitPrice), money(l.monthly), l.assumption ?? ""]),
            { numeric: [3, 5, 6] },
        ),
        "</details>",
    ];
    if (cost.unpriced.length > 0)
        body.push(
            p(`Unpriced (${cost.unpriced.length}), not counted in the total:`),
            table(
                ["resource", "type", "why"],
                cost.unpriced.map((u) => [shortUrn(u.urn), u.type, u.why]),
            ),
        );
    return section("cost", "Cost", body);
}

function capacitySection(c: NonNullable<PlanReview["capacity"]>): string {
    const h = c.headroomAfterAzLoss;
    return section("capacity", "Capacity", [
        p(
            `${c.users} users (target ${c.targetUsers}) -> pods ${c.pods.djangoWeb} django-web, ${c.pods.fastapiApi} fastapi-api, ${c.pods.celeryWorker} celery-worker, ` +
                `${c.pods.celeryBeat} celery-beat -> ${c.requiredNodesPerAz} node(s) per AZ needed; ${c.declaredNodes} declared over ${c.azCount} AZs.`,
        ),
        p(
            `After losing one AZ: ${h.slotsLeft} pod slots left for ${h.slotsNeeded} needed (${h.fits ? "fits" : "does not fit"}). Seed sizing: ${c.seedSizing.summary}`,
        ),
        c.nodeGroups.length === 0
            ? ""
            : table(
                  ["node group", "instance type", "AZ", "desired", "min", "max"],
                  c.nodeGroups.map((g) => [g.name, g.instanceType, g.az ?? "all", g.desired, g.min, g.max]),
                  { numeric: [3, 4, 5] },
              ),
        table(
            ["year", "users", "nodes", "per AZ", "instance type", "database", "storage GB", "per year"],
            c.projection.map((y) => [y.year, y.users, y.nodes, y.nodesPerAz, y.instanceType, y.dbInstanceClass, y.storageGb, money(y.yearlyUsd)]),
            { numeric: [0, 1, 2, 3, 6, 7] },
        ),
        ...c.findings.map(p),
    ]);
}

function availabilitySection(a: PlanReview["availability"]): string {
    if (a.path.length === 0)
        return section("availability", "Availability", [p("No serving path: this stack serves no citizen requests (nothing to compose).")]);
    const onPrem = a.compositeWithOnPrem !== undefined && a.compositeWithOnPrem !== null ? `, ${percent(a.compositeWithOnPrem)} with the on-prem member` : "";
    return section("availability", "Availability", [
        p(
            `Composite SLA ${percent(a.composite)} against the ${percent(a.target)} target (${a.meetsTarget ? "met" : "missed"}); ${percent(a.compositeWithDr)} with the DR site${onPrem}.`,
        ),
        table(
            ["service", "SLA", "source"],
            a.path.map((s) => [s.service, percent(s.sla), source(s.source)]),
            { numeric: [1] },
        ),
        a.singlePointsOfFailure.length === 0
            ? p("Single points of failure: none.")
            : table(
                  ["single point of failure", "type", "why"],
                  a.singlePointsOfFailure.map((s) => [shortUrn(s.urn), s.type, s.why]),
              ),
    ]);
}

function drSection(dr: NonNullable<PlanReview["dr"]>): string {
    return section("dr", "DR objectives", [
        p(
            `RPO ${minutes(dr.rpoMinutes)} (target ${minutes(dr.rpoTargetMinutes)}, ${dr.meetsRpo ? "met" : "missed"}); RTO ${minutes(dr.rtoMinutes)} (target ${minutes(dr.rtoTargetMinutes)}, ${dr.meetsRto ? "met" : "missed"}).`,
        ),
        table(
            ["objective", "term", "minutes", "source"],
            dr.terms.map((t) => [t.objective.toUpperCase(), t.name, t.minutes, source(t.source)]),
            { numeric: [2] },
        ),
    ]);
}

function criticalPathSection(cp: PlanReview["criticalPath"]): string {
    const body = [
        p(`The longest chain of the dependency graph: ${minutes(cp.totalMinutes)} over ${cp.steps.length} steps.`),
        table(
            ["#", "resource", "type", "minutes", "done at", "source"],
            cp.steps.map((s, i) => [i + 1, shortUrn(s.urn), shortType(s.type), s.minutes, s.finishesAt, source(s.source)]),
            { numeric: [0, 3, 4] },
        ),
    ];
    if (cp.needlessSerialization.length > 0)
        body.push(
            table(
                ["tier", "waits on", "why", "minutes saved"],
                cp.needlessSerialization.map((n) => [n.from, n.to, n.why, n.minutesSaved]),
                { numeric: [3] },
            ),
        );
    return section("critical-path", "Deploy critical path", body);
}

function diffSection(d: NonNullable<PlanReview["diff"]>): string {
    const rows = [
        ...d.resources.added.map((t) => ["added", t.type, t.count]),
        ...d.resources.changed.map((t) => ["changed", t.type, t.count]),
        ...d.resources.removed.map((t) => ["removed", t.type, t.count]),
    ];
    const body = [table(["change", "type", "count"], rows, { numeric: [2] })];
    if (d.cost) {
        body.push(p(`Cost ${money(d.cost.monthlyBase)} -> ${money(d.cost.monthlyHead)} a month (${moneyDelta(d.cost.delta)}).`));
        body.push(
            table(
                ["category", "base", "head", "delta"],
                d.cost.categories.map((c) => [c.name, money(c.base), money(c.head), moneyDelta(c.delta)]),
                { numeric: [1, 2, 3] },
            ),
        );
    }
    const violations = [...d.violations.new.map((v) => ({ ...v, change: "new" })), ...d.violations.fixed.map((v) => ({ ...v, change: "fixed" }))];
    if (violations.length > 0)
        body.push(
            table(
                ["", "level", "policy", "resource", "message"],
                violations.map((v) => [v.change, v.enforcementLevel, v.policy, shortUrn(v.urn), v.message]),
            ),
        );
    return section("diff", `Changes against ${d.base.stack} (${d.base.resources} resources)`, body);
}

/** The page. Pure but for reading Mermaid's bundle once per process. */
export function htmlReport(plan: ReportInput): string {
    const { status, reasons } = verdictOf(plan);
    const mermaid = mermaidBundle();
    if (!inlinable(mermaid)) throw new Error("mermaid's bundle cannot be inlined in a <script> element (see tools/report/html.ts)");
    const sections = [
        ...(plan.diff ? [diffSection(plan.diff)] : []),
        costSection(plan.cost),
        ...(plan.capacity ? [capacitySection(plan.capacity)] : []),
        availabilitySection(plan.availability),
        ...(plan.dr ? [drSection(plan.dr)] : []),
        criticalPathSection(plan.criticalPath),
        section("diagram-section", "Diagram", [`<div id="diagram"><pre class="mermaid">${esc(plan.diagram)}</pre></div>`]),
        section("violations", "Policy violations", [
            plan.violations.length === 0
                ? p("No violations.")
                : table(
                      ["level", "policy", "resource", "what"],
                      plan.violations.map((v) => [v.enforcementLevel, v.policy, shortUrn(v.urn), violationDetail(v)]),
                  ),
        ]),
    ];
    const nav = sections.map((s) => /<section id="([^"]+)"><h2>([^<]*)<\/h2>/.exec(s)).filter((m) => m !== null);
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Plan review: ${plan.stack} — ${status}`)}</title>
<style>${STYLE}</style></head>
<body>
<h1>${esc(`Plan review: ${plan.stack}`)} — <span class="status-${status}">${status}</span></h1>
<p class="verdict ${status}">${esc(verdictLine(plan, Number.MAX_SAFE_INTEGER))}</p>
${reasons.length > 0 ? `<ul>${reasons.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>` : ""}
<nav>${nav.map((m) => `<a href="#${m[1]}">${m[2]}</a>`).join("")}</nav>
${sections.join("\n")}
<script>${mermaid}</script>
<script>${START}</script>
</body></html>
`;
}
