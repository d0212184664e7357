/**
 * Pieces of the HTML page (tools/report/html.ts): escaping, tables, the page's style, and the cost
 * chart, an inline SVG of bars our code draws (no chart library: a page that loads nothing).
 */
import { money, seedComparison } from "./format";
import { COST_CATEGORIES, SEED_COST_LINES, type CostReport } from "./types";

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text (or a number) safe in HTML content and in quoted attribute values: a name like `<script>` shows as itself. */
export function esc(text: string | number): string {
    return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** HTML of ours (already escaped), as opposed to text to escape. */
export interface Html {
    readonly html: string;
}
export const raw = (html: string): Html => ({ html });
type Cell = string | number | Html;
const cell = (c: Cell) => (typeof c === "object" ? c.html : esc(c));

/** A table; `numeric` columns align right. */
export function table(head: string[], rows: Cell[][], options: { id?: string; numeric?: number[] } = {}): string {
    const num = new Set(options.numeric ?? []);
    const td = (tag: "td" | "th", c: Cell, i: number) => `<${tag}${num.has(i) ? ' class="n"' : ""}>${cell(c)}</${tag}>`;
    return (
        `<table${options.id ? ` id="${esc(options.id)}"` : ""}><thead><tr>${head.map((h, i) => td("th", h, i)).join("")}</tr></thead>` +
        `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => td("td", c, i)).join("")}</tr>`).join("\n")}</tbody></table>`
    );
}

/** A link to a source when it is a URL, the text otherwise. */
export function source(text: string): Html {
    return raw(/^https:\/\/[^\s"'<>]+$/.test(text) ? `<a href="${esc(text)}">${esc(text)}</a>` : esc(text));
}

export const STYLE = `
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --plan: #0969da; --seed: #8c959f; --bad: #cf222e; --warn: #9a6700; --ok: #1a7f37; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1200px; padding: 1rem 2rem 4rem; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; } h2 { border-bottom: 1px solid var(--line); padding-bottom: .25rem; margin-top: 2rem; }
.verdict { font-family: ui-monospace, monospace; padding: .5rem .75rem; border-left: 4px solid var(--muted); background: #f6f8fa; }
.PASS { border-color: var(--ok); } .ATTENTION { border-color: var(--warn); } .FAIL { border-color: var(--bad); }
.status-PASS { color: var(--ok); } .status-ATTENTION { color: var(--warn); } .status-FAIL { color: var(--bad); }
table { border-collapse: collapse; margin: .5rem 0; } th, td { border: 1px solid var(--line); padding: .2rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
nav a { margin-right: .75rem; } details { margin: .5rem 0; } summary { cursor: pointer; }
#diagram { overflow-x: auto; border: 1px solid var(--line); padding: .5rem; } #diagram pre.mermaid { margin: 0; }
.chart text { font-size: 12px; fill: var(--ink); } .chart .plan { fill: var(--plan); } .chart .seed { fill: var(--seed); }
`;

const CHART = { width: 760, label: 300, bar: 14, gap: 4, row: 44, pad: 8 } as const;

/**
 * The cost chart: for each of the seed's lines, a bar of what the plan's categories under it cost
 * next to a bar of the seed's figure; then the categories the seed has no line for, plan bar only.
 */
export function costChart(cost: CostReport): string {
    const seeded = new Set(SEED_COST_LINES.flatMap((s) => s.categories as readonly string[]));
    const byName = new Map(cost.categories.map((c) => [c.name as string, c.monthly]));
    const rows: { label: string; plan: number; seed?: number }[] = [
        ...seedComparison(cost).map((s) => ({ label: s.line, plan: s.plan, seed: s.seed })),
        ...COST_CATEGORIES.filter((c) => !seeded.has(c)).map((c) => ({ label: `${c} (no seed line)`, plan: byName.get(c) ?? 0 })),
    ];
    const max = Math.max(1, ...rows.flatMap((r) => [r.plan, r.seed ?? 0]));
    const span = CHART.width - CHART.label - 90;
    const w = (v: number) => Math.max(v > 0 ? 1 : 0, Math.round((v / max) * span));
    const height = rows.length * CHART.row + 2 * CHART.pad + 20;
    const bars = rows.map((r, i) => {
        const y = CHART.pad + i * CHART.row;
        const bar = (cls: string, v: number, dy: number, what: string) =>
            `<rect class="${cls}" x="${CHART.label}" y="${y + dy}" width="${w(v)}" height="${CHART.bar}"><title>${esc(`${what}: ${money(v)}/month`)}</title></rect>` +
            `<text x="${CHART.label + w(v) + 6}" y="${y + dy + CHART.bar - 3}">${esc(money(v))}</text>`;
        return (
            `<text x="0" y="${y + CHART.bar}">${esc(r.label.length > 40 ? `${r.label.slice(0, 39)}…` : r.label)}</text>` +
            bar("plan", r.plan, 0, "plan") +
            (r.seed !== undefined ? bar("seed", r.seed, CHART.bar + CHART.gap, "seed") : "")
        );
    });
    const legendY = height - 8;
    const legend =
        `<rect class="plan" x="${CHART.label}" y="${legendY - 10}" width="10" height="10"/><text x="${CHART.label + 14}" y="${legendY}">plan</text>` +
        `<rect class="seed" x="${CHART.label + 60}" y="${legendY - 10}" width="10" height="10"/><text x="${CHART.label + 74}" y="${legendY}">seed section 8</text>`;
    return (
        `<svg class="chart" id="cost-chart" role="img" aria-label="Monthly cost by category next to the seed's lines" xmlns="http://www.w3.org/2000/svg" ` +
        `width="${CHART.width}" height="${height}" viewBox="0 0 ${CHART.width} ${height}">${bars.join("")}${legend}</svg>`
    );
}
