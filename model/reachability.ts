/**
 * Reachability, one evaluator per AWS network layer, each with AWS's own semantics. Pure: every input is a
 * plain value (the stack policy policy/reachability.ts reads them from the plan). Each evaluator says which
 * rule decided, so a blocked flow names it. Kubernetes NetworkPolicies: model/reachabilityK8s.ts.
 */
import { NaclEntry } from "./flows";

/** What one layer says about one flow: admitted, blocked, or unknown (its inputs are unknown in preview). */
export type Verdict = "allow" | "deny" | "unknown";
export interface LayerDecision {
    readonly verdict: Verdict;
    /** The deciding rule (or why none applies), for the flow matrix and the violation message. */
    readonly rule: string;
}
export type Protocol = "tcp" | "udp";

/**
 * The ephemeral range a client picks its source port from. AWS's guidance for a NACL that serves any client is
 * 1024-65535 (Linux uses 32768-60999, Windows 49152-65535, NAT gateways and ELB 1024-65535): the reply leg is
 * checked at both ends of the range and in the middle.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
 */
export const EPHEMERAL_RANGE = [1024, 65535] as const;
export const EPHEMERAL_PROBES = [1024, 32768, 65535];

const ipToInt = (ip: string): number => ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);

/** Whether an IPv4 address lies in a CIDR block (false for anything that is not IPv4, e.g. "::/0"). */
export function ipInCidr(ip: string, cidr: string): boolean {
    const [base, prefixText] = cidr.trim().split("/");
    const prefix = Number(prefixText ?? "32");
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(base) || !/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !(prefix >= 0 && prefix <= 32)) return false;
    const size = 2 ** (32 - prefix);
    return Math.floor(ipToInt(ip) / size) === Math.floor(ipToInt(base) / size);
}

