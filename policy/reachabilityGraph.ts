/**
 * Reads the network layers of a plan into the evaluators' inputs (model/reachability*.ts): security groups,
 * NACLs and routes per subnet, NetworkPolicies, and each end of a declared flow (model/flows.ts) as the subnets,
 * addresses and groups it sits in. Joined by URN dependencies (Graph.refs), so preview works; whatever is
 * unknown comes back undefined and the layer reports "unknown". Indexed once per stack: linear in resources.
 */
import { NaclEntry } from "../model/flows";
import { K8sEnd, K8sPolicy } from "../model/reachabilityK8s";
import { RouteEntry, SgRule, SgSet } from "../model/reachability";
import { NetworkPolicySpec } from "../model/networkPolicies";
import { PolicyResource } from "@pulumi/policy";
import { Graph, T, UNKNOWN, asArray, peek } from "./lib";

type PolicyResourceLike = PolicyResource;

const SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const VGW = "aws:ec2/vpnGateway:VpnGateway";
/** Probe addresses (RFC 5737 documentation ranges stand for "somewhere on the internet"); S3 by an address of its prefix list. */
export const INTERNET_PROBE = "198.51.100.77";
export const S3_PROBE = { ip: "52.95.150.10", cidr: "52.95.150.0/24" };

/** One place an end of a flow sits: a subnet (absent outside AWS), the address it uses there, its groups. */
export interface Placement {
    readonly subnet?: PolicyResourceLike;
    /** The subnet's VPC: flows pair placements of one VPC only (and anything outside AWS), which keeps the analysis linear. */
    readonly vpc?: PolicyResourceLike;
    readonly ip: string | undefined;
    readonly az?: string;
    readonly sgs?: SgSet;
    readonly prefixLists?: readonly string[];
    readonly k8s: K8sEnd | undefined;
    /** Where the end is, for the route layer: inside the VPC, on the internet, on-prem (over the VPN), S3. */
    readonly where: "vpc" | "internet" | "onPrem" | "s3";
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);

/** The layers of one stack, indexed once. */
export class NetworkIndex {
    private readonly sgRules = new Map<PolicyResourceLike, SgRule[] | undefined>();
    private readonly naclMemo = new Map<PolicyResourceLike, NaclEntry[] | undefined>();
    private readonly routeMemo = new Map<PolicyResourceLike, RouteEntry[] | undefined>();
    readonly policies: K8sPolicy[] | undefined;
    readonly onPremCidrs: string[];

    constructor(readonly graph: Graph) {
        for (const rule of graph.ofType(T.sgIngress, SG_EGRESS, T.sgRule)) this.addRule(rule);
        for (const sg of graph.ofType(T.sg)) this.addInline(sg);
        // EKS creates the cluster security group with "all from itself" in and "all" out, and the nodes carry it.
        // @see https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html
        for (const eks of graph.ofType(T.eksComponent)) {
            const key = eks.urn;
            const implicit: SgRule[] = [
                {
                    egress: true,
                    protocol: "-1",
                    fromPort: 0,
                    toPort: 0,
                    cidrs: ["0.0.0.0/0"],
                    groups: [],
                    prefixLists: [],
                    name: `${eks.name} cluster SG default egress`,
                },
                { egress: false, protocol: "-1", fromPort: 0, toPort: 0, cidrs: [], groups: [key], prefixLists: [], name: `${eks.name} cluster SG self` },
            ];
            this.push(eks, implicit);
        }
        const nps = graph.ofType(NETWORK_POLICY).map((np) => {
            const namespace = peek(() => (np.props.metadata as { namespace?: string } | undefined)?.namespace);
            const spec = peek(() => JSON.parse(JSON.stringify(np.props.spec)) as NetworkPolicySpec);
            return namespace === UNKNOWN || spec === UNKNOWN || !spec ? undefined : { name: np.name, namespace: namespace ?? "default", spec };
        });
        this.policies = nps.every((p) => p !== undefined) ? (nps as K8sPolicy[]) : undefined;
        // The on-prem VLANs are the routes to the VPN gateway, in the order of network.onPrem.cidrs.
        const cidrs: string[] = [];
        for (const rt of graph.ofType(T.routeTable))
            for (const r of graph.routesOf(rt)) if (r.destination && this.isVgw(r.resource) && !cidrs.includes(r.destination)) cidrs.push(r.destination);
        this.onPremCidrs = cidrs;
    }

