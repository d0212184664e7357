/**
 * Primary site (seed 1-2, 4.3, 6, 7): a three-tier network across three AZs with hybrid
 * connectivity to on-prem, the compute layer (EKS, workloads, ALB/WAF edge) on it,
 * unified monitoring, and the SOC's audit trail.
 */
import * as pulumi from "@pulumi/pulumi";
import { AppCluster, DataAccess } from "../components/appCluster";
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
    const app = new AppCluster(
        "app",
        {
            app: cfg.app,
            environment: cfg.environment,
            capacity: cfg.capacity,
            hostname: cfg.dns.hostname,
            region: cfg.region,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            publicSubnetIds: network.publicSubnetIds,
            publicSubnetCidrs: network.publicSubnetCidrs,
            dataSubnetCidrs: network.isolatedSubnetCidrs,
            dataAccess: pendingDataTier(cfg),
            onPremKubeconfig: cfg.onPremKubeconfig === undefined ? undefined : pulumi.secret(cfg.onPremKubeconfig),
        },
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
            targets: { loadBalancerArnSuffix: app.albArnSuffix },
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
        clusterName: app.clusterName,
        albDnsName: app.albDnsName,
        albZoneId: app.albZoneId,
        albArn: app.albArn,
        publicHostname: app.publicHostname,
        ecrRepositoryUrls: app.ecrRepositoryUrls,
        auditTrailArn: audit.trailArn,
        alertTopicArn: observability.alertTopicArn,
        prometheusEndpoint: observability.prometheusEndpoint,
        grafanaEndpoint: observability.grafanaEndpoint,
        logSearchEndpoint: observability.logSearchEndpoint,
    };
}

/**
 * Wired to DataTier on merge: these stand-ins name what the DataTier outputs will be
 * (clientSecurityGroupId, documents bucket/key, secrets, endpoints, log bucket) so the compute
 * layer's IAM scoping is exercised against concrete ARNs until then.
 */
function pendingDataTier(cfg: PlatformConfig): DataAccess {
    const stack = pulumi.getStack();
    const account = "111122223333";
    return {
        clientSecurityGroupId: "sg-0datatierpending",
        documentsBucketName: `${stack}-documents`,
        documentsBucketArn: `arn:aws:s3:::${stack}-documents`,
        documentsKeyArn: `arn:aws:kms:${cfg.region}:${account}:key/00000000-0000-4000-8000-00000000d0c5`,
        databaseSecretArn: `arn:aws:secretsmanager:${cfg.region}:${account}:secret:${stack}/database-AbCdEf`,
        redisAuthSecretArn: `arn:aws:secretsmanager:${cfg.region}:${account}:secret:${stack}/redis-auth-AbCdEf`,
        databaseEndpoint: `${stack}-db.pending.${cfg.region}.rds.amazonaws.com`,
        redisEndpoint: `clustercfg.${stack}-redis.pending.${cfg.region}.cache.amazonaws.com`,
        logBucketName: `${stack}-logs`,
    };
}
