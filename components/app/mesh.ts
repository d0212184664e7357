/**
 * Mesh step (issue #12, seed 4.2/4.3): Istio in ambient mode on EKS, from the pinned charts (model/versions.ts
 * CHARTS) in the documented order: base (CRDs), istiod, the CNI node agent, ztunnel. The portal namespace is
 * enrolled by its label and gets STRICT mTLS and the generated AuthorizationPolicies in AppWorkloads
 * (model/mesh.ts), so the same objects go to the on-prem cluster. Why Istio ambient and not Linkerd, and the
 * EKS specifics: docs/mesh.md.
 * @see https://istio.io/latest/docs/ambient/install/helm/
 * @see https://istio.io/latest/docs/ambient/install/platform-prerequisites/ (EKS)
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MESH_NAMESPACE } from "../../model/mesh";
import { CHARTS } from "../../model/versions";

export interface MeshArgs {
    /** The cluster's Kubernetes provider. */
    readonly provider: k8s.Provider;
    /** What must exist first (the node groups: the CNI agent and ztunnel are DaemonSets). */
    readonly dependsOn: pulumi.Resource[];
}

export interface Mesh {
    /** What enrolled workloads need installed first: the CRDs (PeerAuthentication, AuthorizationPolicy) and ztunnel. */
    readonly workloadPrerequisites: pulumi.Resource[];
}

type MeshChart = "istioBase" | "istiod" | "istioCni" | "ztunnel";

/**
 * Values per chart. `profile: ambient` on istiod and the CNI agent is what the Helm guide sets; two istiod
 * replicas so a node drain does not stop certificate issuance. The EKS prerequisite (POD_SECURITY_GROUP_ENFORCING_MODE
 * standard) applies only to security groups for pods, which this cluster does not use.
 */
const VALUES: Record<MeshChart, pulumi.Inputs> = {
    istioBase: {},
    istiod: { profile: "ambient", pilot: { autoscaleMin: 2, replicaCount: 2 } },
    istioCni: { profile: "ambient" },
    ztunnel: {},
};

export function createMesh(parent: pulumi.ComponentResource, name: string, args: MeshArgs): Mesh {
    const releases: k8s.helm.v3.Release[] = [];
    // Each chart after the previous one: istiod needs the CRDs, ztunnel needs istiod's CA and the CNI agent's redirection.
    for (const key of ["istioBase", "istiod", "istioCni", "ztunnel"] as const) {
        const pin = CHARTS[key];
        releases.push(
            new k8s.helm.v3.Release(
                `${name}-istio-${pin.chart}`,
                {
                    name: key === "istioBase" ? "istio-base" : key === "istioCni" ? "istio-cni" : pin.chart,
                    chart: pin.chart,
                    version: pin.version,
                    repositoryOpts: { repo: pin.repo },
                    namespace: MESH_NAMESPACE,
                    createNamespace: key === "istioBase",
                    atomic: true,
                    cleanupOnFail: true,
                    values: VALUES[key],
                },
                { parent, provider: args.provider, dependsOn: [...args.dependsOn, ...releases.slice(-1)] },
            ),
        );
    }
    return { workloadPrerequisites: [releases[0], releases[releases.length - 1]] };
}