/** A host of a CIDR to test packets with: its tenth address (never one of the four AWS reserves at the start). */
export function sampleHost(cidr: string): string {
    const [base] = cidr.split("/");
    const n = ipToInt(base) + 10;
    return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

const protocolNames = (p: Protocol) => (p === "udp" ? ["udp", "17"] : ["tcp", "6"]);
const isAll = (protocol: string) => protocol === "-1" || protocol === "all";

/**
 * One NACL, one packet, one direction: rules in ascending rule number, the FIRST that matches decides (an allow
 * numbered before a deny wins, and the reverse), and the final `*` rule denies what none matched.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html ("rules are evaluated starting with the lowest numbered rule ... as soon as a rule matches traffic, it's applied")
 */
export function naclDecide(
    entries: readonly NaclEntry[],
    packet: { readonly egress: boolean; readonly peer: string; readonly port: number; readonly protocol?: Protocol },
): LayerDecision {
    const names = protocolNames(packet.protocol ?? "tcp");
    const ordered = entries.filter((e) => e.egress === packet.egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
    for (const e of ordered) {
        const protocol = String(e.protocol).toLowerCase();
        const protocolMatches = isAll(protocol) || names.includes(protocol);
        const portMatches = isAll(protocol) || (packet.port >= e.fromPort && packet.port <= e.toPort);
        if (protocolMatches && portMatches && ipInCidr(packet.peer, e.cidrBlock)) {
            const action = (e.ruleAction ?? "allow") === "allow" ? "allow" : "deny";
            return {
                verdict: action,
                rule: `${packet.egress ? "egress" : "ingress"} rule ${e.ruleNumber} (${action} ${protocol} ${e.cidrBlock} ${e.fromPort}-${e.toPort})`,
            };
        }
    }
    return { verdict: "deny", rule: `${packet.egress ? "egress" : "ingress"} rule * (no rule matches ${packet.peer}:${packet.port})` };
}

/** The NACLs of both ends of a connection; undefined means that end's rules are unknown (preview). */
export interface NaclPath {
    readonly client: { readonly ip: string; readonly entries: readonly NaclEntry[] | undefined; readonly name: string };
    readonly server: { readonly ip: string; readonly entries: readonly NaclEntry[] | undefined; readonly name: string };
    /** Same subnet: the packet never crosses a NACL (NACLs filter traffic entering and leaving a subnet). */
    readonly sameSubnet?: boolean;
}

/**
 * A connection through NACLs, which are stateless: the request out of the client's subnet and into the
 * server's, and the reply (to the client's ephemeral port) out of the server's and back into the client's.
 * An end outside AWS (internet, on-prem) crosses no NACL of ours: give it the name "" and it is skipped.
 */
export function naclConnection(path: NaclPath, port: number, protocol: Protocol = "tcp"): LayerDecision {
    if (path.sameSubnet) return { verdict: "allow", rule: "same subnet (no NACL crossed)" };
    const legs: Array<[NaclPath["client"], boolean, string, number[]]> = [
        [path.client, true, path.server.ip, [port]],
        [path.server, false, path.client.ip, [port]],
        [path.server, true, path.client.ip, EPHEMERAL_PROBES],
        [path.client, false, path.server.ip, EPHEMERAL_PROBES],
    ];
    let unknown: string | undefined;
    const allowed: string[] = [];
    for (const [end, egress, peer, ports] of legs) {
        if (end.name === "") continue;
        if (!end.entries) {
            unknown = `${end.name}: rules unknown`;
            continue;
        }
        for (const p of ports) {
            const d = naclDecide(end.entries, { egress, peer, port: p, protocol });
            if (d.verdict === "deny") return { verdict: "deny", rule: `${end.name} ${d.rule}${ports.length > 1 ? " (the stateless reply)" : ""}` };
            if (p === ports[0]) allowed.push(`${end.name} ${d.rule}`);
        }
    }
    return unknown ? { verdict: "unknown", rule: unknown } : { verdict: "allow", rule: allowed.join("; ") || "no NACL on the path" };
}

/** One security group rule, normalised from `aws:vpc/securityGroup{Ingress,Egress}Rule`, `aws:ec2/securityGroupRule` or inline rules. */
export interface SgRule {
    readonly egress: boolean;
    /** "tcp", "udp", "6", "17" or "-1" (all). */
    readonly protocol: string;
    readonly fromPort: number;
    readonly toPort: number;
    /** The peer: CIDR blocks, security groups (by key), prefix lists (by ID or key). */
    readonly cidrs: readonly string[];
    readonly groups: readonly string[];
    readonly prefixLists: readonly string[];
    /** Name for messages (the rule resource's name). */
    readonly name: string;
}
export interface SgSet {
    /** Keys of the groups attached to the ENI (what other rules reference). */
    readonly keys: readonly string[];
    /** Their rules; undefined when a group's rules are unknown (preview). */
    readonly rules: readonly SgRule[] | undefined;
}
/** An ENI end of a flow, as security groups see it; `sgs` absent for an end outside AWS (internet, on-prem). */
export interface SgEnd {
    readonly ip: string;
    readonly sgs?: SgSet;
    /** Prefix lists the end's address belongs to (e.g. Route 53 health checkers'). */
    readonly prefixLists?: readonly string[];
}

function sgRuleMatches(rule: SgRule, peer: SgEnd, port: number, protocol: Protocol): boolean {
    const p = String(rule.protocol).toLowerCase();
    if (!isAll(p) && (!protocolNames(protocol).includes(p) || port < rule.fromPort || port > rule.toPort)) return false;
    return (
        rule.cidrs.some((c) => ipInCidr(peer.ip, c)) ||
        rule.groups.some((g) => peer.sgs?.keys.includes(g) === true) ||
        rule.prefixLists.some((pl) => peer.prefixLists?.includes(pl) === true)
    );
}

/**
 * Security groups: allow rules only, any rule of any attached group admits, nothing else does (no rule = no
 * traffic; the provider removes AWS's default allow-all egress of a group it creates). Stateful: a reply is
 * always let back, so the flow needs the source's egress and the destination's ingress, nothing more. A rule
 * that references a group admits the ENIs that carry that group.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-group-rules.html
 * @see https://www.pulumi.com/registry/packages/aws/api-docs/ec2/securitygroup/ ("removes the default ALLOW ALL egress rule")
 */
export function sgConnection(source: SgEnd, destination: SgEnd, port: number, protocol: Protocol = "tcp"): LayerDecision {
    const legs: Array<[SgEnd, SgEnd, boolean, string]> = [
        [source, destination, true, "egress of the source"],
        [destination, source, false, "ingress of the destination"],
    ];
    const decided: string[] = [];
    let unknown: string | undefined;
    for (const [end, peer, egress, what] of legs) {
        if (!end.sgs) continue;
        if (!end.sgs.rules) {
            unknown = `${what}: rules unknown`;
            continue;
        }
        const match = end.sgs.rules.find((r) => r.egress === egress && sgRuleMatches(r, peer, port, protocol));
        if (!match)
            return {
                verdict: "deny",
                rule: `${what} (${end.sgs.keys.map((k) => k.split("::").pop()).join(", ")}): no rule admits ${peer.ip}:${port}/${protocol}`,
            };
        decided.push(`${what}: ${match.name}`);
    }
    return unknown ? { verdict: "unknown", rule: unknown } : { verdict: "allow", rule: decided.join("; ") || "no security group on the path" };
}

/** One route of a subnet's route table, its target classified. */
export interface RouteEntry {
    readonly destination: string;
    readonly target: "local" | "igw" | "nat" | "vgw" | "vpce" | "other";
    /** The NAT gateway's AZ (a NAT target). */
    readonly az?: string;
    readonly name: string;
}

/**
 * Route tables: the most specific route whose destination contains the address decides (longest prefix match);
 * the VPC CIDR's `local` route is always there. `need` says which target the flow must leave through (a NAT of
 * the source's own AZ for internet egress from the private tier: one in another AZ works, until that AZ fails, and is noted).
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html#route-tables-priority
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html (a NAT gateway per AZ)
 */
export function routeDecide(routes: readonly RouteEntry[] | undefined, address: string, need: RouteEntry["target"], az?: string): LayerDecision {
    if (!routes) return { verdict: "unknown", rule: "route table unknown" };
    const matching = routes.filter((r) => ipInCidr(address, r.destination));
    const prefix = (r: RouteEntry) => Number(r.destination.split("/")[1]);
    const best = matching.sort((a, b) => prefix(b) - prefix(a))[0];
    if (!best) return { verdict: "deny", rule: `no route to ${address}` };
    const rule = `${best.name} (${best.destination} -> ${best.target}${best.az ? ` in ${best.az}` : ""})`;
    if (best.target !== need) return { verdict: "deny", rule: `${rule}: the flow needs ${need}` };
    // AWS forwards to a NAT of another AZ (at a cross-AZ charge, and only while that AZ lives): admitted here, noted, and left to
    // nat-gateway-per-az, which reports it unless the stack declares network.singleNatGateway.
    if (need === "nat" && az !== undefined && best.az !== undefined && best.az !== az)
        return { verdict: "allow", rule: `${rule}: cross-AZ, not the NAT of ${az}` };
    return { verdict: "allow", rule };
}

/** All layers together: blocked if one denies, unknown if none denies and one is unknown, else admitted. */
export function combine(layers: ReadonlyArray<{ readonly verdict: Verdict }>): Verdict {
    if (layers.some((l) => l.verdict === "deny")) return "deny";
    return layers.some((l) => l.verdict === "unknown") ? "unknown" : "allow";
}
