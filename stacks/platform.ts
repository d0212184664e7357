/** What every composition shares: the AWS provider for the stack's region, with the tags every resource carries. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppClusterArgs } from "../components/app/appCluster";
import { NetworkTier, NetworkTierArgs } from "../components/network/networkTier";
import { PROJECT, PlatformConfig } from "../model/config";
import { NetworkOutputs } from "./outputs";

/** What the providers take from a stack's config (a bootstrap stack's too: stacks/bootstrap.ts). */
type ProviderConfig = Pick<PlatformConfig, "tags" | "environment" | "region"> & { readonly role: string };

function defaultTags(cfg: ProviderConfig) {
    return { tags: { ...cfg.tags, project: PROJECT, stack: pulumi.getStack(), role: cfg.role, environment: cfg.environment, "managed-by": "pulumi" } };
}

export function regionalProvider(cfg: ProviderConfig): aws.Provider {
    return new aws.Provider(`aws-${cfg.region}`, { region: cfg.region, defaultTags: defaultTags(cfg) });
}

/**
 * A provider for the primary region, for the few resources a dr stack owns there (same default tags).
 * Its STS calls go to this stack's region, so a failover `pulumi up` works while the primary region is down
 * (the primary-region resources do not change with drMode, so the update sends them no API call).
 */
export function primaryRegionProvider(cfg: PlatformConfig, primaryRegion: string): aws.Provider {
    return new aws.Provider(`aws-primary-${primaryRegion}`, { region: primaryRegion as aws.Region, stsRegion: cfg.region, defaultTags: defaultTags(cfg) });
}

/**
 * The stack's account, looked up once (one STS call per deployment) and passed down as every component's
 * `accountId`: the ARNs, bucket names and confused-deputy conditions that name it.
 */
export function accountIdOf(provider: aws.Provider): pulumi.Output<string> {
    return aws.getCallerIdentityOutput({}, { provider }).accountId;
}

/** The network outputs every stack exports (the same names in prod and dr). */
export function networkOutputs(cfg: PlatformConfig, network: NetworkTier): NetworkOutputs {
    return {
        region: cfg.region,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        availabilityZones: network.availabilityZones,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        isolatedSubnetIds: network.isolatedSubnetIds,
        // Only with on-prem configured (an undefined output would be dropped with a warning).
        ...(network.vpnConnectionId ? { vpnConnectionId: network.vpnConnectionId } : {}),
    };
}

/** The NetworkTier of a stack's `network:` section, the same on every site. */
export function networkTierArgs(cfg: PlatformConfig, accountId: pulumi.Input<string>): NetworkTierArgs {
    const n = cfg.network;
    return {
        cidr: n.vpcCidr,
        region: cfg.region,
        accountId,
        azCount: n.azCount,
        singleNatGateway: n.singleNatGateway,
        flowLogRetentionDays: n.flowLogRetentionDays,
        onPrem: n.onPrem,
    };
}

/** What an AppCluster runs on: a NetworkTier, or (tests of AppCluster alone) the same fields from the CIDR plan. */
export type AppNetwork = {
    readonly vpcId: pulumi.Input<string>;
    readonly privateSubnetIds: pulumi.Input<string>[];
    readonly publicSubnetIds: pulumi.Input<string>[];
} & Pick<NetworkTier, "publicSubnetCidrs" | "isolatedSubnetCidrs" | "apiEndpointCidrs">;

/** What an AppCluster takes from the stack's config, network and account, the same on every site. */
export function appClusterBase(cfg: PlatformConfig, network: AppNetwork, accountId: pulumi.Input<string>): Omit<AppClusterArgs, "data" | "bootstrap"> {
    return {
        accountId,
        app: cfg.app,
        environment: cfg.environment,
        capacity: cfg.capacity,
        hostname: cfg.dns.hostname,
        zoneName: cfg.dns.zoneName,
        region: cfg.region,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        publicSubnetCidrs: network.publicSubnetCidrs,
        dataSubnetCidrs: network.isolatedSubnetCidrs,
        apiEndpointCidrs: network.apiEndpointCidrs,
    };
}

/**
 * issue #13: where the log shippers call on 443. EKS: the interface endpoints (logs, sts), the log search domain's
 * subnets and the private subnets (the cluster API's ENIs). On-prem: the VPC (its endpoints, over the VPN) and the
 * application VLAN (the on-prem cluster's API).
 */
export function shipperHttpsCidrs(cfg: PlatformConfig, network: Pick<NetworkTier, "apiEndpointCidrs" | "isolatedSubnetCidrs" | "privateSubnetCidrs">) {
    const eks = [...new Set([...network.apiEndpointCidrs, ...network.isolatedSubnetCidrs, ...network.privateSubnetCidrs])];
    const applicationVlan = cfg.network.onPrem?.cidrs[0];
    return { eks, onprem: [cfg.network.vpcCidr, ...(applicationVlan ? [applicationVlan] : [])] };
}
