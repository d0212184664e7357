/**
 * Primary site (seed 1-2, 7): a three-tier network across three AZs with hybrid
 * connectivity to on-prem, and the data layer in its isolated tier.
 */
import * as pulumi from "@pulumi/pulumi";
import { DataTier } from "../components/dataTier";
import { NetworkTier } from "../components/networkTier";
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
    };
}
