/**
 * Primary site (seed 1-2, 6, 7): a three-tier network across three AZs with hybrid
 * connectivity to on-prem, the data layer in its isolated tier, unified monitoring,
 * and the SOC's audit trail.
 */
import * as pulumi from "@pulumi/pulumi";
import { AuditTrail } from "../components/auditTrail";
import { DataTier } from "../components/dataTier";
import { NetworkTier } from "../components/networkTier";
import { Observability } from "../components/observability";
import { PROJECT, PlatformConfig } from "../model/config";
import { regionalProvider } from "./platform";

export function prodStack(cfg: PlatformConfig): Record<string, unknown> {
    const provider = regionalProvider(cfg);
    const network = new NetworkTier(
        "network",
        { cidr: cfg.network.vpcCidr, region: cfg.region, azCount: cfg.network.azCount, singleNatGateway: cfg.network.singleNatGateway, flowLogRetentionDays: cfg.network.flowLogRetentionDays, onPrem: cfg.network.onPrem },
        { providers: [provider] },
    );
    const data = new DataTier(
        "data",
        {
            vpcId: network.vpcId,
            isolatedSubnetIds: network.isolatedSubnetIds,
            region: cfg.region,
            config: cfg.data,
            growthYears: cfg.capacity.growthYears,
            production: cfg.environment === "production",
            // Read through pulumi.Config so the engine keeps it secret end to end.
            onPremObjectStorePassword: cfg.data.onPremObjectStore ? new pulumi.Config(PROJECT).requireSecret("onPremObjectStorePassword") : undefined,
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
            // Who read or changed which citizen document, and who connected to the database, reach the SOC.
            dataEventBucketArns: [data.documents.bucketArn],
            forwardLogGroupNames: [network.flowLogGroupName, ...data.logGroupNames],
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
        // Data tier: what AppCluster connects to, and what the DR stack replicates.
        dataClientSecurityGroupId: data.clientSecurityGroupId,
        databaseArn: data.database.arn,
        databaseIdentifier: data.database.identifier,
        databaseEndpoint: data.database.endpoint,
        databaseKeyArn: data.databaseKeyArn,
        databaseSecretArn: data.database.masterSecretArn,
        redisConfigurationEndpoint: data.cache.configurationEndpoint,
        redisAuthSecretArn: data.cache.authSecretArn,
        cacheKeyArn: data.cacheKeyArn,
        secretsKeyArn: data.secretsKeyArn,
        documentsBucketName: data.documents.bucketName,
        documentsBucketArn: data.documents.bucketArn,
        documentsKeyArn: data.documentsKeyArn,
        logBucketName: data.documents.logBucketName,
        auditTrailArn: audit.trailArn,
        alertTopicArn: observability.alertTopicArn,
        prometheusEndpoint: observability.prometheusEndpoint,
        grafanaEndpoint: observability.grafanaEndpoint,
        logSearchEndpoint: observability.logSearchEndpoint,
    };
}
