/**
 * Formatting shared by the review's renders (terminal, Markdown, HTML; issue #15 item 7): money,
 * percentages, minutes, resource names, and the preview's unknowns shown as `(unknown)`.
 */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { UNKNOWN } from "../mocks";
import type { PlanViolation } from "../offline";
import { SEED_COST_LINES, type CostReport } from "./types";

/** How a value the engine does not know yet (preview) is printed: Pulumi's CLI prints `output<string>`, we say it. */
export const UNKNOWN_TEXT = "(unknown)";
export const SECRET_TEXT = "[secret]";

/** "$4,812" (whole dollars: the price table is no finer than that over a month); cents under $10. */
export function money(usd: number): string {
    const abs = Math.abs(usd);
    const text = abs < 10 && abs > 0 ? abs.toFixed(2) : Math.round(abs).toLocaleString("en-US");
    return `${usd < 0 ? "-" : ""}$${text}`;
}

/** "+$1,200" / "-$30" / "$0": a cost delta with its sign. */
export function moneyDelta(usd: number): string {
    const rounded = Math.round(usd);
    return rounded === 0 ? "$0" : `${rounded > 0 ? "+" : "-"}${money(Math.abs(usd))}`;
}

/** A unit price as listed: up to 6 significant digits, no trailing zeros ("$0.0225", "$73"). */
export function unitPrice(usd: number): string {
    return `$${Number(usd.toPrecision(6)).toLocaleString("en-US", { maximumFractionDigits: 8 })}`;
}

/**
 * An availability (a fraction) as a percentage, rounded DOWN to 3 decimals and trimmed ("99.9%",
 * "99.77%", "99.995%"): a composite SLA is a floor, so we never print one that reads as meeting a
 * target it misses (0.99899 is "99.898%", not "99.9%").
 */
export function percent(availability: number): string {
    const floored = Math.floor(availability * 100 * 1000 + 1e-6) / 1000;
    return `${Number(floored.toFixed(3))}%`;
}

/** "45 min", "3 h 5 min" (RTO targets are stated in hours by the seed). */
export function minutes(value: number): string {
    const m = Math.round(value);
    if (m < 120) return `${m} min`;
    const rest = m % 60;
    return rest === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${rest} min`;
}

/** The resource name of a URN (its last `::` segment): what a person recognises in a list. */
export function shortUrn(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/** The last segment of a type token: `aws:eks/nodeGroup:NodeGroup` -> `NodeGroup`. */
export function shortType(type: string): string {
    return type.split(":").pop() ?? type;
}

/**
 * A value with every preview unknown replaced by UNKNOWN_TEXT (whole values and inside strings,
 * arrays and objects) and every secret by SECRET_TEXT: what a person may read of an output.
 */
export function readable(value: unknown): unknown {
    if (value === UNKNOWN) return UNKNOWN_TEXT;
    if (typeof value === "string") return value.includes(UNKNOWN) ? value.split(UNKNOWN).join(UNKNOWN_TEXT) : value;
    if (Array.isArray(value)) return value.map(readable);
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    if (obj[specialSigKey] === specialSecretSig) return SECRET_TEXT;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, readable(v)]));
}

/** An output's value on one line: strings bare, the rest as compact JSON, unknowns as `(unknown)`. */
export function outputText(value: unknown): string {
    const shown = readable(value);
    if (shown === undefined) return UNKNOWN_TEXT;
    if (typeof shown === "string") return shown;
    // JSON quotes the marker; the marker is ours, so print it bare, as the Pulumi CLI prints its own.
    return (JSON.stringify(shown) ?? UNKNOWN_TEXT).split(JSON.stringify(UNKNOWN_TEXT)).join(UNKNOWN_TEXT);
}

/** A violation's message is the policy's description, a newline, then what this resource does: the specific part. */
export function violationDetail(v: PlanViolation): string {
    const lines = v.message.split("\n");
    return (lines.length > 1 ? lines.slice(1) : lines).join(" ").trim();
}

/** The policy's description (the first line of each of its violations' messages). */
export function violationDescription(v: PlanViolation): string {
    return v.message.split("\n")[0].trim();
}

/** Violations by enforcement level: mandatory blocks a deploy (exit 1), advisory is reported. */
export function violationCounts(violations: readonly PlanViolation[]): { mandatory: number; advisory: number } {
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return { mandatory, advisory: violations.length - mandatory };
}

/**
 * Each of the seed's cost lines (section 8) next to what the plan's categories under it cost. The seed
 * prices one environment, both sites: its compute, database, storage and network lines are the primary
 * site's, its DR line the standby site's whole cost plus the primary's replication. A dr plan has both
 * sites (`cost.sites`); a prod plan has only its own, so its DR line is its replication alone (`basis` says so).
 */
export function seedComparison(cost: CostReport): { line: string; seed: number; plan: number; basis: string }[] {
    const sites = cost.sites ?? [];
    const primary = sites.find((s) => s.role === "primary");
    const standby = sites.find((s) => s.role === "dr");
    const source = primary ?? standby ?? cost;
    const byName = new Map(source.categories.map((c) => [c.name as string, c.monthly]));
    const siteName = primary ? `${primary.stack}` : standby ? `${standby.stack} (no primary plan)` : "this stack";
    return SEED_COST_LINES.map((s) => {
        const own = s.categories.reduce((sum, c) => sum + (byName.get(c) ?? 0), 0);
        if (!s.categories.includes("dr-replication")) return { line: s.line, seed: s.monthly, plan: own, basis: siteName };
        if (standby)
            return {
                line: s.line,
                seed: s.monthly,
                plan: Math.round((standby.monthlyTotal + (primary ? own : 0)) * 100) / 100,
                basis: `${standby.stack}'s whole site${primary ? ` + ${primary.stack}'s replication` : ""}`,
            };
        return { line: s.line, seed: s.monthly, plan: own, basis: "this stack's replication only: the standby site is the dr stack's plan" };
    });
}

/** What the seed's total (~$3,350, both sites) is compared with: every site the plan could cost. */
export function seedTotal(cost: CostReport): { plan: number; basis: string } {
    const sites = cost.sites ?? [];
    if (sites.length > 1) return { plan: cost.sitesMonthlyTotal ?? cost.monthlyTotal, basis: `both sites (${sites.map((s) => s.stack).join(" + ")})` };
    return { plan: cost.monthlyTotal, basis: "this stack only" };
}
