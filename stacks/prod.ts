/**
 * Primary site (seed 1-2, 6, 7): a three-tier network across three AZs with hybrid
 * connectivity to on-prem, unified monitoring, and the SOC's audit trail.
 */
import { AuditTrail } from "../components/auditTrail";
import { NetworkTier } from "../components/networkTier";
import { Observability } from "../components/observability";
import { PlatformConfig } from "../model/config";
import { regionalProvider } from "./platform";

export function prodStack(cfg: PlatformConfig): Record<string, unknown> {
    const provider = regionalProvider(cfg);
    const network = new NetworkTier(
        "network",
        { cidr: cfg.network.vpcCidr, region: cfg.region, azCount: cfg.network.azCount, singleNatGateway: cfg.network.singleNatGateway, flowLogRetentionDays: cfg.network.flowLogRetentionDays, onPrem: cfg.network.onPrem },
        { providers: [provider] },
    );
    const observability = new Observability(
        "observability",
        {
            region: cfg.region,
            alerts: cfg.alerts,
            publicHostname: cfg.dns.hostname,
            healthCheckPath: cfg.observability.healthCheckPath,
            cpuAlarmPercent: cfg.observability.cpuAlarmPercent,
            errorRateAlarmPercent: cfg.observability.errorRateAlarmPercent,
            logRetentionDays: cfg.observability.logRetentionDays,
            logSearch: { vpcId: network.vpcId, subnetIds: network.isolatedSubnetIds, clientCidrs: network.privateSubnetCidrs, ...cfg.observability.logSearch },
        },
        { providers: [provider] },
    );
    const audit = new AuditTrail(
        "audit",
        {
            region: cfg.region,
            logRetentionDays: cfg.audit.trailLogRetentionDays,
            archiveDays: cfg.audit.archiveDays,
            immutableDays: cfg.audit.immutableDays,
            socDestinationArn: cfg.audit.socDestinationArn,
            forwardLogGroupNames: [network.flowLogGroupName],
        },
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
        auditTrailArn: audit.trailArn,
        alertTopicArn: observability.alertTopicArn,
        prometheusEndpoint: observability.prometheusEndpoint,
        grafanaEndpoint: observability.grafanaEndpoint,
        logSearchEndpoint: observability.logSearchEndpoint,
    };
}
