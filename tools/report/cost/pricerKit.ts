/** Small helpers the compute and network pricers share: known values, counts, usage-based and hourly items. */
import { isUnknown } from "../../mocks";
import { HOURS_PER_MONTH } from "../../../model/prices";
import type { PlannedResource } from "../../offline";
import type { PricedItem, PricingContext } from "./index";

/** A value the plan knows: set, and not Pulumi's preview sentinel. */
export const known = (v: unknown): boolean => v !== undefined && v !== null && !isUnknown(v);
export const count = (v: unknown): number | undefined => (Array.isArray(v) ? v.length : undefined);

/** An item whose quantity is the usage assumption `key` of `r` (times `scale`), carrying its assumption. */
export function usageItem(
    r: PlannedResource,
    ctx: PricingContext,
    key: string,
    item: string,
    unit: string,
    priceKey: string,
    category: PricedItem["category"],
    scale = 1,
): PricedItem {
    const u = ctx.usage(r, key);
    return { item, quantity: u.value * scale, unit, priceKey, category, assumption: u.assumption };
}

export const hourly = (item: string, quantity: number, unit: string, priceKey: string, category: PricedItem["category"] = "network"): PricedItem => ({
    item,
    quantity: quantity * HOURS_PER_MONTH,
    unit,
    priceKey,
    category,
});
