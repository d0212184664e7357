/** Telemetry key step: the CMK that encrypts the metrics, the traces and their log groups. */
import * as pulumi from "@pulumi/pulumi";
import { CustomerKey, logsServiceGrant } from "../security/customerKey";

export interface TelemetryKeyArgs {
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
}

export function createTelemetryKey(parent: pulumi.ComponentResource, name: string, args: TelemetryKeyArgs): { readonly key: CustomerKey } {
    const key = new CustomerKey(
        `${name}-telemetry`,
        {
            description: "Metrics, traces and their logs",
            purpose: `${name}-telemetry`,
            accountId: args.accountId,
            serviceGrants: [logsServiceGrant(args.region, args.accountId)],
        },
        { parent },
    );
    return { key };
}
