/** The alarm targets every stack's network and compute tiers give (the data tier's differ: prod's own, dr's replica). */
import type { AppCluster } from "../app/appCluster";
import type { NetworkTier } from "../network/networkTier";
import { webAclNameOf } from "../../model/alarms";
import { AlarmTargets } from "./observabilityArgs";

/** NAT gateways, the VPN and its tunnels, the ALB, its target groups and its web ACL. */
export function edgeAlarmTargets(network: NetworkTier, app: AppCluster, region: string): AlarmTargets {
    return {
        natGatewayIds: network.natGatewayIds,
        vpnConnectionId: network.vpnConnectionId,
        vpnTunnelAddresses: network.vpnTunnelAddresses,
        loadBalancerArnSuffix: app.albArnSuffix,
        targetGroupArnSuffixes: app.targetGroupArnSuffixes,
        webAcl: { name: app.webAclArn.apply(webAclNameOf), region },
    };
}
