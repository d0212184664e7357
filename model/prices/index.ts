/**
 * The offline price table (issue #15): AWS list prices in USD, per region, each with the date it was
 * read and its source, so `npm run plan` can cost a graph with no network and no price API.
 * Keys name the priced dimension: `<service>.<dimension>[.<variant>]`, e.g. `ec2.instance.m5.xlarge`,
 * `rds.instance.db.m5.xlarge.multiAz`, `nat.hour`, `nat.dataGb`. One entry per key and region.
 */
import { COMPUTE_NETWORK_PRICES } from "./computeNetwork";
import { DATA_OBSERVABILITY_PRICES } from "./dataObservability";

export interface PriceEntry {
    readonly key: string;
    readonly region: string;
    /** USD per unit. */
    readonly usd: number;
    /** The unit the price is per, as the pricing page states it: "hour", "GB-month", "1M requests", ... */
    readonly unit: string;
    /** When the price was read (YYYY-MM-DD). */
    readonly asOf: string;
    /** The pricing page (URL) the figure comes from. */
    readonly source: string;
    readonly note?: string;
}

export const PRICES: readonly PriceEntry[] = [...COMPUTE_NETWORK_PRICES, ...DATA_OBSERVABILITY_PRICES];

const BY_KEY = new Map(PRICES.map((p) => [`${p.region}|${p.key}`, p]));

/** The entry for `key` in `region`, or undefined when the table has none (the line is then reported unpriced). */
export function priceOf(key: string, region: string): PriceEntry | undefined {
    return BY_KEY.get(`${region}|${key}`);
}

/** Hours in the month AWS's pricing examples use. */
export const HOURS_PER_MONTH = 730;
