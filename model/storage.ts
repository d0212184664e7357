/**
 * Database storage sizing (seed 7: "Initial 1TB, scaling dynamically at ~200GB/year", 5-year horizon).
 * Pure: the RDS allocation and the storage-autoscaling ceiling derived from the capacity plan.
 */
import { DEFAULTS } from "./defaults";

/** Largest gp3 volume RDS PostgreSQL accepts, in GB. */
export const RDS_GP3_MAX_GB = 65_536;
/** RDS requires the autoscaling ceiling to be at least 10% above the allocated storage. */
export const MIN_AUTOSCALING_MARGIN = 1.1;

export interface StorageInput {
    /** Storage on day one, GB. */
    readonly initialGb: number;
    /** Expected growth per year, GB. */
    readonly annualGrowthGb: number;
    /** Growth horizon in years (capacity.growthYears). */
    readonly years: number;
    /** Room above the projection, in percent. Default 20. */
    readonly headroomPercent?: number;
}

export interface StoragePlan {
    /** RDS allocatedStorage, GB. */
    readonly allocatedStorage: number;
    /** RDS maxAllocatedStorage (the storage-autoscaling ceiling), GB. */
    readonly maxAllocatedStorage: number;
    /** Projected size at the end of the horizon, GB (before headroom). */
    readonly projectedGb: number;
}

/**
 * Allocates the initial size and sets the autoscaling ceiling to the projected size at the
 * end of the horizon plus headroom, never less than RDS's minimum margin above the allocation.
 * The ceiling may exceed RDS_GP3_MAX_GB: the config check reports that instead of clamping.
 */
export function databaseStorage(input: StorageInput): StoragePlan {
    const { initialGb, annualGrowthGb, years } = input;
    const headroom = input.headroomPercent ?? DEFAULTS.data.postgres.storageHeadroomPercent;
    for (const [label, value] of Object.entries({ initialGb, annualGrowthGb, years, headroom })) {
        if (!Number.isFinite(value) || value < 0) throw new RangeError(`${label} must be a finite number >= 0, got ${value}`);
    }
    if (initialGb < 20) throw new RangeError(`initialGb must be at least 20 (RDS minimum), got ${initialGb}`);
    const allocatedStorage = Math.ceil(initialGb);
    const projectedGb = Math.ceil(initialGb + annualGrowthGb * years);
    const withHeadroom = Math.ceil((projectedGb * (100 + headroom)) / 100);
    const maxAllocatedStorage = Math.max(withHeadroom, Math.ceil(allocatedStorage * MIN_AUTOSCALING_MARGIN));
    return { allocatedStorage, maxAllocatedStorage, projectedGb };
}
