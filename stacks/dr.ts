/**
 * Warm-standby DR site (seed 3) in a second region: its own three-tier network,
 * non-overlapping with prod and on-prem.
 */
import { NetworkTier } from "../components/networkTier";
import { PlatformConfig } from "../model/config";
import { regionalProvider } from "./platform";

export function drStack(cfg: PlatformConfig): Record<string, unknown> {
    const provider = regionalProvider(cfg);
    const network = new NetworkTier(
        "network",
        { cidr: cfg.network.vpcCidr, region: cfg.region, azCount: cfg.network.azCount, singleNatGateway: cfg.network.singleNatGateway, flowLogRetentionDays: cfg.network.flowLogRetentionDays, onPrem: cfg.network.onPrem },
        { providers: [provider] },
    );
    return {
        region: cfg.region,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        availabilityZones: network.availabilityZones,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        isolatedSubnetIds: network.isolatedSubnetIds,
        vpnConnectionId: network.vpnConnectionId,
    };
}
