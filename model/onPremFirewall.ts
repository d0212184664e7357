/**
 * The host firewalls of the on-prem hosts (issue #16, seed 1.1, 1.4), generated from the flow model: each host admits
 * only the flows that end on its group, from their sources, on their ports; nftables drops the rest (ansible/roles/
 * host_firewall). Two sources of flows:
 *  - `FLOWS` (model/flows.ts): the intended flows from the AWS side into an on-prem VLAN arrive over the VPN from the
 *    VPC CIDRs, on the hosts of that VLAN;
 *  - `ON_PREM_HOST_FLOWS` below: the flows inside the data centre (and from the internet into the DMZ). They are not in
 *    `FLOWS` because policy/reachability.ts walks flows through AWS's layers, which never see them.
 * Pure.
 */
import { HEALTH_CHECK_PORT, HTTPS_PORT } from "./ports";
import { DeclaredFlow, FLOWS, ON_PREM_VLANS } from "./flows";
import type { InventoryContext, OnPremHostsConfig } from "./onPremHosts";

/** The inventory groups, one per role of a host (ansible/site.yml plays them in this order). */
export const ON_PREM_GROUPS = ["dmz_lb", "api_gateway", "k8s_nodes", "object_store"] as const;
export type OnPremGroup = (typeof ON_PREM_GROUPS)[number];
export type OnPremVlan = (typeof ON_PREM_VLANS)[number];

/**
 * The VLAN each group lives in (seed 1.1: "the DMZ hosts the load balancer and API gateway"; VLAN segmentation
 * separates the application and data layers).
 */
export const GROUP_VLAN: Readonly<Record<OnPremGroup, OnPremVlan>> = { dmz_lb: "dmz", api_gateway: "dmz", k8s_nodes: "application", object_store: "data" };

/** MinIO's S3 API (data.onPremObjectStore.endpoint). */
export const MINIO_PORT = 9000;
/** The API gateway's TLS listener, which the DMZ load balancer forwards `/api/` to. */
export const API_GATEWAY_PORT = 8443;
/** prometheus-node-exporter's listener (the unified monitoring scrapes it from the cluster). */
export const NODE_EXPORTER_PORT = 9100;
export const SSH_PORT = 22;
/** RKE2's default cluster (pod) CIDR: pods reach their node's kubelet, DNS and the ingress. @see https://docs.rke2.io/reference/server_config */
export const RKE2_CLUSTER_CIDR = "10.42.0.0/16";

/** Where an on-prem flow comes from. */
export type HostFlowSource =
    | { readonly kind: "internet" }
    /** Over the VPN: the VPC CIDRs (the in-VPC deploy runner, the EKS nodes). */
    | { readonly kind: "vpc" }
    | { readonly kind: "vlan"; readonly vlan: OnPremVlan }
    | { readonly kind: "group"; readonly group: OnPremGroup }
    | { readonly kind: "cidr"; readonly cidr: string };

export interface HostFlow {
    readonly name: string;
    readonly from: HostFlowSource;
    /** The groups whose hosts listen. */
    readonly to: readonly OnPremGroup[];
    readonly protocol: "tcp" | "udp";
    /** A port, an inclusive range, or the cluster's ingress port (onPrem.ingressPort). */
    readonly ports: number | readonly [number, number] | "ingress";
    /** Intended (admitted by the target's firewall) or forbidden (no rule may admit it: tests check it). */
    readonly intended: boolean;
    readonly seed: string;
    readonly why: string;
}

const flow = (
    name: string,
    from: HostFlowSource,
    to: OnPremGroup[],
    ports: HostFlow["ports"],
    seed: string,
    why: string,
    protocol: "tcp" | "udp" = "tcp",
): HostFlow => ({
    name,
    from,
    to,
    protocol,
    ports,
    intended: true,
    seed,
    why,
});
const ALL_GROUPS: OnPremGroup[] = [...ON_PREM_GROUPS];
const nodes: OnPremGroup[] = ["k8s_nodes"];
/** RKE2's inbound rules between the nodes. @see https://docs.rke2.io/install/requirements#inbound-network-rules */
const rke2 = (name: string, ports: HostFlow["ports"], why: string, protocol: "tcp" | "udp" = "tcp") =>
    flow(`rke2-${name}`, { kind: "group", group: "k8s_nodes" }, nodes, ports, "1.2", why, protocol);

