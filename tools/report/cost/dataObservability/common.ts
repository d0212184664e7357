/**
 * Helpers the data and observability pricers share: reading a declared quantity (unknown in preview
 * is not zero), the usage-based line, and the one-pass indexes over a plan some pricers join through.
 */
import type { PlannedResource } from "../../../offline";
import { isUnknown } from "../../../mocks";
import { HOURS_PER_MONTH } from "../../../../model/prices";
import type { PricedItem, PricingContext } from "../index";
import type { CostCategory } from "../../types";

// Values from their own modules, types only from the engine: the engine imports this set (no import cycle).

export { HOURS_PER_MONTH };

/** Seconds in the 730-hour month the price pages' examples use. */
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** Thrown by a pricer's reader when a quantity the price depends on is the preview sentinel; caught by `guarded`. */
class UnknownQuantity extends Error {}

/** A declared number, `fallback` when absent; the preview sentinel aborts the resource's pricing (reported unpriced, never zero). */
export function declared(r: PlannedResource, value: unknown, what: string, fallback?: number): number {
    if (isUnknown(value)) throw new UnknownQuantity(`${what} of ${r.name} is unknown until the resource exists (preview)`);
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    if (fallback !== undefined) return fallback;
    throw new UnknownQuantity(`${what} of ${r.name} is not declared`);
}

/** A declared string (type, class, engine); the preview sentinel aborts pricing like `declared`. */
export function declaredText(r: PlannedResource, value: unknown, what: string, fallback?: string): string {
    if (isUnknown(value)) throw new UnknownQuantity(`${what} of ${r.name} is unknown until the resource exists (preview)`);
    if (typeof value === "string" && value !== "") return value;
    if (fallback !== undefined) return fallback;
    throw new UnknownQuantity(`${what} of ${r.name} is not declared`);
}

export type GuardedPricer = (r: PlannedResource, ctx: PricingContext) => PricedItem[];

/** Wraps a pricer so a quantity unknown in preview reports the resource unpriced with why. */
export const guarded =
    (pricer: GuardedPricer) =>
    (r: PlannedResource, ctx: PricingContext): PricedItem[] | { unpriced: string } => {
        try {
            return pricer(r, ctx);
        } catch (e) {
            if (e instanceof UnknownQuantity) return { unpriced: e.message };
            throw e;
        }
    };

/** A line of a declared size. */
export const item = (item: string, quantity: number, unit: string, priceKey: string, category: CostCategory): PricedItem => ({
    item,
    quantity,
    unit,
    priceKey,
    category,
});

/** A usage-based line: `quantity(value)` turns the usage value into the priced quantity; the assumption travels with it. */
export function usageItem(
    r: PlannedResource,
    ctx: PricingContext,
    key: string,
    line: { item: string; unit: string; priceKey: string; category: CostCategory; quantity?: (value: number) => number; note?: string },
): PricedItem {
    const { value, assumption } = ctx.usage(r, key);
    const quantity = line.quantity ? line.quantity(value) : value;
    return {
        item: line.item,
        quantity: Math.round(quantity * 1e6) / 1e6,
        unit: line.unit,
        priceKey: line.priceKey,
        category: line.category,
        assumption: line.note ? `${assumption}; ${line.note}` : assumption,
    };
}

/** Props as a record (nested blocks), never throwing on absent ones. */
export const rec = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Memoises one index per plan (the resources array), so joins stay O(n) over a whole costing. */
export function perPlan<T>(build: (resources: readonly PlannedResource[]) => T): (ctx: PricingContext) => T {
    const cache = new WeakMap<readonly PlannedResource[], T>();
    return (ctx) => {
        let v = cache.get(ctx.resources);
        if (v === undefined) {
            v = build(ctx.resources);
            cache.set(ctx.resources, v);
        }
        return v;
    };
}
