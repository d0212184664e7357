/**
 * Warm-standby DR site (seed 3) in a second region: its own three-tier network (non-overlapping
 * with prod and on-prem), the data replicas of prod (read one way through a StackReference), the
 * DR ingress, global traffic management for the public hostname, and RPO alarms.
 * `drMode: active` (one `pulumi up`, run by `npm run failover`) promotes the data and takes traffic.
 */
import { AlertTopic } from "../components/alertTopic";
import { DrReplica } from "../components/drReplica";
import { GlobalTraffic } from "../components/globalTraffic";
import { NetworkTier } from "../components/networkTier";
import { StandbyIngress } from "../components/standbyIngress";
import { PlatformConfig } from "../model/config";
import { drModeOf } from "../model/drConfig";
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

    // The DR public ALB. When the pilot-light AppCluster is wired here (minimum replicas in standby,
    // prod capacity when mode is active), its ALB replaces this one as GlobalTraffic's secondary.
    const ingress = new StandbyIngress("ingress", { vpcId: network.vpcId, publicSubnetIds: network.publicSubnetIds, vpcCidr: cfg.network.vpcCidr, deletionProtection: production }, { providers: [provider] });

    // Owned by dr (never prod): Route53 is global, so the records and health checks keep working and a
    // failover `pulumi up` needs no API of the primary region.
    const traffic = new GlobalTraffic(
        "gslb",
        {
            zoneName: cfg.dns.zoneName,
            hostname: cfg.dns.hostname,
            primary: { dnsName: replica.primary.albDnsName, zoneId: replica.primary.albZoneId },
            secondary: { dnsName: ingress.dnsName, zoneId: ingress.zoneId },
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
        albDnsName: ingress.dnsName,
        albZoneId: ingress.zoneId,
        albArn: ingress.arn,
        publicHostname: cfg.dns.hostname,
        hostedZoneId: traffic.zoneId,
        primaryHealthCheckId: traffic.primaryHealthCheckId,
        secondaryHealthCheckId: traffic.secondaryHealthCheckId,
        alertTopicArn: alerts.topicArn,
    };
}
