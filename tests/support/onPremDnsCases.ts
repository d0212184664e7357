/**
 * The cases of on-prem-names-resolve (policy/availability.ts; run in tests/policy/availability.test.ts): with an
 * on-prem link, the MinIO provider's host is forwarded by a Resolver rule associated with the VPC, through an
 * outbound endpoint that reaches the on-prem DNS servers (route, NACL, security group). Compliant and violating
 * fixtures, each evaluated in both modes (see policyCases.ts).
 */
import { planSubnets } from "../../model/cidr";
import { naclRules } from "../../model/network";
import { T } from "../../policy/lib";
import { Case } from "./policyCases";
import { Declared, Fixture, network } from "./policyFixtures";

const DNS = {
    minio: "pulumi:providers:minio",
    endpoint: "aws:route53/resolverEndpoint:ResolverEndpoint",
    rule: "aws:route53/resolverRule:ResolverRule",
    association: "aws:route53/resolverRuleAssociation:ResolverRuleAssociation",
    vgw: "aws:ec2/vpnGateway:VpnGateway",
    sgEgress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
};
const ON_PREM_CIDRS = ["172.16.0.0/20", "172.16.16.0/20"];
const SERVERS = ["172.16.0.10", "172.16.0.11"];

interface Faults {
    /** The rule's domain (default dc1.citizen-portal.internal). */
    domain?: string;
    /** A SYSTEM rule for a more specific domain than the forwarding one. */
    systemRuleFor?: string;
    noRule?: boolean;
    noAssociation?: boolean;
    /** Endpoint addresses (default one per private subnet, three). */
    addresses?: number;
    /** Egress rule protocols of the endpoint's security group (default udp and tcp). */
    sgProtocols?: string[];
    /** No route to the on-prem CIDRs through the VPN gateway. */
    noVpnRoute?: boolean;
    /** The private NACL without the DNS servers' UDP rules (as before issue #11). */
    naclWithoutDns?: boolean;
    /** No MinIO provider, or one on an address rather than a name. */
    minioServer?: string | null;
    noVpn?: boolean;
}

/** The prod shape: a VPN, the MinIO provider on an on-prem name, and the on-prem DNS step of NetworkTier. */
function onPremDns(f: Fixture, faults: Faults = {}): void {
    const net = network(f);
    const vgw = f.add(DNS.vgw, "vgw", { vpcId: f.ref(net.vpc), amazonSideAsn: "64512" });
    if (!faults.noVpn) f.add(T.vpn, "on-prem", { type: "ipsec.1", vpnGatewayId: f.ref(vgw), customerGatewayId: "cgw-0123456789abcdef0" });
    if (faults.minioServer !== null)
        f.add(DNS.minio, "minio", { minioServer: faults.minioServer ?? "minio.dc1.citizen-portal.internal:9000", minioSsl: "true" });
    net.tables.private.forEach((rt, i) =>
        ON_PREM_CIDRS.forEach((cidr, j) => {
            if (!faults.noVpnRoute) f.add(T.route, `private-${i}-on-prem-${j}`, { routeTableId: f.ref(rt), destinationCidrBlock: cidr, gatewayId: f.ref(vgw) });
        }),
    );
    const rules = naclRules({
        plan: planSubnets("10.10.0.0/16", 3),
        vpcCidr: "10.10.0.0/16",
        onPremCidrs: ON_PREM_CIDRS,
        onPremDnsServers: faults.naclWithoutDns ? [] : SERVERS,
    }).private;
    const nacl = f.add(T.nacl, "private", { vpcId: f.ref(net.vpc), subnetIds: net.subnets.private.map((s) => f.ref(s)) });
    for (const r of rules) f.add(T.naclRule, `private-${r.egress ? "out" : "in"}-${r.ruleNumber}`, { networkAclId: f.ref(nacl), ruleAction: "allow", ...r });
    const sg = f.add(T.sg, "on-prem-dns", { vpcId: f.ref(net.vpc), description: "Resolver outbound endpoint" });
    SERVERS.forEach((ip, i) =>
        (faults.sgProtocols ?? ["udp", "tcp"]).forEach((ipProtocol) =>
            f.add(DNS.sgEgress, `on-prem-dns-${ipProtocol}-${i}`, { securityGroupId: f.ref(sg), ipProtocol, fromPort: 53, toPort: 53, cidrIpv4: `${ip}/32` }),
        ),
    );
    const endpoint = f.add(DNS.endpoint, "on-prem-dns", {
        direction: "OUTBOUND",
        securityGroupIds: [f.ref(sg)],
        ipAddresses: net.subnets.private.slice(0, faults.addresses ?? 3).map((s) => ({ subnetId: f.ref(s) })),
    });
    if (faults.noRule) return;
    const forward = (name: string, domainName: string): Declared =>
        f.add(DNS.rule, name, {
            ruleType: "FORWARD",
            domainName,
            resolverEndpointId: f.ref(endpoint),
            targetIps: SERVERS.map((ip) => ({ ip, port: 53 })),
        });
    const rule = forward("on-prem-dns-0", faults.domain ?? "dc1.citizen-portal.internal");
    if (!faults.noAssociation) f.add(DNS.association, "on-prem-dns-0", { resolverRuleId: f.ref(rule), vpcId: f.ref(net.vpc) });
    if (faults.systemRuleFor) {
        const system = f.add(DNS.rule, "system", { ruleType: "SYSTEM", domainName: faults.systemRuleFor });
        f.add(DNS.association, "system", { resolverRuleId: f.ref(system), vpcId: f.ref(net.vpc) });
    }
}

export const ON_PREM_DNS_CASES: Case[] = [
    {
        policy: "on-prem-names-resolve",
        compliant: (f) => onPremDns(f),
        violations: {
            "no forwarding rule at all (the VPC resolves AWS and public names only)": (f) => onPremDns(f, { noRule: true }),
            "a rule for another domain than the MinIO host's": (f) => onPremDns(f, { domain: "dc2.citizen-portal.internal" }),
            "a rule for a longer name that only ends like the host's domain": (f) => onPremDns(f, { domain: "o.dc1.citizen-portal.internal" }),
            "a more specific SYSTEM rule takes the host back to the VPC resolver": (f) => onPremDns(f, { systemRuleFor: "minio.dc1.citizen-portal.internal" }),
            "the rule is associated with no VPC": (f) => onPremDns(f, { noAssociation: true }),
            "an endpoint with one address (Route 53 requires two)": (f) => onPremDns(f, { addresses: 1 }),
            "the endpoint's security group lets only TCP out": (f) => onPremDns(f, { sgProtocols: ["tcp"] }),
            "no route to the on-prem DNS servers through the VPN gateway": (f) => onPremDns(f, { noVpnRoute: true }),
            "the private NACL drops UDP 53 and its replies": (f) => onPremDns(f, { naclWithoutDns: true }),
        },
    },
    {
        // Out of scope, hence compliant: no on-prem link (nothing on-prem is reachable anyway), then MinIO on an address.
        policy: "on-prem-names-resolve",
        compliant: (f) => onPremDns(f, { noRule: true, noVpn: true }),
        violations: {},
    },
    {
        policy: "on-prem-names-resolve",
        compliant: (f) => onPremDns(f, { noRule: true, minioServer: "172.16.0.20:9000" }),
        violations: {},
    },
];
