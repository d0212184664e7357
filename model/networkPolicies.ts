/**
 * The portal namespace's NetworkPolicies (seed 4.1, zero trust): deny everything, then allow exactly
 * the flows each workload needs. Pure; `AppWorkloads` turns each into a `k8s` NetworkPolicy.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { HBONE_PORT, SERVICE_FLOWS } from "./mesh";
import { HTTPS_PORT, POSTGRES_PORT, REDIS_PORT } from "./ports";
import { SERVED_PORTS, ServedName, WORKLOAD_NAMES } from "./workloads";
import { COLLECTOR_POD_LABELS, TELEMETRY_NAMESPACE } from "./collection";
import { METRICS_ENDPOINTS } from "./workloadTelemetry";

export const DNS_PORT = 53;
/** RFC 1918: private hosts are never reached through the AWS-API egress rule. */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

export interface LabelSelector {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: "In"; values: string[] }[];
}
export interface Peer {
    ipBlock?: { cidr: string; except?: string[] };
    namespaceSelector?: LabelSelector;
    podSelector?: LabelSelector;
}
export interface PolicyPort {
    protocol: "TCP" | "UDP";
    port: number;
}
export interface NetworkPolicySpec {
    podSelector: LabelSelector;
    policyTypes: ("Ingress" | "Egress")[];
    ingress?: { from: Peer[]; ports: PolicyPort[] }[];
    egress?: { to: Peer[]; ports: PolicyPort[] }[];
}
export interface NamedNetworkPolicy {
    /** metadata.name, and the suffix of the Pulumi resource name. */
    readonly name: string;
    readonly spec: NetworkPolicySpec;
}

/** Who may reach the served workloads: the ALB's subnets on EKS (ip targets), the ingress controller's namespace on-prem. */
export type EdgeSource = { readonly kind: "eks"; readonly albSourceCidrs: readonly string[] } | { readonly kind: "onPrem"; readonly ingressNamespace: string };

const namespaceNamed = (namespace: string): LabelSelector => ({ matchLabels: { "kubernetes.io/metadata.name": namespace } });
const allWorkloads = (): LabelSelector => ({ matchExpressions: [{ key: "app", operator: "In", values: [...WORKLOAD_NAMES] }] });

/**
 * Default deny, DNS, edge -> web/api, app -> DB/Redis, app -> AWS APIs over HTTPS. Each allow names
 * its peers: an empty `from`/`to` would mean "everyone", so callers validate that the CIDR lists are not empty.
 * `apiEndpointCidrs` are the blocks holding the interface VPC endpoints' addresses (model/endpointAddresses.ts):
 * with private DNS, STS (IRSA), Secrets Manager, KMS and Logs resolve there, inside the private ranges the
 * AWS-API rule otherwise excludes. None on-prem (no VPC endpoints there).
 */
/**
 * Every namespace's first two policies: deny everything both ways, then DNS out. CoreDNS is in kube-system on EKS;
 * OpenShift/Rancher name and label their DNS differently, so on-prem any namespace's port 53.
 */
export function denyAllButDns(onEks: boolean): NamedNetworkPolicy[] {
    const dnsPeer: Peer = onEks
        ? { namespaceSelector: namespaceNamed("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }
        : { namespaceSelector: {} };
    return [
        { name: "default-deny", spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
        {
            name: "allow-dns",
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: [dnsPeer],
                        ports: [
                            { protocol: "UDP", port: DNS_PORT },
                            { protocol: "TCP", port: DNS_PORT },
                        ],
                    },
                ],
            },
        },
    ];
}

