import * as pulumi from "@pulumi/pulumi";
import { PlannedSubnet, Tier } from "../../model/cidr";

/** What every step of a `NetworkTier` shares besides its parent and name. */
export interface StepScope {
    /** Tags for the AWS resources, on top of the provider's default tags (`{}` when none are given). */
    readonly tags: Record<string, string>;
}

/** One id per AZ for each tier, in AZ order. */
export type IdsByTier = Record<Tier, pulumi.Output<string>[]>;

/** The entries of `items` for one tier's planned subnets, in plan (AZ) order. */
export function ofTier<T>(plan: readonly PlannedSubnet[], items: ReadonlyMap<PlannedSubnet, T>, tier: Tier): T[] {
    return plan.filter((s) => s.tier === tier).map((s) => items.get(s)!);
}