    private isVgw(route: PolicyResourceLike): boolean {
        return graph(route, this.graph).some((d) => d.type === VGW) || String(peek(() => route.props.gatewayId)).startsWith("vgw-");
    }

    private push(sg: PolicyResourceLike, rules: SgRule[] | undefined) {
        const known = this.sgRules.get(sg);
        this.sgRules.set(sg, rules === undefined || (this.sgRules.has(sg) && known === undefined) ? undefined : [...(known ?? []), ...rules]);
    }

    private addRule(rule: PolicyResourceLike) {
        const [sg] = this.graph.refs(rule, "securityGroupId");
        if (!sg) return;
        const p = rule.props;
        const type = rule.type === T.sgRule ? peek(() => p.type) : undefined;
        const egress = rule.type === SG_EGRESS || type === "egress";
        const protocol = peek(() => p.ipProtocol ?? p.protocol);
        const [from, to] = [peek(() => p.fromPort), peek(() => p.toPort)];
        const cidrs = peek(() => [...asArray(p.cidrIpv4 as string | undefined), ...asArray(p.cidrBlocks as string[] | undefined)]);
        const prefixLists = peek(() => [...asArray(p.prefixListId as string | undefined), ...asArray(p.prefixListIds as string[] | undefined)]);
        const refKey = rule.type === T.sgRule ? "sourceSecurityGroupId" : "referencedSecurityGroupId";
        const self = peek(() => p.self) === true;
        const groups = [...this.graph.refs(rule, refKey).map((g) => g.urn), ...(self ? [sg.urn] : [])];
        const refUnknown = peek(() => p[refKey]) === UNKNOWN && groups.length === 0;
        if ([protocol, from, to, cidrs, prefixLists].includes(UNKNOWN) || refUnknown || (cidrs as string[]).some((c) => typeof c !== "string")) {
            this.push(sg, undefined);
            return;
        }
        const all = String(protocol) === "-1";
        this.push(sg, [
            {
                egress,
                protocol: String(protocol),
                fromPort: all ? 0 : (num(from) ?? 0),
                toPort: all ? 65535 : (num(to) ?? 65535),
                cidrs: cidrs as string[],
                groups,
                prefixLists: (prefixLists as string[]).map((pl) => (typeof pl === "string" ? pl : "unknown-prefix-list")),
                name: rule.name,
            },
        ]);
    }

    /** Inline `ingress`/`egress` of an aws:ec2/securityGroup (groups referenced there resolve through the prop's dependencies). */
    private addInline(sg: PolicyResourceLike) {
        const rules: SgRule[] = [];
        for (const [key, egress] of [
            ["ingress", false],
            ["egress", true],
        ] as const) {
            const inline = peek(() => JSON.parse(JSON.stringify(sg.props[key] ?? [])) as Record<string, unknown>[]);
            if (inline === UNKNOWN) return this.push(sg, undefined);
            const referenced = this.graph
                .refs(sg, key)
                .filter((g) => g.type === T.sg)
                .map((g) => g.urn);
            inline.forEach((r, i) =>
                rules.push({
                    egress,
                    protocol: String(r.protocol),
                    fromPort: num(r.fromPort) ?? 0,
                    toPort: num(r.toPort) ?? 65535,
                    cidrs: asArray(r.cidrBlocks as string[] | undefined),
                    groups: [...(asArray(r.securityGroups as string[] | undefined).length > 0 ? referenced : []), ...(r.self === true ? [sg.urn] : [])],
                    prefixLists: asArray(r.prefixListIds as string[] | undefined),
                    name: `${sg.name} inline ${key} ${i}`,
                }),
            );
        }
        this.push(sg, rules);
    }

    /** The groups of an ENI: their keys and rules (undefined rules if one group's are unknown). */
    sgSet(groups: readonly PolicyResourceLike[]): SgSet {
        const rules: SgRule[] = [];
        for (const g of groups) {
            const r = this.sgRules.has(g) ? this.sgRules.get(g) : [];
            if (r === undefined) return { keys: groups.map((x) => x.urn), rules: undefined };
            rules.push(...r);
        }
        return { keys: groups.map((x) => x.urn), rules };
    }

