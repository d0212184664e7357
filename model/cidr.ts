/**
 * IPv4 CIDR arithmetic and the VPC subnet plan. Pure: no Pulumi, no I/O.
 *
 * Parsing is delegated to ipaddr.js (strict four-part decimal only, so "10.1/16" or
 * "010.0.0.0/8" are rejected); the plan itself is plain 32-bit arithmetic.
 */
import * as ipaddr from "ipaddr.js";

export interface Cidr {
    /** Network address as an unsigned 32-bit integer. */
    readonly base: number;
    /** Prefix length, 0..32. */
    readonly prefix: number;
}

export type Tier = "public" | "private" | "isolated";
export const TIERS: readonly Tier[] = ["public", "private", "isolated"];

/** One subnet of the plan: which AZ slot, which tier, which block. */
export interface PlannedSubnet {
    readonly az: number;
    readonly tier: Tier;
    readonly cidr: string;
}

/** Smallest subnet AWS accepts. */
export const AWS_MIN_SUBNET_PREFIX = 28;

const size = (prefix: number): number => 2 ** (32 - prefix);

/** Parses "a.b.c.d/n" strictly; returns undefined for anything else, including set host bits. */
export function parseCidr(text: string): Cidr | undefined {
    const match = /^([0-9.]+)\/(\d{1,2})$/.exec(text.trim());
    if (!match || !ipaddr.IPv4.isValidFourPartDecimal(match[1])) return undefined;
    const prefix = Number(match[2]);
    if (prefix > 32) return undefined;
    const base = ipaddr.IPv4.parse(match[1])
        .toByteArray()
        .reduce((acc, octet) => acc * 256 + octet, 0);
    if (base % size(prefix) !== 0) return undefined;
    return { base, prefix };
}

/** Like parseCidr, but throws for invalid input (for values already validated by the config schema). */
export function mustParseCidr(text: string): Cidr {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error(`not an IPv4 CIDR with host bits zero: ${text}`);
    return cidr;
}

export function isIpv4Address(text: string): boolean {
    return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/**
 * Ranges that can never be a VPN peer reached over the internet. The RFC 5737 documentation
 * nets ("reserved" to ipaddr.js) are allowed so that examples and tests can use them.
 */
const NON_INTERNET_RANGES = new Set([
    "unspecified",
    "broadcast",
    "multicast",
    "linkLocal",
    "loopback",
    "carrierGradeNat",
    "private",
    "benchmarking",
    "as112",
    "amt",
]);

/** True for an IPv4 address that could be an internet-facing device (not private, loopback, link-local, CGNAT...). */
export function isPublicIpv4(text: string): boolean {
    return isIpv4Address(text) && !NON_INTERNET_RANGES.has(ipaddr.IPv4.parse(text).range());
}

export function formatCidr(cidr: Cidr): string {
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
    return `${octets.join(".")}/${cidr.prefix}`;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
    return a.base < b.base + size(b.prefix) && b.base < a.base + size(a.prefix);
}

export function contains(outer: Cidr, inner: Cidr): boolean {
    return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner.prefix) <= outer.base + size(outer.prefix);
}

/** The index-th block of the given prefix inside `within`, starting `offset` addresses in. */
function block(within: Cidr, offset: number, prefix: number, index: number): Cidr {
    return { base: within.base + offset + index * size(prefix), prefix };
}

/**
 * Splits a VPC into one subnet per tier per AZ.
 *
 * Layout of the VPC (fractions of its address space), each region divided into
 * `slots` = next power of two >= azCount equal blocks so an AZ can be added later
 * without renumbering:
 *   - first half:      private  (EKS nodes and, with the VPC CNI, every pod: the tier that needs addresses)
 *   - next eighth:     public   (ALBs and NAT gateways only)
 *   - next eighth:     isolated (RDS, ElastiCache)
 *   - last quarter:    reserved for a future tier (e.g. a second pod CIDR)
 * For 10.10.0.0/16 and 3 AZs: private /19s, public /21s, isolated /21s.
 */
export function planSubnets(vpcCidr: string, azCount: number): PlannedSubnet[] {
    const vpc = mustParseCidr(vpcCidr);
    if (!Number.isInteger(azCount) || azCount < 1 || azCount > 16) throw new Error(`azCount must be an integer 1..16, got ${azCount}`);
    const slotBits = Math.ceil(Math.log2(azCount));
    const privatePrefix = vpc.prefix + 1 + slotBits;
    const edgePrefix = vpc.prefix + 3 + slotBits;
    if (edgePrefix > AWS_MIN_SUBNET_PREFIX) {
        throw new Error(`VPC ${vpcCidr} is too small for ${azCount} AZs: public/isolated subnets would be /${edgePrefix} (AWS minimum /28)`);
    }
    const vpcSize = size(vpc.prefix);
    const offsets: Record<Tier, [number, number]> = {
        private: [0, privatePrefix],
        public: [vpcSize / 2, edgePrefix],
        isolated: [(vpcSize * 5) / 8, edgePrefix],
    };
    const plan: PlannedSubnet[] = [];
    for (let az = 0; az < azCount; az++) {
        for (const tier of TIERS) {
            const [offset, prefix] = offsets[tier];
            plan.push({ az, tier, cidr: formatCidr(block(vpc, offset, prefix, az)) });
        }
    }
    return plan;
}

/** The CIDRs of one tier, in AZ order. */
export function tierCidrs(plan: readonly PlannedSubnet[], tier: Tier): string[] {
    return plan
        .filter((s) => s.tier === tier)
        .sort((a, b) => a.az - b.az)
        .map((s) => s.cidr);
}

/** Pairs of labelled CIDRs that overlap; empty when all are disjoint. */
export function findOverlaps(labelled: ReadonlyArray<{ label: string; cidr: string }>): Array<[string, string]> {
    const parsed = labelled.map((l) => ({ label: l.label, cidr: mustParseCidr(l.cidr) }));
    const clashes: Array<[string, string]> = [];
    for (let i = 0; i < parsed.length; i++) {
        for (let j = i + 1; j < parsed.length; j++) {
            if (overlaps(parsed[i].cidr, parsed[j].cidr)) clashes.push([parsed[i].label, parsed[j].label]);
        }
    }
    return clashes;
}
