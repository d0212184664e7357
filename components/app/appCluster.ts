/**
 * The compute layer (seed 1.2, 1.4, 2, 4.1, 5, 7): EKS with one managed node group per AZ sized by the
 * capacity model, the workloads, the ALB + WAF edge, ECR, the release strategy, and the same workloads
 * on the on-prem cluster when one is configured. Each step is a helper in its own file, taking this
 * component as parent (so names, URNs and options are those of one flat component).
 */
import * as pulumi from "@pulumi/pulumi";
import { ReleaseStrategy, releaseStrategyFor } from "../../model/appConfig";
import { DEFAULTS } from "../../model/defaults";
import { DEFAULT_SIZING, ScalingPlan, pilotLight, scalingPlan } from "../../model/capacity";
import { createAddons } from "./addons";
import { AppClusterArgs, appClusterProblems } from "./appClusterArgs";
import { createCluster } from "./cluster";
import { createEdge } from "./edge";
import { createMesh } from "./mesh";
import { createWorkloadRoles } from "./irsa";
import { createNodeGroups } from "./nodeGroups";
import { createOnPremCluster } from "./onPremCluster";
import { createRegistries } from "./registries";
import { failOnProblems } from "./validation";
import { createWorkloads } from "./workloads";
import * as k8s from "@pulumi/kubernetes";
import { Cluster } from "./cluster";

export type { AppClusterArgs };

/**
 * The clusters this component runs on, for components that run on them too (the monitoring collectors of
 * components/observability): the EKS cluster's provider, name and OIDC issuer (IRSA), the on-prem cluster's
 * provider when one is configured, and what anything enrolled in the mesh must wait for.
 */
export interface ClusterAccess {
    readonly eks: { readonly provider: k8s.Provider; readonly clusterName: pulumi.Output<string>; readonly oidc: Cluster["oidc"] };
    /** `prerequisites`: the on-prem mesh (its CRDs and ztunnel), for what is enrolled there (issue #12). */
    readonly onPrem?: { readonly provider: k8s.Provider; readonly prerequisites: pulumi.Resource[] };
    /** The node groups, the add-ons and the mesh: DaemonSets and enrolled pods need them first. */
    readonly prerequisites: pulumi.Resource[];
}

export class AppCluster extends pulumi.ComponentResource {
    readonly clusterName: pulumi.Output<string>;
    readonly albDnsName: pulumi.Output<string>;
    readonly albZoneId: pulumi.Output<string>;
    readonly albArn: pulumi.Output<string>;
    /** "app/<name>/<id>": the LoadBalancer dimension of the ALB's CloudWatch metrics. */
    readonly albArnSuffix: pulumi.Output<string>;
    /** Each target group's ARN suffix (the TargetGroup dimension), for the unhealthy-hosts alarms. */
    readonly targetGroupArnSuffixes: pulumi.Output<string>[];
    /** issue #14: each target group's ARN suffix by "<served>:<stable|candidate>", the groups the release tool judges. */
    readonly releaseTargetGroups: Record<string, pulumi.Output<string>>;
    readonly publicHostname: string;
    readonly ecrRepositoryUrls: pulumi.Output<Record<string, string>>;
    readonly webAclArn: pulumi.Output<string>;
    /** The WAF's request log group (aws-waf-logs-*, CMK, retention): forwarded to the SOC with the other logs. */
    readonly wafLogGroupName: pulumi.Output<string>;
    readonly releaseStrategy: ReleaseStrategy;
    readonly scaling: ScalingPlan;
    readonly onPremNamespace?: pulumi.Output<string>;
    readonly clusters: ClusterAccess;

