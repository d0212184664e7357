/**
 * Primary site (seed 1-2, 7): a three-tier network across three AZs with hybrid
 * connectivity to on-prem.
 */
import { NetworkTier } from "../components/networkTier";
import { PlatformConfig } from "../model/config";
import { regionalProvider } from "./platform";

export function prodStack(cfg: PlatformConfig): Record<string, unknown> {
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
