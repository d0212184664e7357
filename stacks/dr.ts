/**
 * Warm-standby DR site (seed 3) in a second region: its own three-tier network (non-overlapping
 * with prod and on-prem), the data replicas of prod (read one way through a StackReference), a
 * pilot-light AppCluster, global traffic management for the public hostname, and RPO alarms.
 * `drMode: active` (one `pulumi up`, run by `npm run failover`) promotes the data and takes traffic.
 */
import { AlertTopic } from "../components/observability/alertTopic";
import { edgeAlarmTargets } from "../components/observability/alarmTargets";
import { TierAlarms } from "../components/observability/tierAlarms";
import { AppCluster } from "../components/app/appCluster";
import { deployRunnerFor } from "../components/delivery/runnerArgs";
import { readBootstrap } from "../components/bootstrap/bootstrapReads";
import { drDataEndpoints } from "../components/dr/drEndpoints";
import { DrReplica } from "../components/dr/drReplica";
import { GlobalTraffic } from "../components/dr/globalTraffic";
import { NetworkTier } from "../components/network/networkTier";
import { WarmCache } from "../components/dr/warmCache";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../model/config";
import { drModeOf } from "../model/drConfig";
import { accountIdOf, appClusterBase, networkOutputs, networkTierArgs, primaryRegionProvider, regionalProvider, shipperHttpsCidrs } from "./platform";
import { LogShipping } from "../components/observability/logShipping/logShipping";
import { ClusterTelemetry } from "../components/observability/collection/clusterTelemetry";
import { MetricsWorkspace } from "../components/observability/metricsWorkspace";

