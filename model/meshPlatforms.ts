/**
 * What installing Istio ambient differs by on the on-prem cluster's distribution (issue #12 build 3: "on EKS and on the
 * on-prem cluster"). Pure: one table, each value with the page that asks for it; components/app/mesh.ts merges it into
 * the chart values and namespaces. There is no safe default: the CNI node agent writes its plugin and configuration into
 * host directories that differ per distribution, and in the wrong ones it captures nothing (pods run outside the mesh,
 * unnoticed) or breaks pod networking, so `app.onPrem.distribution` is required (model/appConfig.ts).
 * @see https://istio.io/latest/docs/ambient/install/platform-prerequisites/
 */
import { MESH_NAMESPACE } from "./mesh";

/** The on-prem Kubernetes distributions the seed names (1.2: OpenShift or Rancher; Rancher's own distribution is RKE2). */
export const ON_PREM_DISTRIBUTIONS = ["rke2", "openshift"] as const;
export type OnPremDistribution = (typeof ON_PREM_DISTRIBUTIONS)[number];

/** The four Istio ambient charts (model/versions.ts CHARTS keys). */
export type MeshChart = "istioBase" | "istiod" | "istioCni" | "ztunnel";
export const MESH_CHARTS: readonly MeshChart[] = ["istioBase", "istiod", "istioCni", "ztunnel"];

/** One value a distribution needs in one chart, and where it is documented. */
export interface PlatformValue {
    readonly chart: MeshChart;
    /** Dotted path in the chart's values. */
    readonly path: string;
    readonly value: string | boolean;
    readonly source: string;
}
export interface MeshPlatform {
    /** Where the node agents (istio-cni, ztunnel) are installed; istiod and the CRDs stay in istio-system. */
    readonly nodeAgentNamespace: string;
    readonly values: readonly PlatformValue[];
    /**
     * Labels of the namespace the charts go to when this stack creates it (Pod Security Admission): the CNI agent needs
     * hostPath volumes and ztunnel privileges, which the baseline and restricted levels refuse.
     */
    readonly namespaceLabels: Readonly<Record<string, string>>;
    /** What the site must have set up first, which no chart value can do (docs/mesh.md). */
    readonly sitePrerequisites: readonly string[];
}

const PREREQUISITES = "https://istio.io/latest/docs/ambient/install/platform-prerequisites/";
const PSA = "https://istio.io/latest/docs/setup/additional-setup/pod-security-admission/";

export const MESH_PLATFORMS: Record<OnPremDistribution, MeshPlatform> = {
    openshift: {
        nodeAgentNamespace: "kube-system",
        values: [
            ...MESH_CHARTS.map((chart): PlatformValue => ({
                chart,
                path: "global.platform",
                value: "openshift",
                // It selects each chart's built-in profile-platform-openshift.yaml: for the CNI agent /var/lib/cni/bin,
                // /etc/cni/multus/net.d, chained false, provider multus, SELinux type spc_t; the cni and ztunnel charts'
                // ClusterRoles then grant `use` of the `privileged` SecurityContextConstraints (their templates test it).
                source: `${PREREQUISITES} (Red Hat OpenShift: "set global.platform=openshift for all charts"); istio/istio 1.31 manifests/helm-profiles/platform-openshift.yaml`,
            })),
            {
                chart: "istiod",
                path: "trustedZtunnelNamespace",
                value: "kube-system",
                // istiod issues workload certificates only to the ztunnel of the trusted namespace: it must name where ztunnel runs.
                source: "istio/istio 1.31 manifests/charts/istio-control/istio-discovery/files/profile-platform-openshift.yaml (trustedZtunnelNamespace: kube-system)",
            },
        ],
        // kube-system is privileged on OpenShift; istio-system holds istiod only, which runs under the restricted SCC.
        namespaceLabels: {},
        sitePrerequisites: [
            `OVN-Kubernetes in local gateway mode (Cluster Network Operator gatewayConfig.routingViaHost: true): Red Hat's prerequisite for ambient mode (https://docs.redhat.com/en/documentation/red_hat_openshift_service_mesh/3.2/html/installing/ossm-installing-istio-ambient-mode_ossm-istio-ambient-mode)`,
            "The Gateway API CRDs are OpenShift's own (4.19+): not installed by this stack",
        ],
    },
    rke2: {
        nodeAgentNamespace: MESH_NAMESPACE,
        values: [
            // RKE2 keeps the standard CNI paths; Istio's `k3s` platform profile (/var/lib/rancher/k3s/...) is for K3s, and
            // would put the plugin where RKE2's containerd never looks. Set explicitly, so a changed chart default cannot move them.
            {
                chart: "istioCni",
                path: "cniBinDir",
                value: "/opt/cni/bin",
                source: "https://ranchermanager.docs.rancher.com/integrations-in-rancher/istio/configuration-options/install-istio-on-rke2-cluster (RKE2: cniBinDir /opt/cni/bin)",
            },
            {
                chart: "istioCni",
                path: "cniConfDir",
                value: "/etc/cni/net.d",
                source: "https://ranchermanager.docs.rancher.com/integrations-in-rancher/istio/configuration-options/install-istio-on-rke2-cluster (RKE2: cniConfDir /etc/cni/net.d)",
            },
        ],
        // RKE2 with `profile: cis` enforces the restricted Pod Security level on every namespace but kube-system, cis-operator-system and
        // tigera-operator (https://docs.rke2.io/security/pod_security_standards): the charts' namespace must say privileged itself.
        namespaceLabels: { "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/enforce-version": "latest" },
        sitePrerequisites: [`Canal, Calico or Cilium as RKE2's CNI; with Cilium, cni.exclusive=false (${PREREQUISITES}#cilium)`],
    },
};

/** The namespace-label rule of MESH_PLATFORMS, cited once for the docs. */
export const NAMESPACE_LABELS_SOURCE = `${PSA} ("the namespace where the CNI DaemonSet will be deployed needs to enforce the privileged policy")`;

/** Sets a dotted path in a nested values object (a copy: the inputs are never mutated). */
function withPath(values: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
    const [head, ...rest] = path.split(".");
    if (rest.length === 0) return { ...values, [head]: value };
    const inner = (values[head] ?? {}) as Record<string, unknown>;
    return { ...values, [head]: withPath(inner, rest.join("."), value) };
}

/** A chart's values for a distribution: its own values with the distribution's on top. */
export function platformValues(distribution: OnPremDistribution, chart: MeshChart, base: Record<string, unknown>): Record<string, unknown> {
    return MESH_PLATFORMS[distribution].values.filter((v) => v.chart === chart).reduce((acc, v) => withPath(acc, v.path, v.value), base);
}

/** The namespace a chart is installed in on a distribution. */
export function chartNamespace(distribution: OnPremDistribution | undefined, chart: MeshChart): string {
    if (distribution === undefined || chart === "istioBase" || chart === "istiod") return MESH_NAMESPACE;
    return MESH_PLATFORMS[distribution].nodeAgentNamespace;
}
