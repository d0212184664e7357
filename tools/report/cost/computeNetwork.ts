import type { PricerSet } from "./index";

export const COMPUTE_NETWORK: PricerSet = { pricers: {}, free: {}, usage: [] };
