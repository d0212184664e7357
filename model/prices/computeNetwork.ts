import type { PriceEntry } from "./index";

export const COMPUTE_NETWORK_PRICES: readonly PriceEntry[] = [];
