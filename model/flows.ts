/**
 * The declared flows into the isolated (data) tier: which service listens there, on which port, for
 * which client tier. The isolated tier's NACL is derived from this list (model/network.ts naclRules),
 * so a service placed in that tier without a flow here gets no rule, and the test that walks every
 * data-tier resource of the plans through the NACLs fails. Pure.
 *
 * NACLs are stateless: each request needs its port allowed in on the server side and out on the
 * client side, and its reply (the client's ephemeral port) allowed back both ways.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
 */
import { Tier } from "./cidr";
import { HTTPS_PORT, POSTGRES_PORT, REDIS_PORT } from "./ports";

/** One service of the isolated tier and the tiers that open connections to it. */
export interface DataTierFlow {
    /** What listens (names the rules' role, e.g. "postgres"). */
    readonly service: string;
    /** The TCP port it listens on. */
    readonly port: number;
    /** Tiers whose subnets connect to it. */
    readonly clients: readonly Tier[];
    /** The component that places it in the isolated tier. */
    readonly placedBy: string;
}

/**
 * Every service of the isolated tier. Append, never reorder: a flow's NACL rule numbers come from its
 * position (model/network.ts), so reordering would renumber, and replace, the rules of the others.
 */
export const DATA_TIER_FLOWS: readonly DataTierFlow[] = [
    { service: "postgres", port: POSTGRES_PORT, clients: ["private"], placedBy: "components/data (RDS PostgreSQL), components/dr (its replica)" },
    { service: "redis", port: REDIS_PORT, clients: ["private"], placedBy: "components/data (ElastiCache), components/dr (the warm cache)" },
    // Log shippers and queries over HTTPS (components/observability/logSearch.ts: the domain's ENIs sit in the isolated subnets).
    { service: "opensearch", port: HTTPS_PORT, clients: ["private"], placedBy: "components/observability/logSearch.ts" },
];

/**
 * AWS's default quota of rules per NACL and direction (adjustable to 40, at a cost in latency).
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls
 */
export const NACL_RULES_PER_DIRECTION = 20;

/** What a NACL rule says, as the evaluator below reads it. */
export interface NaclEntry {
    readonly ruleNumber: number;
    readonly egress: boolean;
    readonly protocol: string;
    readonly cidrBlock: string;
    readonly fromPort: number;
    readonly toPort: number;
    /** allow unless "deny". */
    readonly ruleAction?: string;
}

const toInt = (ip: string) => ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
const inCidr = (ip: string, cidr: string) => {
    const [base, prefix] = cidr.split("/");
    const size = 2 ** (32 - Number(prefix));
    return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
};

/**
 * Whether a NACL lets one TCP packet through in one direction: rules in ascending number, the first
 * that matches decides, and the implicit final rule denies (as AWS evaluates them). `peer` is the
 * remote address (the source inbound, the destination outbound), `port` the destination port,
 * `protocol` TCP unless given.
 */
export function naclAllows(
    entries: readonly NaclEntry[],
    packet: { readonly egress: boolean; readonly peer: string; readonly port: number; readonly protocol?: "tcp" | "udp" },
): boolean {
    const ordered = entries.filter((e) => e.egress === packet.egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
    // A packet is TCP unless it says UDP (DNS to on-prem: model/network.ts); "6" and "17" are the IANA numbers AWS also accepts.
    const names = packet.protocol === "udp" ? ["udp", "17"] : ["tcp", "6"];
    for (const e of ordered) {
        const protocolMatches = e.protocol === "-1" || names.includes(e.protocol);
        const portMatches = e.protocol === "-1" || (packet.port >= e.fromPort && packet.port <= e.toPort);
        if (protocolMatches && portMatches && inCidr(packet.peer, e.cidrBlock)) return (e.ruleAction ?? "allow") === "allow";
    }
    return false;
}
