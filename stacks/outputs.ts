/**
 * The typed outputs of the compositions. Prod's are the contract the dr stack reads (model/primaryOutputs.ts):
 * `prodStack` returns a `PrimaryOutputs`, so an output added to prod without a line in that contract, or one
 * the contract names but prod forgets, fails the type-check instead of a dr `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import { PrimaryOutputValues } from "../model/primaryOutputs";

/** A resolved value's shape with Outputs allowed at any depth (what a stack may return for it). */
export type Exported<T> = T extends string | number | boolean
    ? pulumi.Input<T>
    : T extends readonly (infer E)[]
      ? pulumi.Input<Exported<E>[]>
      : pulumi.Input<{ readonly [K in keyof T]: Exported<T[K]> }>;

/** What `prodStack` returns: every prod output of the contract, as Outputs. */
export type PrimaryOutputs = { readonly [K in keyof PrimaryOutputValues]: Exported<NonNullable<PrimaryOutputValues[K]>> };

/** The network outputs, the same names in prod and dr. */
export type NetworkOutputs = Pick<
    PrimaryOutputs,
    "region" | "vpcId" | "vpcCidr" | "availabilityZones" | "publicSubnetIds" | "privateSubnetIds" | "isolatedSubnetIds" | "vpnConnectionId"
>;
