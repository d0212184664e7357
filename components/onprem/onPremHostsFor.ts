/**
 * The stack's `OnPremHosts` from its config (stacks/prod.ts): prod only, as the stack that owns the VPN and the on-prem
 * link; Pulumi.dr.yaml declares no hosts (a DR `up` during a regional outage must not depend on reaching them).
 */
import * as pulumi from "@pulumi/pulumi";
import { NetworkTier } from "../network/networkTier";
import { PlatformConfig } from "../../model/config";
import { DEFAULTS } from "../../model/defaults";
import { OnPremHosts } from "./onPremHosts";

export function onPremHostsFor(cfg: PlatformConfig, network: NetworkTier): OnPremHosts | undefined {
    if (!cfg.onPrem) return undefined;
    return new OnPremHosts(
        "onprem",
        {
            onPrem: cfg.onPrem,
            context: {
                portalHostname: cfg.dns.hostname,
                healthCheckPath: cfg.dr?.gslb.healthCheckPath ?? DEFAULTS.dr.gslb.healthCheckPath,
                onPremCidrs: cfg.network.onPrem?.cidrs ?? [],
                vpcCidrs: [cfg.network.vpcCidr, ...cfg.network.peerVpcCidrs],
                rateLimitPer5Minutes: cfg.app.wafRateLimit,
            },
            sshPrivateKey: pulumi.secret(cfg.onPrem.sshPrivateKey),
        },
        // The playbooks reach the hosts over the VPN and its routes.
        { dependsOn: [network] },
    );
}
