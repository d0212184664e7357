/** Log groups step: the shippers' CloudWatch Logs groups, one per stream and cluster, with the CMK and the retention. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_STREAM_KINDS, LogStreamKind, ShipperSite, shipperLogGroupName } from "../../../model/logShipping";

export interface LogGroupsArgs {
    readonly stack: string;
    readonly sites: readonly ShipperSite[];
    readonly keyArn: pulumi.Input<string>;
    /** Days the application and platform streams are kept. */
    readonly retentionDays: number;
    /** Days the node (journald) stream is kept. */
    readonly hostRetentionDays: number;
}

export type SiteLogGroups = Readonly<Record<LogStreamKind, aws.cloudwatch.LogGroup>>;

/**
 * Created here, before any shipper runs: a group that Fluent Bit created itself (auto_create_group) would have no KMS
 * key and never expire, and its role would need logs:CreateLogGroup on "*".
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function createLogGroups(parent: pulumi.ComponentResource, name: string, args: LogGroupsArgs): Partial<Record<ShipperSite, SiteLogGroups>> {
    return Object.fromEntries(
        args.sites.map((site) => [
            site,
            Object.fromEntries(
                LOG_STREAM_KINDS.map((kind) => [
                    kind,
                    new aws.cloudwatch.LogGroup(
                        `${name}-${site}-${kind}`,
                        {
                            name: shipperLogGroupName(args.stack, site, kind),
                            retentionInDays: kind === "host" ? args.hostRetentionDays : args.retentionDays,
                            kmsKeyId: args.keyArn,
                        },
                        { parent },
                    ),
                ]),
            ) as SiteLogGroups,
        ]),
    );
}

/** The group names of one site, for the shipper's configuration. */
export const groupNames = (groups: SiteLogGroups): pulumi.Output<Record<LogStreamKind, string>> =>
    pulumi.all([groups.application.name, groups.platform.name, groups.host.name]).apply(([application, platform, host]) => ({ application, platform, host }));