export function portalNetworkPolicies(edge: EdgeSource, dataCidrs: readonly string[], apiEndpointCidrs: readonly string[] = []): NamedNetworkPolicy[] {
    const edgePeers: Peer[] =
        edge.kind === "eks" ? edge.albSourceCidrs.map((cidr) => ({ ipBlock: { cidr } })) : [{ namespaceSelector: namespaceNamed(edge.ingressNamespace) }];
    return [
        ...denyAllButDns(edge.kind === "eks"),
        ...(Object.keys(SERVED_PORTS) as ServedName[]).map((served) => ({
            name: `allow-ingress-to-${served}`,
            spec: {
                podSelector: { matchLabels: { app: served } },
                policyTypes: ["Ingress" as const],
                ingress: [{ from: edgePeers, ports: [{ protocol: "TCP" as const, port: SERVED_PORTS[served] }] }],
            },
        })),
        {
            name: "allow-app-to-data",
            spec: {
                podSelector: allWorkloads(),
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: dataCidrs.map((cidr) => ({ ipBlock: { cidr } })),
                        ports: [
                            { protocol: "TCP", port: POSTGRES_PORT },
                            { protocol: "TCP", port: REDIS_PORT },
                        ],
                    },
                ],
            },
        },
        {
            name: "allow-app-to-aws-apis",
            // HTTPS to AWS APIs: public service ranges (S3 through its gateway endpoint) and the interface endpoints' own
            // addresses; never any other private host.
            spec: {
                podSelector: allWorkloads(),
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...PRIVATE_RANGES] } }, ...apiEndpointCidrs.map((cidr) => ({ ipBlock: { cidr } }))],
                        ports: [{ protocol: "TCP", port: HTTPS_PORT }],
                    },
                ],
            },
        },
        ...meshNetworkPolicies(),
        ...telemetryNetworkPolicies(),
    ];
}

/**
 * Istio ambient (model/mesh.ts): a call between two enrolled pods leaves the source pod and enters the destination pod
 * on HBONE (15008), and NetworkPolicy is enforced on the host, on that port: each declared service flow needs egress from
 * its source and ingress to its destination on 15008. Kubelet probes of enrolled pods arrive SNATed from 169.254.7.127.
 * @see https://istio.io/latest/docs/ambient/usage/networkpolicy/ ("you will have to add an exception to that NetworkPolicy for port 15008"; health probes)
 */
export const AMBIENT_PROBE_SOURCE = "169.254.7.127/32";

function meshNetworkPolicies(): NamedNetworkPolicy[] {
    const hbone = [{ protocol: "TCP" as const, port: HBONE_PORT }];
    const calls = SERVICE_FLOWS.filter((f) => f.from !== "edge");
    return [
        ...calls.map((f) => ({
            name: `allow-mesh-${f.from}-to-${f.to}`,
            spec: {
                podSelector: { matchLabels: { app: f.to } },
                policyTypes: ["Ingress" as const],
                ingress: [{ from: [{ podSelector: { matchLabels: { app: f.from } } }], ports: hbone }],
            },
        })),
        ...calls.map((f) => ({
            name: `allow-mesh-${f.from}-egress-to-${f.to}`,
            spec: {
                podSelector: { matchLabels: { app: f.from } },
                policyTypes: ["Egress" as const],
                egress: [{ to: [{ podSelector: { matchLabels: { app: f.to } } }], ports: hbone }],
            },
        })),
        {
            name: "allow-mesh-probes",
            spec: {
                podSelector: { matchExpressions: [{ key: "app", operator: "In" as const, values: Object.keys(SERVED_PORTS) }] },
                policyTypes: ["Ingress" as const],
                ingress: [
                    {
                        from: [{ ipBlock: { cidr: AMBIENT_PROBE_SOURCE } }],
                        ports: (Object.values(SERVED_PORTS) as number[]).map((port) => ({ protocol: "TCP" as const, port })),
                    },
                ],
            },
        },
    ];
}

/**
 * issue #13: the collector (model/collection.ts) scrapes each workload's metrics port and receives their OTLP traces. Both
 * ends are in the ambient mesh, so both directions travel on HBONE (15008): the mesh's ALLOW policies then admit the
 * collector's identity to the metrics port only (model/mesh.ts scrapeAuthorizationPolicies), and nothing else new opens.
 */
function telemetryNetworkPolicies(): NamedNetworkPolicy[] {
    const hbone = [{ protocol: "TCP" as const, port: HBONE_PORT }];
    const collector: Peer = { namespaceSelector: namespaceNamed(TELEMETRY_NAMESPACE), podSelector: { matchLabels: { ...COLLECTOR_POD_LABELS } } };
    return [
        {
            name: "allow-collector-scrapes",
            spec: {
                podSelector: { matchExpressions: [{ key: "app", operator: "In", values: Object.keys(METRICS_ENDPOINTS) }] },
                policyTypes: ["Ingress"],
                ingress: [{ from: [collector], ports: hbone }],
            },
        },
        { name: "allow-traces-to-collector", spec: { podSelector: allWorkloads(), policyTypes: ["Egress"], egress: [{ to: [collector], ports: hbone }] } },
    ];
}