    /** A subnet's NACL rules: its associated NACL's, the default NACL's inline rules otherwise; undefined when unknown. */
    naclOf(subnet: PolicyResourceLike): NaclEntry[] | undefined {
        if (this.naclMemo.has(subnet)) return this.naclMemo.get(subnet);
        const [nacl] = this.graph.referrers(subnet, [T.nacl], "subnetIds");
        let entries: NaclEntry[] | undefined;
        if (nacl) {
            const props = this.graph.referrers(nacl, [T.naclRule], "networkAclId").map((r) => r.props);
            const keys = ["ruleNumber", "egress", "protocol", "cidrBlock", "fromPort", "toPort"];
            const known = props.every((e) => [...keys, "ruleAction"].every((k) => peek(() => e[k]) !== UNKNOWN));
            entries = known
                ? props.map((e) => ({
                      ruleNumber: Number(e.ruleNumber),
                      egress: e.egress === true,
                      protocol: String(e.protocol),
                      cidrBlock: String(e.cidrBlock),
                      fromPort: Number(e.fromPort),
                      toPort: Number(e.toPort),
                      ruleAction: typeof e.ruleAction === "string" ? e.ruleAction : undefined,
                  }))
                : undefined;
        } else {
            // No NACL of ours: the VPC's default one. Managed here without rules it denies all; AWS's untouched default admits all.
            const [managed] = this.graph.ofType(T.defaultNacl);
            const inline = (egress: boolean) =>
                asArray((managed?.props[egress ? "egress" : "ingress"] ?? []) as Record<string, unknown>[]).map((r) => ({
                    ruleNumber: Number(r.ruleNo),
                    egress,
                    protocol: String(r.protocol),
                    cidrBlock: String(r.cidrBlock),
                    fromPort: Number(r.fromPort),
                    toPort: Number(r.toPort),
                    ruleAction: String(r.action),
                }));
            const allowAll = (egress: boolean): NaclEntry => ({ ruleNumber: 100, egress, protocol: "-1", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 });
            entries = managed ? [...inline(false), ...inline(true)] : [allowAll(false), allowAll(true)];
        }
        this.naclMemo.set(subnet, entries);
        return entries;
    }

    /** A subnet's routes (local route of the VPC, its table's routes, the S3 gateway endpoint); undefined when unknown. */
    routesOf(subnet: PolicyResourceLike): RouteEntry[] | undefined {
        if (this.routeMemo.has(subnet)) return this.routeMemo.get(subnet);
        const vpc = this.graph.refs(subnet, "vpcId", T.vpc)[0];
        const vpcCidr = vpc ? str(peek(() => vpc.props.cidrBlock)) : undefined;
        const tables = this.graph.routeTablesOf(subnet);
        let routes: RouteEntry[] | undefined = vpcCidr && tables.length > 0 ? [{ destination: vpcCidr, target: "local", name: "local" }] : undefined;
        for (const rt of tables) {
            for (const r of this.graph.routesOf(rt)) {
                if (!routes) break;
                if (!r.destination) {
                    routes = undefined;
                    break;
                }
                const natAz = r.target.gateway && r.target.kind === "nat" ? this.azOfNat(r.target.gateway) : undefined;
                const target = r.target.kind === "internet" ? "igw" : r.target.kind === "nat" ? "nat" : this.isVgw(r.resource) ? "vgw" : "other";
                routes.push({ destination: r.destination, target, az: natAz, name: r.resource.name });
            }
            if (routes && this.graph.referrers(rt, [VPC_ENDPOINT], "routeTableIds").length > 0)
                routes.push({ destination: S3_PROBE.cidr, target: "vpce", name: "S3 gateway endpoint (its prefix list)" });
        }
        this.routeMemo.set(subnet, routes);
        return routes;
    }

    private azOfNat(nat: PolicyResourceLike): string | undefined {
        const [subnet] = this.graph.refs(nat, "subnetId", T.subnet);
        return subnet ? str(peek(() => this.graph.azOf(subnet))) : undefined;
    }

    /** Subnets of a tier. */
    tierSubnets(tier: string): PolicyResourceLike[] {
        return this.graph.ofType(T.subnet).filter((s) => this.graph.tierOf(s) === tier);
    }

    /** The prefix lists the stack's security group rules name. */
    prefixListsInRules(): string[] {
        return [...this.sgRules.values()].flatMap((rs) => (rs ?? []).flatMap((r) => r.prefixLists));
    }
}

function graph(route: PolicyResourceLike, g: Graph): PolicyResourceLike[] {
    return g.refs(route, "gatewayId");
}
