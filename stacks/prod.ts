/**
 * Primary site (seed 1-2, 4.3, 6, 7): a three-tier network across three AZs with hybrid
 * connectivity to on-prem, the data layer in its isolated tier, the compute layer (EKS,
 * workloads, ALB/WAF edge) on it, unified monitoring, and the SOC's audit trail.
 */
import * as pulumi from "@pulumi/pulumi";
import { AppCluster } from "../components/app/appCluster";
import { AuditTrail } from "../components/security/auditTrail";
import { readBootstrap } from "../components/bootstrap/bootstrapReads";
import { DataTier } from "../components/data/dataTier";
import { deployRunnerFor } from "../components/delivery/runnerArgs";
import { NetworkTier } from "../components/network/networkTier";
import { edgeAlarmTargets } from "../components/observability/alarmTargets";
import { Observability } from "../components/observability/observability";
import { ClusterTelemetry } from "../components/observability/collection/clusterTelemetry";
import { PROJECT, PlatformConfig } from "../model/config";
import { PrimaryOutputs } from "./outputs";
import { accountIdOf, appClusterBase, networkOutputs, networkTierArgs, regionalProvider, shipperHttpsCidrs } from "./platform";
import { onPremHostsFor } from "../components/onprem/onPremHostsFor";

/** The prod composition; its outputs are the contract the dr stack reads (model/primaryOutputs.ts). */
export function prodStack(cfg: PlatformConfig): PrimaryOutputs {
    const provider = regionalProvider(cfg);
    const accountId = accountIdOf(provider);
    // What the account's bootstrap stack created first: repositories, service-linked roles, this stack's CI role.
    const bootstrap = readBootstrap(cfg.bootstrapStack, pulumi.getStack(), cfg.region, cfg.dns.hostname);
    const network = new NetworkTier("network", networkTierArgs(cfg, accountId), { providers: [provider] });
    // The deployer's way in to the private cluster and on-prem (phase 1 of the first up creates only this).
    const runner = deployRunnerFor(cfg, network, accountId, { providers: [provider], githubConnectionArn: bootstrap.githubConnectionArn });
    const data = new DataTier(
        "data",
        {
            vpcId: network.vpcId,
            isolatedSubnetIds: network.isolatedSubnetIds,
            privateSubnetIds: network.privateSubnetIds,
            apiEndpointSecurityGroupId: network.endpointSecurityGroupId,
            s3GatewayEndpointId: network.s3GatewayEndpointId,
            region: cfg.region,
            accountId,
            config: cfg.data,
            growthYears: cfg.capacity.growthYears,
            production: cfg.environment === "production",
            // Read through pulumi.Config so the engine keeps it secret end to end.
            onPremObjectStorePassword: cfg.data.onPremObjectStore ? new pulumi.Config(PROJECT).requireSecret("onPremObjectStorePassword") : undefined,
        },
        { providers: [provider] },
    );
    const app = new AppCluster(
        "app",
        {
            ...appClusterBase(cfg, network, accountId),
            // The data tier admits the client group it exports; the cluster attaches it to its nodes.
            data: data.endpoints,
            bootstrap,
            onPremKubeconfig: cfg.onPremKubeconfig === undefined ? undefined : pulumi.secret(cfg.onPremKubeconfig),
            apiClientSecurityGroupIds: runner ? [runner.securityGroupId] : undefined,
        },
        { providers: [provider] },
    );
    // The on-prem log shippers sign with the site's Roles Anywhere anchor and profile, which ClusterTelemetry creates below
    // (it needs the workspace Observability makes): one identity per site, resolved once the collector's exists.
    const [trustAnchorArn, resolveTrustAnchorArn] = pulumi.deferredOutput<string>();
    const [profileArn, resolveProfileArn] = pulumi.deferredOutput<string>();
    const onPremShipperIdentity = app.clusters.onPrem ? { trustAnchorArn, profileArn } : undefined;
    const observability = new Observability(
        "observability",
        {
            region: cfg.region,
            accountId,
            alerts: cfg.alerts,
            publicHostname: cfg.dns.hostname,
            // The public hostname's record is the dr stack's (GSLB): prod checks the entry point it owns.
            probeFqdn: app.albDnsName,
            healthCheckPath: cfg.observability.healthCheckPath,
            cpuAlarmPercent: cfg.observability.cpuAlarmPercent,
            errorRateAlarmPercent: cfg.observability.errorRateAlarmPercent,
            logRetentionDays: cfg.observability.logRetentionDays,
            logSearch: {
                vpcId: network.vpcId,
                subnetIds: network.isolatedSubnetIds,
                clientCidrs: network.privateSubnetCidrs,
                serviceLinkedRoleArn: bootstrap.openSearchRoleArn,
                // issue #13: the runner maps the log shippers' roles in the domain's access control.
                securityAdminPrincipalArns: runner ? [runner.roleArn] : undefined,
                ...cfg.observability.logSearch,
            },
            // Every tier (issue #13): the database, each cache node, the NATs, the VPN, the edge; the component adds its search domain.
            targets: {
                ...edgeAlarmTargets(network, app, cfg.region),
                databaseIdentifier: data.database.identifier,
                databaseInstanceClass: cfg.data.postgres.instanceClass,
                cacheNodeIds: data.cache.memberClusterIds,
            },
            alarmThresholds: cfg.observability.alarms,
            slo: cfg.observability.slo,
            // issue #13: Fluent Bit on both clusters (the on-prem identity is part C's trust anchor and profile).
            logShipping: {
                clusters: app.clusters,
                httpsCidrs: shipperHttpsCidrs(cfg, network),
                onPremIdentity: onPremShipperIdentity,
                ...cfg.observability.logs,
            },
        },
        { providers: [provider] },
    );
    // issue #13: a collector on each cluster the stack deploys to, into the one AMP workspace and X-Ray (docs/monitoring-collection.md).
    const telemetry = new ClusterTelemetry(
        "telemetry",
        {
            region: cfg.region,
            prometheusWorkspaceArn: observability.prometheusWorkspaceArn,
            prometheusEndpoint: observability.prometheusEndpoint,
            clusters: app.clusters,
            privateSubnetCidrs: network.privateSubnetCidrs,
            onPremNetwork: cfg.network.onPrem
                ? { endpointSecurityGroupId: network.endpointSecurityGroupId, applicationCidr: cfg.network.onPrem.cidrs[0] }
                : undefined,
            ...cfg.observability.collection,
        },
        { providers: [provider] },
    );
    if (onPremShipperIdentity) {
        // ClusterTelemetry refuses an on-prem cluster without its identity (an argument error), so it is there.
        resolveTrustAnchorArn(telemetry.onPremIdentity!.trustAnchorArn);
        resolveProfileArn(telemetry.onPremIdentity!.profileArn);
    }
    const audit = new AuditTrail(
        "audit",
        {
            region: cfg.region,
            accountId,
            logRetentionDays: cfg.audit.trailLogRetentionDays,
            archiveDays: cfg.audit.archiveDays,
            immutableDays: cfg.audit.immutableDays,
            copyRegion: cfg.audit.copyRegion,
            copyComplianceDays: cfg.audit.copyComplianceDays,
            socDestinationArn: cfg.audit.socDestinationArn,
            // Who read or changed which citizen document, and who connected to the database, reach the SOC.
            dataEventBucketArns: [data.documents.bucketArn],
            forwardLogGroupNames: [network.flowLogGroupName, ...data.logGroupNames, app.wafLogGroupName],
        },
        { providers: [provider] },
    );
    // issue #16: the on-prem hosts, only where the stack file declares them; over the VPN, so after the network.
    if (cfg.onPrem) onPremHostsFor(cfg, network);
    return {
        ...networkOutputs(cfg, network),
        // Data tier: what AppCluster connects to, and what the DR stack replicates.
        dataClientSecurityGroupId: data.clientSecurityGroupId,
        databaseArn: data.database.arn,
        databaseIdentifier: data.database.identifier,
        databaseEndpoint: data.database.endpoint,
        databaseKeyArn: data.databaseKeyArn,
        databaseSecretArn: data.database.masterSecretArn,
        // What the DR stack reads: its region's replica of the master secret and the key that decrypts it.
        databaseSecretReplicas: data.databaseSecretReplicas,
        databaseRotationFunctionArn: data.database.rotationFunctionArn,
        redisConfigurationEndpoint: data.cache.configurationEndpoint,
        redisAuthSecretArn: data.cache.authSecretArn,
        cacheKeyArn: data.cacheKeyArn,
        secretsKeyArn: data.secretsKeyArn,
        documentsBucketName: data.documents.bucketName,
        documentsBucketArn: data.documents.bucketArn,
        documentsKeyArn: data.documentsKeyArn,
        logBucketName: data.documents.logBucketName,
        clusterName: app.clusterName,
        albDnsName: app.albDnsName,
        albZoneId: app.albZoneId,
        albArn: app.albArn,
        // issue #14: the ALB metrics dimensions the release tool reads (tools/release.ts).
        albArnSuffix: app.albArnSuffix,
        releaseTargetGroups: app.releaseTargetGroups,
        publicHostname: app.publicHostname,
        ecrRepositoryUrls: app.ecrRepositoryUrls,
        auditTrailArn: audit.trailArn,
        alertTopicArn: observability.alertTopicArn,
        prometheusEndpoint: observability.prometheusEndpoint,
        grafanaEndpoint: observability.grafanaEndpoint,
        logSearchEndpoint: observability.logSearchEndpoint,
    };
}
