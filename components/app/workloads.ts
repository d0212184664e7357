/**
 * Workloads step: the portal's workloads on EKS (IRSA roles, CSI-mounted secrets, ALB target
 * groups) and, when an on-prem cluster is configured, the same workloads there through a second
 * Kubernetes provider.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig, ReleaseStrategy } from "../../model/appConfig";
import { ScalingPlan } from "../../model/capacity";
import { WorkloadName } from "../../model/workloads";
import { DataEndpoints } from "../data/endpoints";
import { AppWorkloads } from "./appWorkloads";
import { TargetGroups } from "./edge";
import { ImageKey, Registries } from "./registries";

export interface WorkloadsArgs {
    readonly app: AppConfig;
    readonly region: string;
    readonly hostname: string;
    readonly data: DataEndpoints;
    readonly scaling: ScalingPlan;
    readonly releaseStrategy: ReleaseStrategy;
    readonly publicSubnetCidrs: string[];
    readonly dataSubnetCidrs: string[];
    /** The interface endpoints' address blocks: the pods' only private HTTPS destinations. */
    readonly apiEndpointCidrs: string[];
    readonly registries: Registries;
    readonly workloadRoles: Record<WorkloadName, aws.iam.Role>;
    readonly targetGroups: TargetGroups;
    /** The EKS cluster's provider. */
    readonly provider: k8s.Provider;
    readonly prerequisites: pulumi.Resource[];
    /** The on-prem cluster's provider (components/app/onPremCluster.ts), when one is configured. */
    readonly onPremProvider?: k8s.Provider;
    /** What the on-prem workloads wait for: that cluster's mesh (issue #12), as the EKS ones wait for theirs. */
    readonly onPremPrerequisites?: pulumi.Resource[];
}

export interface Workloads {
    /** The portal namespace on the on-prem cluster, when one is configured. */
    readonly onPremNamespace?: pulumi.Output<string>;
}

export function createWorkloads(parent: pulumi.ComponentResource, name: string, args: WorkloadsArgs): Workloads {
    const { app, data, registries } = args;
    const common = {
        scaling: { djangoWeb: args.scaling.djangoWeb, fastapiApi: args.scaling.fastapiApi, celeryWorker: args.scaling.celeryWorker },
        targetCpuPercent: app.targetCpuPercent,
        targetMemoryPercent: app.targetMemoryPercent,
        dataCidrs: args.dataSubnetCidrs,
        environment: {
            AWS_REGION: args.region,
            DATABASE_HOST: data.databaseHost,
            REDIS_HOST: data.redisHost,
            DOCUMENTS_BUCKET: data.documentsBucketName,
            PUBLIC_HOSTNAME: args.hostname,
        },
    };
    const images = (image: (key: ImageKey) => pulumi.Output<string>) => ({
        djangoWeb: image("djangoWeb"),
        fastapiApi: image("fastapiApi"),
        celeryWorker: image("celeryWorker"),
    });
    new AppWorkloads(
        `${name}-workloads`,
        {
            ...common,
            platform: {
                kind: "eks",
                irsaRoleArns: Object.fromEntries(Object.entries(args.workloadRoles).map(([w, r]) => [w, r.arn])) as Record<WorkloadName, pulumi.Output<string>>,
                databaseSecretArn: data.databaseSecretArn,
                redisAuthSecretArn: data.redisAuthSecretArn,
                region: args.region,
                albSourceCidrs: args.publicSubnetCidrs,
                apiEndpointCidrs: args.apiEndpointCidrs,
                targetGroupArns: Object.fromEntries(Object.entries(args.targetGroups).map(([k, tg]) => [k, tg!.arn])),
            },
            images: images((key) => registries.image(key)),
            // A rolling release has no candidate track, whatever candidate images the config still lists.
            candidateImages:
                args.releaseStrategy === "rolling"
                    ? undefined
                    : { djangoWeb: registries.candidateImage("djangoWeb"), fastapiApi: registries.candidateImage("fastapiApi") },
            strategy: args.releaseStrategy,
            canaryWeight: app.release.canaryWeight,
            dependsOn: args.prerequisites,
        },
        { parent, providers: { kubernetes: args.provider } },
    );
    if (!app.onPrem || args.onPremProvider === undefined) return {};

    const onPrem = app.onPrem;
    const onPremProvider = args.onPremProvider;
    const onPremWorkloads = new AppWorkloads(
        `${name}-onprem-workloads`,
        {
            ...common,
            platform: {
                kind: "onPrem",
                runtimeSecretName: onPrem.runtimeSecretName,
                imagePullSecretName: onPrem.imagePullSecretName,
                ingressClassName: onPrem.ingressClassName,
                ingressNamespace: onPrem.ingressNamespace,
                hostname: onPrem.hostname ?? args.hostname,
            },
            images: images((key) => registries.image(key, onPrem.registryMirror)),
            // On-prem has no weighted target groups: releases roll there after the cloud canary.
            strategy: "rolling",
            dependsOn: args.onPremPrerequisites,
        },
        { parent, providers: { kubernetes: onPremProvider } },
    );
    return { onPremNamespace: onPremWorkloads.namespace };
}
