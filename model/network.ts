/**
 * Network ACL rules per tier, derived from the subnet plan. Pure, so the rules can be
 * checked without Pulumi: NACLs are stateless, so every allowed request needs its
 * return path (ephemeral ports) allowed in the other direction.
 */
import { PlannedSubnet, Tier, tierCidrs } from "./cidr";
import { DATA_TIER_FLOWS } from "./flows";
import { DNS_PORT, POSTGRES_PORT, REDIS_PORT } from "./ports";

export const ANYWHERE = "0.0.0.0/0";
export const EPHEMERAL: [number, number] = [1024, 65535];

/** Ports the isolated tier serves to the private tier: PostgreSQL and Redis. */
export const DATA_PORTS = { postgres: POSTGRES_PORT, redis: REDIS_PORT } as const;

export interface NaclRule {
    readonly ruleNumber: number;
    readonly egress: boolean;
    /** "tcp", "udp" or "-1" (all protocols). */
    readonly protocol: "tcp" | "udp" | "-1";
    readonly cidrBlock: string;
    readonly fromPort: number;
    readonly toPort: number;
}

export interface NaclInputs {
    readonly plan: readonly PlannedSubnet[];
    readonly vpcCidr: string;
    readonly onPremCidrs: readonly string[];
    /** The on-prem DNS servers the Resolver outbound endpoint (in the private tier) forwards to; none without on-prem DNS. */
    readonly onPremDnsServers?: readonly string[];
}

/** Numbers rules 100, 110, 120... in declaration order, per direction. */
function numbered(rules: Array<Omit<NaclRule, "ruleNumber">>): NaclRule[] {
    const next = { ingress: 100, egress: 100 };
    return rules.map((r) => {
        const dir = r.egress ? "egress" : "ingress";
        const ruleNumber = next[dir];
        next[dir] += 10;
        return { ...r, ruleNumber };
    });
}

const tcp = (egress: boolean, cidrBlock: string, [fromPort, toPort]: [number, number]) => ({ egress, protocol: "tcp" as const, cidrBlock, fromPort, toPort });
const udp = (egress: boolean, cidrBlock: string, [fromPort, toPort]: [number, number]) => ({ egress, protocol: "udp" as const, cidrBlock, fromPort, toPort });
const all = (egress: boolean, cidrBlock: string) => ({ egress, protocol: "-1" as const, cidrBlock, fromPort: 0, toPort: 0 });

export function naclRules({ plan, vpcCidr, onPremCidrs, onPremDnsServers = [] }: NaclInputs): Record<Tier, NaclRule[]> {
    const isolatedCidrs = tierCidrs(plan, "isolated");
    return {
        // ALBs face citizens on 443 (80 only to redirect); NAT gateways need the return path of egress.
        public: numbered([
            tcp(false, ANYWHERE, [443, 443]),
            tcp(false, ANYWHERE, [80, 80]),
            tcp(false, ANYWHERE, EPHEMERAL),
            all(false, vpcCidr),
            all(true, vpcCidr),
            tcp(true, ANYWHERE, [443, 443]),
            tcp(true, ANYWHERE, EPHEMERAL),
        ]),
        // Nodes and pods: anything inside the VPC, HTTPS out through NAT, and the on-prem estate over the VPN.
        private: numbered([
            all(false, vpcCidr),
            tcp(false, ANYWHERE, EPHEMERAL),
            ...onPremCidrs.map((c) => tcp(false, c, [443, 443])),
            all(true, vpcCidr),
            tcp(true, ANYWHERE, [443, 443]),
            ...onPremCidrs.map((c) => tcp(true, c, [1, 65535])),
            // Last, so that they number after the rules above and adding on-prem DNS renumbers (replaces) none of them. The
            // Resolver outbound endpoint's queries: UDP 53 out to each on-prem DNS server and the replies back to its
            // ephemeral ports (TCP 53 and its replies pass the rules above: TCP to on-prem, TCP ephemeral in).
            // @see https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
            ...onPremDnsServers.map((ip) => udp(false, `${ip}/32`, EPHEMERAL)),
            ...onPremDnsServers.map((ip) => udp(true, `${ip}/32`, [DNS_PORT, DNS_PORT])),
        ]),
        isolated: isolatedTierRules(plan, isolatedCidrs),
    };
}

/**
 * Data: each declared flow (model/flows.ts) from its client tiers only, on its port only, and the replies
 * back; intra-tier for cache/database replication. Numbered by position so that appending a flow adds
 * rules without renumbering (and so replacing) the others': intra-tier 100, 110, ...; flow k (from 0)
 * at (k + 1) * 1000 + 10 * client subnet; replies to each client subnet at 1000, 1010, ...
 */
function isolatedTierRules(plan: readonly PlannedSubnet[], isolatedCidrs: string[]): NaclRule[] {
    const intra = (egress: boolean) => isolatedCidrs.map((c, j) => ({ ...tcp(egress, c, [1, 65535]), ruleNumber: 100 + 10 * j }));
    const ingress = DATA_TIER_FLOWS.flatMap((flow, k) =>
        flow.clients
            .flatMap((tier) => tierCidrs(plan, tier))
            .map((c, j) => ({ ...tcp(false, c, [flow.port, flow.port]), ruleNumber: (k + 1) * 1000 + 10 * j })),
    );
    const clients = [...new Set(DATA_TIER_FLOWS.flatMap((flow) => flow.clients.flatMap((tier) => tierCidrs(plan, tier))))];
    const replies = clients.map((c, j) => ({ ...tcp(true, c, EPHEMERAL), ruleNumber: 1000 + 10 * j }));
    return [...intra(false), ...ingress, ...intra(true), ...replies];
}

/**
 * Interface endpoints the private tier needs so that nodes pull images and reach AWS APIs without NAT. Appended, never
 * reordered (each has a fixed address by index). elasticache: the cache password rotation function calls ModifyUser
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/elasticache-privatelink.html).
 */
export const INTERFACE_ENDPOINTS = [
    "ecr.api",
    "ecr.dkr",
    "sts",
    "secretsmanager",
    "kms",
    "logs",
    "elasticache",
    // issue #13: the collectors' remote write (AMP), traces (X-Ray) and the on-prem collector's Roles Anywhere sessions, over
    // the VPN from on-prem (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-and-interface-VPC.html,
    // https://docs.aws.amazon.com/xray/latest/devguide/xray-security-vpc-endpoint.html,
    // https://docs.aws.amazon.com/rolesanywhere/latest/userguide/vpc-interface-endpoints.html).
    "aps-workspaces",
    "xray",
    "rolesanywhere",
] as const;

/**
 * Whether a DNS query for `host` matches a Resolver forwarding rule for `domain` (the domain itself or a name under
 * it; case and a trailing dot do not matter, as in DNS).
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-DSN-queries-to-vpc.html
 */
export function nameIsUnder(host: string, domain: string): boolean {
    const [h, d] = [host, domain].map((n) => n.trim().toLowerCase().replace(/\.$/, ""));
    return d.length > 0 && (h === d || h.endsWith(`.${d}`));
}

/** "a", "b", ... for AZ slot 0, 1, ... (used in resource names). */
export const azLetter = (az: number): string => String.fromCharCode("a".charCodeAt(0) + az);
