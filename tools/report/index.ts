/**
 * The architect's review of a plan (issue #15): cost, capacity, availability, DR objectives, the deploy
 * critical path and the diagram, each from its own pure module, composed here for `npm run plan`.
 */
import type { Plan } from "../offline";
import { CostReport, CostSite, PlanReview } from "./types";
import { NO_USAGE, Usage, costOf } from "./cost";
import { capacityOf } from "./capacity";
import { availabilityOf } from "./availability";
import { drObjectivesOf } from "./drObjectives";
import { criticalPathOf } from "./criticalPath";
import { mermaidOf } from "./diagram";
import { comparePlans } from "./compare";
import { markdownReport } from "./markdown";
import { htmlReport } from "./html";

export interface ReviewOptions {
    readonly config: Readonly<Record<string, string>>;
    /** The plan date, YYYY-MM-DD (prices and EKS support as of then). */
    readonly date: string;
    readonly usage?: Usage;
    /** Other sites' plans with their configs (a dr stack's primary), costed beside this one. */
    readonly otherSites?: readonly { plan: Plan; config: Readonly<Record<string, string>> }[];
    /** A base plan (`--compare`): the review gains `diff`. */
    readonly base?: Plan & Partial<PlanReview>;
}

/** Today's date in UTC, YYYY-MM-DD: the default plan date. */
export const today = (): string => new Date().toISOString().slice(0, 10);

function costFor(plan: Plan, config: Readonly<Record<string, string>>, options: ReviewOptions): CostReport {
    return costOf(plan.resources, { stack: plan.stack, region: config["aws:region"] ?? "", date: options.date, config, usage: options.usage ?? NO_USAGE });
}

const siteOf = (stack: string, config: Readonly<Record<string, string>>, cost: CostReport): CostSite => ({
    stack,
    role: config["hybrid-platform:role"] === "dr" ? "dr" : "primary",
    region: cost.region,
    monthlyTotal: cost.monthlyTotal,
    categories: cost.categories,
    unpricedCount: cost.unpriced.length,
});

export function reviewOf(plan: Plan, options: ReviewOptions): PlanReview {
    const cost = costFor(plan, options.config, options);
    const others = (options.otherSites ?? []).map((o) => siteOf(o.plan.stack, o.config, costFor(o.plan, o.config, options)));
    const sites = [siteOf(plan.stack, options.config, cost), ...others];
    cost.sites = sites;
    cost.sitesMonthlyTotal = Math.round(sites.reduce((s, x) => s + x.monthlyTotal, 0) * 100) / 100;
    const review: PlanReview = {
        cost,
        capacity: capacityOf(plan, options.config as Record<string, string>, options.date),
        // A dr stack's plan has its primary's beside it: the site it would fail over from is read from that graph.
        availability: availabilityOf(plan, options.config as Record<string, string>, { peer: options.otherSites?.[0]?.plan }),
        dr: drObjectivesOf(plan, options.config as Record<string, string>),
        criticalPath: criticalPathOf(plan.resources),
    };
    if (options.base) review.diff = comparePlans(options.base, { ...plan, ...review });
    return review;
}

export interface RenderOptions extends ReviewOptions {
    /** Also render the Markdown page (what --report writes). */
    readonly markdown?: boolean;
    /** Also render the HTML page (what --html writes; it inlines Mermaid's 3 MB bundle, read only then). */
    readonly html?: boolean;
}

/** The review and, when asked, its pages: what `npm run plan` adds to a plan (timed by `npm run bench -- --only report`). */
export function reviewAndRender(plan: Plan, options: RenderOptions): { review: PlanReview; markdown?: string; html?: string } {
    const review = reviewOf(plan, options);
    if (!options.markdown && !options.html) return { review };
    const page = { ...plan, ...review, diagram: mermaidOf(plan) };
    return { review, ...(options.markdown ? { markdown: markdownReport(page) } : {}), ...(options.html ? { html: htmlReport(page) } : {}) };
}
