/**
 * Primary step: the one-way StackReference to the primary stack, read through exactly the outputs
 * the contract (model/primaryOutputs.ts) marks as read by dr, and this region's replica of prod's
 * master secret, whose credentials the DR database inherits.
 */
import * as pulumi from "@pulumi/pulumi";
import { secretReplicaFor } from "../../model/drConfig";
import { readRequired } from "../../model/outputContract";
import { PrimaryOutputValues, REQUIRED_PRIMARY_OUTPUTS, RequiredPrimaryOutput } from "../../model/primaryOutputs";
import { DrReplicaArgs } from "./drReplicaArgs";

/** What the dr stack reads from the primary stack: the outputs model/primaryOutputs.ts marks as read by dr. */
export type PrimaryReads = { readonly [K in RequiredPrimaryOutput]: pulumi.Output<PrimaryOutputValues[K]> };

export type PrimaryReadsArgs = Pick<DrReplicaArgs, "primaryStack" | "region">;

export interface Primary {
    /** The primary stack's outputs, as this stack reads them. */
    readonly primary: PrimaryReads;
    /** This region's replica of prod's master secret (read-only while prod rotates it). */
    readonly secretArn: pulumi.Output<string>;
    /** The CMK (owned by prod, in this region) that encrypts that replica. */
    readonly secretKeyArn: pulumi.Output<string>;
}

export function readPrimary(parent: pulumi.ComponentResource, name: string, args: PrimaryReadsArgs): Primary {
    const ref = new pulumi.StackReference(`${name}-primary`, { name: args.primaryStack }, { parent });
    // Exactly the outputs the contract says dr reads: adding one there adds it here.
    const primary = readRequired(REQUIRED_PRIMARY_OUTPUTS, (key) => ref.requireOutput(key)) as unknown as PrimaryReads;

    // The replica inherits prod's master password; prod replicates its secret here (data.postgres.secretReplicaRegions).
    const secretReplica = primary.databaseSecretReplicas.apply((replicas) => {
        try {
            return secretReplicaFor(replicas, args.region, args.primaryStack);
        } catch (e) {
            throw new pulumi.ResourceError(`DrReplica ${name}: ${(e as Error).message}`, parent);
        }
    });
    return { primary, secretArn: secretReplica.secretArn, secretKeyArn: secretReplica.keyArn };
}
