/** What a `NetworkTier` takes, documented and checked before anything is registered. */
import * as pulumi from "@pulumi/pulumi";
import { contains, isIpv4Address, isPublicIpv4, overlaps, parseCidr } from "../../model/cidr";
import { ArgErrors } from "../argErrors";

/** The VPN gateway's own (Amazon-side) BGP ASN; the on-prem router must use another. */
export const AMAZON_SIDE_ASN = 64512;

/**
 * On-prem names resolved from the VPC: a Route 53 Resolver outbound endpoint in the private subnets forwards each
 * domain to the data centre's DNS servers over the VPN (components/network/onPremDns.ts).
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries.html
 */
export interface OnPremDnsArgs {
    /** The on-prem domains to forward (one forwarding rule each), lower-case DNS names, each once; at least one. Required. */
    readonly domains: string[];
    /** IPv4 addresses of the on-prem DNS servers answering for them, each inside `cidrs` (the only prefixes routed over the VPN); at least one, two for redundancy. Required. */
    readonly serverAddresses: string[];
}

/** Hybrid connectivity to the on-prem data centre (seed 1.1, 9: Direct Connect / site-to-site VPN). */
export interface OnPremLinkArgs {
    /** On-prem networks routed from the private tier over the VPN: at least one IPv4 CIDR, none overlapping the VPC. Required. */
    readonly cidrs: string[];
    /**
     * Public IPv4 address of the on-prem VPN device (the customer gateway's outside interface). Required.
     * @see https://docs.aws.amazon.com/vpn/latest/s2svpn/your-cgw.html
     */
    readonly vpnPeerAddress: string;
    /** Private BGP ASN of the on-prem router (64512-65534 or 4200000000-4294967294), not the VPN gateway's own 64512. Required. */
    readonly bgpAsn: number;
    /** Static routes instead of BGP. @default false (BGP: the tunnels fail over without manual routes) */
    readonly staticRoutesOnly?: boolean;
    /**
     * Existing Direct Connect gateway to associate with the VPN gateway.
     * @default none (VPN only)
     * @see https://docs.aws.amazon.com/directconnect/latest/UserGuide/direct-connect-gateways.html
     */
    readonly directConnectGatewayId?: string;
    /** Forward the on-prem domains to the on-prem DNS servers. @default none (the VPC resolves AWS and public names only) */
    readonly dns?: OnPremDnsArgs;
}

export interface NetworkTierArgs {
    /**
     * The VPC CIDR, an IPv4 block from /16 to /20 (room for three tiers in every AZ). Required.
     * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
     */
    readonly cidr: string;
    /** AWS region, for interface endpoint service names and the CloudWatch Logs key grant. Required. */
    readonly region: string;
    /** The stack's account (stacks/platform.ts looks it up once): the flow-log role's confused-deputy condition and the key policy. Required. */
    readonly accountId: pulumi.Input<string>;
    /** Availability zones to spread the three tiers across, 2 to 6; the region must offer that many. @default 3 */
    readonly azCount?: number;
    /**
     * Opt-out: one NAT gateway for all AZs (an AZ failure then cuts egress for the others).
     * @default false (one NAT gateway per AZ)
     * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
     */
    readonly singleNatGateway?: boolean;
    /**
     * Flow log (and VPN tunnel log) retention in days: a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653).
     * @default 365
     * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
     */
    readonly flowLogRetentionDays?: number;
    /** Site-to-site VPN (and optional Direct Connect) to on-prem. @default none */
    readonly onPrem?: OnPremLinkArgs;
    /** Tags for the VPC and subnets. @default none (provider default tags still apply) */
    readonly tags?: Record<string, string>;
}

/** What AWS would refuse, or what would make no network: checked before anything registers. */
export function validateNetworkArgs(e: ArgErrors, args: NetworkTierArgs): void {
    const vpc = parseCidr(args.cidr);
    e.check(vpc !== undefined && vpc.prefix >= 16 && vpc.prefix <= 20, "cidr", `${args.cidr} is not an IPv4 CIDR from /16 to /20 with host bits zero`);
    e.integer(args.azCount, 2, 6, "azCount");
    e.logRetention(args.flowLogRetentionDays, "flowLogRetentionDays");
    const onPrem = args.onPrem;
    if (!onPrem) return;
    e.atLeast(onPrem.cidrs, 1, "onPrem.cidrs", "on-prem CIDRs");
    onPrem.cidrs.forEach((c, i) => {
        const onPremCidr = parseCidr(c);
        e.check(onPremCidr !== undefined, `onPrem.cidrs[${i}]`, `${c} is not an IPv4 CIDR with host bits zero`);
        e.check(
            !(onPremCidr && vpc && overlaps(onPremCidr, vpc)),
            `onPrem.cidrs[${i}]`,
            `${c} overlaps the VPC ${args.cidr}: the route to on-prem would shadow the VPC`,
        );
    });
    e.check(isPublicIpv4(onPrem.vpnPeerAddress), "onPrem.vpnPeerAddress", `${onPrem.vpnPeerAddress} is not a public IPv4 address`);
    const asn = onPrem.bgpAsn;
    e.check(
        Number.isInteger(asn) && ((asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294)),
        "onPrem.bgpAsn",
        `${asn} is not a private BGP ASN (64512-65534 or 4200000000-4294967294)`,
    );
    if (onPrem.dns) validateOnPremDns(e, onPrem.dns, onPrem.cidrs);
    e.check(asn !== AMAZON_SIDE_ASN, "onPrem.bgpAsn", `${asn} is the VPN gateway's own ASN; eBGP needs the on-prem router on another`);
}

/** What Route 53 Resolver would refuse, or a forwarding rule that could never be answered (a server off the VPN's routes). */
function validateOnPremDns(e: ArgErrors, dns: OnPremDnsArgs, onPremCidrs: string[]): void {
    e.atLeast(dns.domains, 1, "onPrem.dns.domains", "on-prem DNS domains");
    e.atLeast(dns.serverAddresses, 1, "onPrem.dns.serverAddresses", "on-prem DNS server addresses");
    dns.domains.forEach((d, i) =>
        e.check(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d), `onPrem.dns.domains[${i}]`, `${d} is not a lower-case DNS name`),
    );
    const routed = onPremCidrs.map(parseCidr).filter((c) => c !== undefined);
    dns.serverAddresses.forEach((ip, i) => {
        const host = isIpv4Address(ip) ? parseCidr(`${ip}/32`) : undefined;
        e.check(host !== undefined, `onPrem.dns.serverAddresses[${i}]`, `${ip} is not an IPv4 address`);
        e.check(
            !host || routed.some((c) => contains(c, host)),
            `onPrem.dns.serverAddresses[${i}]`,
            `${ip} is outside onPrem.cidrs: only those are routed over the VPN, so the endpoint could never reach it`,
        );
    });
}
