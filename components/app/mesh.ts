/**
 * Mesh step (issue #12, seed 4.2/4.3): Istio in ambient mode on EKS and on the on-prem cluster, from the pinned
 * charts (model/versions.ts CHARTS) in the documented order: base (CRDs), istiod, the CNI node agent, ztunnel. The
 * portal namespace is enrolled by its label and gets STRICT mTLS and the generated AuthorizationPolicies in
 * AppWorkloads (model/mesh.ts) on both clusters. On-prem, the distribution's values and namespaces come from
 * model/meshPlatforms.ts. Why Istio ambient and not Linkerd, and the EKS and on-prem specifics: docs/mesh.md.
 * @see https://istio.io/latest/docs/ambient/install/helm/
 * @see https://istio.io/latest/docs/ambient/install/platform-prerequisites/ (EKS)
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MESH_NAMESPACE } from "../../model/mesh";
import { MESH_CHARTS, MESH_PLATFORMS, MeshChart, OnPremDistribution, chartNamespace, platformValues } from "../../model/meshPlatforms";
import { CHARTS } from "../../model/versions";

export interface MeshArgs {
    /** The cluster's Kubernetes provider. */
    readonly provider: k8s.Provider;
    /** What must exist first (the node groups: the CNI agent and ztunnel are DaemonSets). */
    readonly dependsOn: pulumi.Resource[];
    /**
     * The on-prem cluster's distribution (`app.onPrem.distribution`): its chart values, namespaces and Pod Security labels.
     * @default none: the EKS cluster (Istio's defaults fit the VPC CNI)
     * @see https://istio.io/latest/docs/ambient/install/platform-prerequisites/
     */
    readonly distribution?: OnPremDistribution;
}

export interface Mesh {
    /** What enrolled workloads need installed first: the CRDs (PeerAuthentication, AuthorizationPolicy) and ztunnel. */
    readonly workloadPrerequisites: pulumi.Resource[];
}

/**
 * Values per chart. `profile: ambient` on istiod and the CNI agent is what the Helm guide sets; two istiod
 * replicas so a node drain does not stop certificate issuance. The EKS prerequisite (POD_SECURITY_GROUP_ENFORCING_MODE
 * standard) applies only to security groups for pods, which this cluster does not use.
 */
const VALUES: Record<MeshChart, Record<string, unknown>> = {
    istioBase: {},
    istiod: { profile: "ambient", pilot: { autoscaleMin: 2, replicaCount: 2 } },
    istioCni: { profile: "ambient" },
    ztunnel: {},
};

export function createMesh(parent: pulumi.ComponentResource, name: string, args: MeshArgs): Mesh {
    const distribution = args.distribution;
    const releases: k8s.helm.v3.Release[] = [];
    // On-prem the stack creates istio-system itself when the distribution needs Pod Security labels on it (RKE2's CIS profile).
    const labels = distribution ? MESH_PLATFORMS[distribution].namespaceLabels : {};
    const namespace =
        Object.keys(labels).length > 0
            ? [
                  new k8s.core.v1.Namespace(
                      `${name}-istio-system`,
                      { metadata: { name: MESH_NAMESPACE, labels: { ...labels } } },
                      { parent, provider: args.provider },
                  ),
              ]
            : [];
    // Each chart after the previous one: istiod needs the CRDs, ztunnel needs istiod's CA and the CNI agent's redirection.
    for (const key of MESH_CHARTS) {
        const pin = CHARTS[key];
        const chartNs = chartNamespace(distribution, key);
        releases.push(
            new k8s.helm.v3.Release(
                `${name}-istio-${pin.chart}`,
                {
                    name: key === "istioBase" ? "istio-base" : key === "istioCni" ? "istio-cni" : pin.chart,
                    chart: pin.chart,
                    version: pin.version,
                    repositoryOpts: { repo: pin.repo },
                    namespace: chartNs,
                    createNamespace: key === "istioBase" && namespace.length === 0,
                    atomic: true,
                    cleanupOnFail: true,
                    values: distribution ? platformValues(distribution, key, VALUES[key]) : VALUES[key],
                },
                { parent, provider: args.provider, dependsOn: [...args.dependsOn, ...namespace, ...releases.slice(-1)] },
            ),
        );
    }
    return { workloadPrerequisites: [releases[0], releases[releases.length - 1]] };
}