    constructor(name: string, args: AppClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        failOnProblems("AppCluster", name, appClusterProblems(args));
        super("hybrid:app:AppCluster", name, {}, opts);
        const app = args.app;
        const scope = { stack: pulumi.getStack(), tags: args.tags };
        const sizing = { ...DEFAULT_SIZING, celeryWorkersPer500Users: app.celeryWorkersPer500Users };
        const planned = scalingPlan(args.capacity.concurrentUsers, args.capacity.targetUsers, app.instanceType, args.privateSubnetIds.length, sizing);
        this.scaling = args.pilotLight ? pilotLight(planned, sizing.minReplicas) : planned;
        this.releaseStrategy = releaseStrategyFor(app, args.environment ?? DEFAULTS.environment);

        const registries = createRegistries(this, name, { ...scope, app, repositoryUrls: args.bootstrap.repositoryUrls });
        const cluster = createCluster(this, name, {
            ...scope,
            app,
            accountId: args.accountId,
            vpcId: args.vpcId,
            privateSubnetIds: args.privateSubnetIds,
            apiClientSecurityGroupIds: args.apiClientSecurityGroupIds,
            ciRoleArn: args.bootstrap.ciRoleArn,
        });
        const { nodeGroups } = createNodeGroups(this, name, {
            ...scope,
            app,
            accountId: args.accountId,
            autoScalingRoleArn: args.bootstrap.autoScalingRoleArn,
            clusterName: cluster.clusterName,
            clusterSecurityGroupId: cluster.clusterSecurityGroupId,
            dataClientSecurityGroupId: args.data.clientSecurityGroupId,
            privateSubnetIds: args.privateSubnetIds,
            nodesPerAz: this.scaling.nodesPerAz,
        });
        const workloadRoles = createWorkloadRoles(this, name, { ...scope, oidc: cluster.oidc, data: args.data });
        const edge = createEdge(this, name, {
            ...scope,
            app,
            production: (args.environment ?? DEFAULTS.environment) === "production",
            releaseStrategy: this.releaseStrategy,
            accountId: args.accountId,
            region: args.region,
            vpcId: args.vpcId,
            publicSubnetIds: args.publicSubnetIds,
            clusterSecurityGroupId: cluster.clusterSecurityGroupId,
            hostname: args.hostname,
            zoneName: args.zoneName,
            validationRecordFqdn: args.bootstrap.certificateValidationRecordFqdn,
        });
        const addons = createAddons(this, name, { ...scope, region: args.region, vpcId: args.vpcId, cluster, nodeGroups, targetGroups: edge.targetGroups });
        // issue #12: the Istio ambient mesh after the add-ons; the workloads wait for its CRDs and ztunnel.
        const mesh = createMesh(this, name, { provider: cluster.provider, dependsOn: nodeGroups });
        const onPrem = createOnPremCluster(this, name, { app, onPremKubeconfig: args.onPremKubeconfig });
        // issue #12: the same mesh on the on-prem cluster, with its distribution's values (model/meshPlatforms.ts).
        const onPremMesh =
            onPrem.provider && app.onPrem
                ? createMesh(this, `${name}-onprem`, { provider: onPrem.provider, dependsOn: [], distribution: app.onPrem.distribution })
                : undefined;
        const workloads = createWorkloads(this, name, {
            app,
            region: args.region,
            hostname: args.hostname,
            data: args.data,
            scaling: this.scaling,
            releaseStrategy: this.releaseStrategy,
            publicSubnetCidrs: args.publicSubnetCidrs,
            dataSubnetCidrs: args.dataSubnetCidrs,
            apiEndpointCidrs: args.apiEndpointCidrs,
            registries,
            workloadRoles,
            targetGroups: edge.targetGroups,
            provider: cluster.provider,
            prerequisites: [...addons.workloadPrerequisites, ...mesh.workloadPrerequisites],
            onPremProvider: onPrem.provider,
            onPremPrerequisites: onPremMesh?.workloadPrerequisites,
        });

        this.clusterName = cluster.clusterName;
        this.albArn = edge.alb.arn;
        this.albArnSuffix = edge.alb.arnSuffix;
        this.targetGroupArnSuffixes = Object.values(edge.targetGroups).map((tg) => tg!.arnSuffix);
        this.releaseTargetGroups = Object.fromEntries(Object.entries(edge.targetGroups).map(([key, tg]) => [key, tg!.arnSuffix]));
        this.albDnsName = edge.alb.dnsName;
        this.albZoneId = edge.alb.zoneId;
        this.webAclArn = edge.webAcl.arn;
        this.wafLogGroupName = edge.wafLogGroupName;
        this.publicHostname = args.hostname;
        this.ecrRepositoryUrls = registries.repositoryUrls;
        this.onPremNamespace = workloads.onPremNamespace;
        const prerequisites = [...nodeGroups, ...addons.workloadPrerequisites, ...mesh.workloadPrerequisites];
        this.clusters = {
            eks: { provider: cluster.provider, clusterName: cluster.clusterName, oidc: cluster.oidc },
            ...(onPrem.provider ? { onPrem: { provider: onPrem.provider, prerequisites: onPremMesh?.workloadPrerequisites ?? [] } } : {}),
            prerequisites,
        };
        this.registerOutputs({
            clusterName: this.clusterName,
            albDnsName: this.albDnsName,
            albZoneId: this.albZoneId,
            albArn: this.albArn,
            ecrRepositoryUrls: this.ecrRepositoryUrls,
            webAclArn: this.webAclArn,
        });
    }
}
