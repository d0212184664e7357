/**
 * Warm-standby DR site (seed 3) in a second region: its own three-tier network (non-overlapping
 * with prod and on-prem), the data replicas of prod (read one way through a StackReference), a
 * pilot-light AppCluster, global traffic management for the public hostname, and RPO alarms.
 * `drMode: active` (one `pulumi up`, run by `npm run failover`) promotes the data and takes traffic.
 */
import * as pulumi from "@pulumi/pulumi";
import { AlertTopic } from "../components/alertTopic";
import { AppCluster, DataAccess } from "../components/appCluster";
import { DrReplica } from "../components/drReplica";
import { GlobalTraffic } from "../components/globalTraffic";
import { NetworkTier } from "../components/networkTier";
import { PlatformConfig } from "../model/config";
import { DrConfig, drModeOf } from "../model/drConfig";
import { primaryRegionProvider, regionalProvider } from "./platform";

export function drStack(cfg: PlatformConfig): Record<string, unknown> {
    const dr = cfg.dr!; // required for role dr by the config schema
    const mode = drModeOf(cfg);
    const production = cfg.environment === "production";
    const provider = regionalProvider(cfg);
    // Only for what dr owns in the primary region (the replication rule on the prod bucket, its alarms); nothing a failover changes.
    const primaryProvider = primaryRegionProvider(cfg, dr.primaryRegion);
    const network = new NetworkTier(
        "network",
        { cidr: cfg.network.vpcCidr, region: cfg.region, azCount: cfg.network.azCount, singleNatGateway: cfg.network.singleNatGateway, flowLogRetentionDays: cfg.network.flowLogRetentionDays, onPrem: cfg.network.onPrem },
        { providers: [provider] },
    );

    const alerts = new AlertTopic("alerts", { email: cfg.alerts.email, httpsEndpoint: cfg.alerts.pagerDutyEndpoint }, { providers: [provider] });
    // S3 publishes replication metrics in the source region, and alarms notify only a topic in their own region.
    const primaryAlerts = new AlertTopic("replication-alerts", { email: cfg.alerts.email, httpsEndpoint: cfg.alerts.pagerDutyEndpoint }, { providers: [primaryProvider] });

    const replica = new DrReplica(
        "data",
        {
            primaryStack: dr.primaryStack,
            primaryRegion: dr.primaryRegion,
            region: cfg.region,
            primaryProvider,
            mode,
            vpcId: network.vpcId,
            isolatedSubnetIds: network.isolatedSubnetIds,
            databaseInstanceClass: dr.databaseInstanceClass,
            databaseParameterGroupFamily: dr.databaseParameterGroupFamily,
            deletionProtection: production,
            replicaLagAlarmSeconds: dr.replicaLagAlarmSeconds,
            replicationLatencyAlarmSeconds: dr.replicationLatencyAlarmSeconds,
            alarmTopicArn: alerts.topicArn,
            primaryAlarmTopicArn: primaryAlerts.topicArn,
        },
        { providers: [provider] },
    );

    // Cache: a warm, empty Redis in DR, not an ElastiCache Global Datastore. Redis holds sessions, cache
    // and the Celery broker, none of them the system of record: losing them costs a re-login and re-enqueued
    // idempotent tasks, not data, so the RPO (RDS + S3) is unaffected. Add DataTier's RedisCache here.

    // Pilot light in standby (every workload at its floor, HPAs and node-group maxima ready); prod capacity when active.
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
            dataAccess: {
                clientSecurityGroupId: replica.clientSecurityGroupId,
                documentsBucketName: replica.documentsBucketName,
                documentsBucketArn: replica.documentsBucketArn,
                documentsKeyArn: replica.documentsKeyArn,
                databaseEndpoint: replica.databaseEndpoint,
                ...pendingDrDataTier(cfg, dr),
            },
            pilotLight: mode === "standby",
        },
        { providers: [provider] },
    );

    // Owned by dr (never prod): Route53 is global, so the records and health checks keep working and a
    // failover `pulumi up` needs no API of the primary region.
    const traffic = new GlobalTraffic(
        "gslb",
        {
            zoneName: cfg.dns.zoneName,
            hostname: cfg.dns.hostname,
            primary: { dnsName: replica.primary.albDnsName, zoneId: replica.primary.albZoneId },
            secondary: { dnsName: app.albDnsName, zoneId: app.albZoneId },
            mode,
            routing: dr.gslb.routing,
            awsWeight: dr.gslb.awsWeight,
            awsLatencyRegion: dr.primaryRegion,
            healthCheckPath: dr.gslb.healthCheckPath,
            onPrem: dr.gslb.onPrem,
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
        drMode: mode,
        primaryStack: dr.primaryStack,
        primaryRegion: dr.primaryRegion,
        databaseIdentifier: replica.databaseIdentifier,
        databaseArn: replica.databaseArn,
        databaseEndpoint: replica.databaseEndpoint,
        databaseKeyArn: replica.databaseKeyArn,
        databaseClientSecurityGroupId: replica.clientSecurityGroupId,
        documentsBucketName: replica.documentsBucketName,
        documentsBucketArn: replica.documentsBucketArn,
        documentsKeyArn: replica.documentsKeyArn,
        primaryDocumentsBucketName: replica.primary.documentsBucketName,
        replicationRuleId: replica.replicationRuleId,
        clusterName: app.clusterName,
        albDnsName: app.albDnsName,
        albZoneId: app.albZoneId,
        albArn: app.albArn,
        publicHostname: app.publicHostname,
        ecrRepositoryUrls: app.ecrRepositoryUrls,
        hostedZoneId: traffic.zoneId,
        primaryHealthCheckId: traffic.primaryHealthCheckId,
        secondaryHealthCheckId: traffic.secondaryHealthCheckId,
        alertTopicArn: alerts.topicArn,
    };
}

/**
 * Wired to DataTier on merge: what the DR app reads that the data helper's components will own — the
 * prod database secret replicated to this region (Secrets Manager replica: same name, this region), the
 * DR Redis (RedisCache, warm and empty: see above) and the DR log bucket (ALB access logs).
 */
function pendingDrDataTier(cfg: PlatformConfig, dr: DrConfig): Pick<DataAccess, "databaseSecretArn" | "redisAuthSecretArn" | "redisEndpoint" | "logBucketName"> {
    const stack = pulumi.getStack();
    const account = "111122223333";
    return {
        databaseSecretArn: `arn:aws:secretsmanager:${cfg.region}:${account}:secret:${dr.primaryStack.split("/").pop()}/database-AbCdEf`,
        redisAuthSecretArn: `arn:aws:secretsmanager:${cfg.region}:${account}:secret:${stack}/redis-auth-AbCdEf`,
        redisEndpoint: `clustercfg.${stack}-redis.pending.${cfg.region}.cache.amazonaws.com`,
        logBucketName: `${stack}-logs`,
    };
}
