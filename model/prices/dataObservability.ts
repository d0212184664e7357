import type { PriceEntry } from "./index";

export const DATA_OBSERVABILITY_PRICES: readonly PriceEntry[] = [];
