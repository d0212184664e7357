/**
 * The architect's review of a plan (issue #15): cost, capacity, availability, DR objectives, the deploy
 * critical path and the diagram, each from its own pure module, composed here for `npm run plan`.
 */
import type { Plan } from "../offline";
import { CostReport, CostSite, PlanReview } from "./types";
import { NO_USAGE, Usage, costOf } from "./cost";

export interface ReviewOptions {
    readonly config: Readonly<Record<string, string>>;
    /** The plan date, YYYY-MM-DD (prices and EKS support as of then). */
    readonly date: string;
    readonly usage?: Usage;
    /** Other sites' plans with their configs (a dr stack's primary), costed beside this one. */
    readonly otherSites?: readonly { plan: Plan; config: Readonly<Record<string, string>> }[];
}

/** Today's date in UTC, YYYY-MM-DD: the default plan date. */
export const today = (): string => new Date().toISOString().slice(0, 10);

function costFor(plan: Plan, config: Readonly<Record<string, string>>, options: ReviewOptions): CostReport {
    return costOf(plan.resources, { stack: plan.stack, region: config["aws:region"] ?? "", date: options.date, config, usage: options.usage ?? NO_USAGE });
}

const siteOf = (stack: string, cost: CostReport): CostSite => ({
    stack,
    region: cost.region,
    monthlyTotal: cost.monthlyTotal,
    categories: cost.categories,
    unpricedCount: cost.unpriced.length,
});

export function reviewOf(plan: Plan, options: ReviewOptions): Pick<PlanReview, "cost"> {
    const cost = costFor(plan, options.config, options);
    const others = (options.otherSites ?? []).map((o) => siteOf(o.plan.stack, costFor(o.plan, o.config, options)));
    const sites = [siteOf(plan.stack, cost), ...others];
    cost.sites = sites;
    cost.sitesMonthlyTotal = Math.round(sites.reduce((s, x) => s + x.monthlyTotal, 0) * 100) / 100;
    return { cost };
}

export interface RenderOptions extends ReviewOptions {
    /** Also render the Markdown and HTML pages (what --report and --html write). */
    readonly render?: boolean;
}

/** The review and, when asked, its pages: what `npm run plan` adds to a plan (timed by `npm run bench -- --only report`). */
export function reviewAndRender(plan: Plan, options: RenderOptions): { review: Pick<PlanReview, "cost">; markdown?: string; html?: string } {
    return { review: reviewOf(plan, options) };
}