/** The flows inside the data centre. Append, never reorder (the rendered rules follow this order: reviews see only the change). */
export const ON_PREM_HOST_FLOWS: readonly HostFlow[] = [
    flow("citizens-to-dmz-lb-https", { kind: "internet" }, ["dmz_lb"], HTTPS_PORT, "1.1, 3.2", "the GSLB's on-prem member (TLS 1.3)"),
    flow(
        "health-checkers-to-dmz-lb",
        { kind: "internet" },
        ["dmz_lb"],
        HEALTH_CHECK_PORT,
        "3.1",
        "Route 53's checkers negotiate TLS 1.0-1.2 only, never 1.3: /healthz alone on its own port, as on the ALB",
    ),
    flow("dmz-lb-to-api-gateway", { kind: "group", group: "dmz_lb" }, ["api_gateway"], API_GATEWAY_PORT, "1.1", "/api/ through the gateway's rate limits"),
    flow("dmz-lb-to-ingress", { kind: "group", group: "dmz_lb" }, nodes, "ingress", "1.1, 1.2", "the portal on the on-prem cluster's ingress"),
    flow("api-gateway-to-ingress", { kind: "group", group: "api_gateway" }, nodes, "ingress", "1.1", "FastAPI on the on-prem cluster's ingress"),
    flow(
        "apps-to-object-store",
        { kind: "vlan", vlan: "application" },
        ["object_store"],
        MINIO_PORT,
        "1.3, 2",
        "documents on MinIO from the on-prem workloads",
    ),
    flow("vpc-to-object-store", { kind: "vpc" }, ["object_store"], MINIO_PORT, "1.3", "the MinIO provider and the sync to S3 over the VPN"),
    flow("ansible-over-vpn", { kind: "vpc" }, ALL_GROUPS, SSH_PORT, "5", "pulumi up runs the playbooks on the in-VPC deploy runner"),
    flow("metrics-scrape", { kind: "group", group: "k8s_nodes" }, ALL_GROUPS, NODE_EXPORTER_PORT, "5", "node-exporter, scraped by the cluster's collectors"),
    flow("pods-to-nodes", { kind: "cidr", cidr: RKE2_CLUSTER_CIDR }, nodes, [1, 65535], "1.2", "pods reach their node (kubelet, DNS, host-network ingress)"),
    rke2("supervisor", 9345, "agents register with the servers"),
    rke2("api", 6443, "the Kubernetes API"),
    rke2("kubelet", 10250, "metrics and exec"),
    rke2("etcd", [2379, 2381], "etcd clients, peers and health"),
    rke2("vxlan", 8472, "Canal's VXLAN overlay", "udp"),
    rke2("canal-health", 9099, "Canal's health checks"),
    {
        ...flow("dmz-to-object-store", { kind: "vlan", vlan: "dmz" }, ["object_store"], MINIO_PORT, "1.1, 1.4", "the DMZ never reaches the data VLAN"),
        intended: false,
    },
    { ...flow("internet-to-nodes", { kind: "internet" }, nodes, "ingress", "1.1", "citizens come through the DMZ only"), intended: false },
];

/** The `FLOWS` that enter an on-prem VLAN from the AWS side, as host flows from the VPC onto that VLAN's groups. */
export function vpnFlows(groupsOf: (vlan: OnPremVlan) => OnPremGroup[], flows: readonly DeclaredFlow[] = FLOWS): HostFlow[] {
    return flows.flatMap((f) =>
        f.to.kind === "onPrem" && f.from.kind !== "onPrem"
            ? [
                  {
                      name: f.name,
                      from: { kind: "vpc" },
                      to: groupsOf(f.to.vlan),
                      protocol: f.protocol,
                      ports: f.port,
                      intended: f.intended,
                      seed: f.seed,
                      why: f.why,
                  },
              ]
            : [],
    );
}

/** One rendered nftables rule of a group (host_firewall.nft.j2): `ip saddr { sources } <protocol> dport <ports> accept`. */
export interface HostFirewallRule {
    readonly flow: string;
    readonly protocol: "tcp" | "udp";
    /** "443" or "2379-2381": nft's syntax. */
    readonly ports: string;
    readonly sources: readonly string[];
}

/** The groups of a VLAN. */
export const groupsIn = (vlan: OnPremVlan): OnPremGroup[] => ON_PREM_GROUPS.filter((g) => GROUP_VLAN[g] === vlan);

/** The rules of one group's firewall: every intended flow to it, its sources resolved; a flow with no source host yet is left out. */
export function hostFirewallRules(
    group: OnPremGroup,
    onPrem: Pick<OnPremHostsConfig, "hosts" | "ingressPort">,
    ctx: Pick<InventoryContext, "onPremCidrs" | "vpcCidrs">,
    flows: readonly HostFlow[] = [...vpnFlows(groupsIn), ...ON_PREM_HOST_FLOWS],
): HostFirewallRule[] {
    const vlanCidr = (vlan: OnPremVlan): string | undefined => ctx.onPremCidrs[ON_PREM_VLANS.indexOf(vlan)];
    const sources = (from: HostFlowSource): string[] => {
        switch (from.kind) {
            case "internet":
                return ["0.0.0.0/0"];
            case "vpc":
                return [...ctx.vpcCidrs];
            case "vlan":
                return [vlanCidr(from.vlan)].filter((c): c is string => c !== undefined);
            case "group":
                return onPrem.hosts[from.group].map((h) => `${h.address}/32`);
            case "cidr":
                return [from.cidr];
        }
    };
    const portText = (p: HostFlow["ports"]) => {
        const port = p === "ingress" ? onPrem.ingressPort : p;
        return typeof port === "number" ? String(port) : `${port[0]}-${port[1]}`;
    };
    return flows
        .filter((f) => f.intended && f.to.includes(group))
        .map((f) => ({ flow: f.name, protocol: f.protocol, ports: portText(f.ports), sources: sources(f.from) }))
        .filter((r) => r.sources.length > 0);
}

/** Whether a group's rules admit a packet from `source` (an IPv4 address) on `protocol`/`port`: the tests' evaluator of the generated set. */
export function admits(
    rules: readonly HostFirewallRule[],
    source: string,
    protocol: "tcp" | "udp",
    port: number,
    inCidr: (ip: string, cidr: string) => boolean,
): boolean {
    return rules.some((r) => {
        if (r.protocol !== protocol) return false;
        const [from, to = from] = r.ports.split("-").map(Number);
        return port >= from && port <= to && r.sources.some((c) => inCidr(source, c));
    });
}
