import type { PricerSet } from "./index";

export const DATA_OBSERVABILITY: PricerSet = { pricers: {}, free: {}, usage: [] };