export function drStack(cfg: PlatformConfig): Record<string, unknown> {
    const dr = cfg.dr!; // required for role dr by the config schema
    const mode = drModeOf(cfg);
    const production = cfg.environment === "production";
    const provider = regionalProvider(cfg);
    // One account for both regions: the primary-region resources dr owns are in the same account.
    const accountId = accountIdOf(provider);
    // The account's bootstrap stack (shared with prod): this region's replicated repositories, the SLRs, dr's CI role.
    const bootstrap = readBootstrap(cfg.bootstrapStack, pulumi.getStack(), cfg.region, cfg.dns.hostname);
    // Only for what dr owns in the primary region (the replication rule on the prod bucket, its alarms); nothing a failover changes.
    const primaryProvider = primaryRegionProvider(cfg, dr.primaryRegion);
    const network = new NetworkTier("network", networkTierArgs(cfg, accountId), { providers: [provider] });
    // The deployer's way in (its role also calls the primary region, for what dr owns there).
    const runner = deployRunnerFor(cfg, network, accountId, {
        providers: [provider],
        deployRegions: [cfg.region, dr.primaryRegion],
        // Connections are global resources: the one bootstrap created serves this region too.
        githubConnectionArn: bootstrap.githubConnectionArn,
    });

    // AMP's Alertmanager publishes the DR workspace's alerts here too (issue #13: sns:Publish and sns:GetTopicAttributes).
    const alerts = new AlertTopic(
        "alerts",
        { accountId, email: cfg.alerts.email, httpsEndpoint: cfg.alerts.pagerDutyEndpoint, publishers: ["aps.amazonaws.com"] },
        { providers: [provider] },
    );
    // S3 publishes replication metrics in the source region, and alarms notify only a topic in their own region.
    const primaryAlerts = new AlertTopic(
        "replication-alerts",
        { accountId, email: cfg.alerts.email, httpsEndpoint: cfg.alerts.pagerDutyEndpoint },
        { providers: [primaryProvider] },
    );

    const replica = new DrReplica(
        "data",
        {
            primaryStack: dr.primaryStack,
            primaryRegion: dr.primaryRegion,
            region: cfg.region,
            accountId,
            primaryProvider,
            mode,
            vpcId: network.vpcId,
            isolatedSubnetIds: network.isolatedSubnetIds,
            s3GatewayEndpointId: network.s3GatewayEndpointId,
            databaseInstanceClass: dr.databaseInstanceClass,
            databaseParameterGroupFamily: dr.databaseParameterGroupFamily,
            deletionProtection: production,
            replicaLagAlarmSeconds: dr.replicaLagAlarmSeconds,
            replicationLatencyAlarmSeconds: dr.replicationLatencyAlarmSeconds,
            alarmTopicArn: alerts.topicArn,
            primaryAlarmTopicArn: primaryAlerts.topicArn,
            // The DR stack's own audit.socDestinationArn: a destination in the DR region.
            socDestinationArn: cfg.audit.socDestinationArn,
        },
        { providers: [provider] },
    );

    // A warm, empty cache of prod's shape (not a Global Datastore): see components/dr/warmCache.ts for the RPO reasoning.
    const cache = new WarmCache(
        "cache",
        {
            region: cfg.region,
            accountId,
            vpcId: network.vpcId,
            subnetIds: network.isolatedSubnetIds,
            rotationSubnetIds: network.privateSubnetIds,
            apiEndpointSecurityGroupId: network.endpointSecurityGroupId,
            clientSecurityGroupId: replica.clientSecurityGroupId,
            redis: cfg.data.redis,
            production,
        },
        { providers: [provider] },
    );

    // Pilot light in standby (every workload at its floor, HPAs and node-group maxima ready); prod capacity when active.
    const app = new AppCluster(
        "app",
        {
            ...appClusterBase(cfg, network, accountId),
            data: drDataEndpoints(replica, cache, cfg.region),
            bootstrap,
            pilotLight: mode === "standby",
            apiClientSecurityGroupIds: runner ? [runner.securityGroupId] : undefined,
        },
        { providers: [provider] },
    );

    // Every tier's alarms (issue #13), in both modes: the replica (its lag is the RPO guards'), the warm cache, the pilot light's edge.
    const tierAlarms = new TierAlarms(
        "alarms",
        {
            accountId,
            email: cfg.alerts.email,
            pagerDutyEndpoint: cfg.alerts.pagerDutyEndpoint,
            pageTopicArn: alerts.topicArn,
            targets: {
                ...edgeAlarmTargets(network, app, cfg.region),
                databaseIdentifier: replica.databaseIdentifier,
                databaseInstanceClass: dr.databaseInstanceClass,
                cacheNodeIds: cache.memberClusterIds,
            },
            thresholds: {
                ...cfg.observability.alarms,
                cpuPercent: cfg.observability.cpuAlarmPercent,
                errorRatePercent: cfg.observability.errorRateAlarmPercent,
                replicaLagSeconds: dr.replicaLagAlarmSeconds,
            },
        },
        { providers: [provider] },
    );
    // issue #13: the DR cluster's logs into this region's CloudWatch Logs (its own key; no log search domain in dr).
    new LogShipping(
        "logs",
        { region: cfg.region, accountId, clusters: app.clusters, httpsCidrs: shipperHttpsCidrs(cfg, network), ...cfg.observability.logs },
        { providers: [provider] },
    );
    // issue #13: the DR cluster's metrics and traces, into a workspace of dr's own region (the primary's may be the one
    // down), with the same rules and the same page/ticket split; in standby they watch the pilot light.
    const metrics = new MetricsWorkspace(
        "metrics",
        {
            region: cfg.region,
            accountId,
            pageTopicArn: alerts.topicArn,
            ticketTopicArn: tierAlarms.ticketTopicArn,
            logRetentionDays: cfg.observability.logRetentionDays,
            cpuAlarmPercent: cfg.observability.cpuAlarmPercent,
            errorRateAlarmPercent: cfg.observability.errorRateAlarmPercent,
            slo: cfg.observability.slo,
        },
        { providers: [provider] },
    );
    new ClusterTelemetry(
        "telemetry",
        {
            region: cfg.region,
            prometheusWorkspaceArn: metrics.workspaceArn,
            prometheusEndpoint: metrics.prometheusEndpoint,
            clusters: app.clusters,
            privateSubnetCidrs: network.privateSubnetCidrs,
            ...cfg.observability.collection,
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
        ...networkOutputs(cfg, network),
        drMode: mode,
        primaryStack: dr.primaryStack,
        primaryRegion: dr.primaryRegion,
        databaseIdentifier: replica.databaseIdentifier,
        databaseArn: replica.databaseArn,
        databaseEndpoint: replica.databaseEndpoint,
        databaseKeyArn: replica.databaseKeyArn,
        databaseSecretArn: replica.databaseSecretArn,
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
        // issue #14: the ALB metrics dimensions the release tool reads (tools/release.ts).
        albArnSuffix: app.albArnSuffix,
        releaseTargetGroups: app.releaseTargetGroups,
        publicHostname: app.publicHostname,
        ecrRepositoryUrls: app.ecrRepositoryUrls,
        hostedZoneId: traffic.zoneId,
        primaryHealthCheckId: traffic.primaryHealthCheckId,
        secondaryHealthCheckId: traffic.secondaryHealthCheckId,
        alertTopicArn: alerts.topicArn,
    };
}
