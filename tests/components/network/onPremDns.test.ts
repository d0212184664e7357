/**
 * The on-prem DNS step of NetworkTier (components/network/onPremDns.ts): an outbound Resolver endpoint in every
 * private subnet, DNS egress to the on-prem servers only, a forwarding rule per domain associated with the VPC, the
 * private NACL's DNS rules, and the arguments Route 53 Resolver (or the VPN's routes) would make useless.
 */
import * as assert from "node:assert/strict";
import { NetworkTier, NetworkTierArgs } from "../../../components/network/networkTier";
import { naclAllows, NaclEntry } from "../../../model/flows";
import { Plan, PlannedResource } from "../../../tools/offline";
import { configEditing, configErrorOf, networkTierAlone, ofType, one, planOf } from "../../support";
import { PASSED_ACCOUNT, assertRejectsArgs, inRegion } from "../../support/args";

const ENDPOINT = "aws:route53/resolverEndpoint:ResolverEndpoint";
const RULE = "aws:route53/resolverRule:ResolverRule";
const ASSOCIATION = "aws:route53/resolverRuleAssociation:ResolverRuleAssociation";
const SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const NACL_RULE = "aws:ec2/networkAclRule:NetworkAclRule";
const SERVERS = ["172.16.0.10", "172.16.0.11"];

const urnOf = (plan: Plan, type: string, name: string) => one(plan, type, name).urn;
const privateNacl = (plan: Plan): NaclEntry[] =>
    ofType(plan, NACL_RULE)
        .filter((r) => r.name.startsWith("network-private-"))
        .map((r) => r.props as unknown as NaclEntry);

for (const mode of ["update", "preview"] as const) {
    describe(`NetworkTier on-prem DNS (prod, ${mode} mode)`, () => {
        let plan: Plan;
        before(async () => {
            plan = await planOf("prod", mode);
        });

        it("places an outbound endpoint address in each private subnet (Route 53 requires two or more), plain DNS", () => {
            const endpoint = one(plan, ENDPOINT, "network-on-prem-dns");
            assert.equal(endpoint.props.direction, "OUTBOUND");
            assert.deepEqual(endpoint.props.protocols, ["Do53"]);
            const privateSubnets = ["a", "b", "c"].map((z) => urnOf(plan, "aws:ec2/subnet:Subnet", `network-private-${z}`));
            assert.equal((endpoint.props.ipAddresses as unknown[]).length, 3);
            assert.deepEqual([...endpoint.propertyDependencies.ipAddresses].sort(), privateSubnets.sort());
            assert.deepEqual(endpoint.propertyDependencies.securityGroupIds, [urnOf(plan, "aws:ec2/securityGroup:SecurityGroup", "network-on-prem-dns")]);
        });

        it("lets its security group send DNS over UDP and TCP to the on-prem DNS servers only, and admits nothing in", () => {
            const sg = urnOf(plan, "aws:ec2/securityGroup:SecurityGroup", "network-on-prem-dns");
            const egress = ofType(plan, SG_EGRESS).filter((r) => r.propertyDependencies.securityGroupId?.includes(sg));
            assert.deepEqual(
                egress.map((r) => `${String(r.props.ipProtocol)} ${String(r.props.fromPort)}-${String(r.props.toPort)} ${String(r.props.cidrIpv4)}`).sort(),
                SERVERS.flatMap((ip) => [`tcp 53-53 ${ip}/32`, `udp 53-53 ${ip}/32`]).sort(),
            );
            const ingress = ofType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
            assert.ok(ingress.every((r) => !r.propertyDependencies.securityGroupId?.includes(sg)));
        });

        it("forwards the on-prem domain to the on-prem DNS servers through the endpoint, and associates the rule with the VPC", () => {
            const rule = one(plan, RULE, "network-on-prem-dns-0");
            assert.equal(rule.props.ruleType, "FORWARD");
            assert.equal(rule.props.domainName, "dc1.citizen-portal.internal");
            assert.deepEqual(
                rule.props.targetIps,
                SERVERS.map((ip) => ({ ip, port: 53, protocol: "Do53" })),
            );
            assert.deepEqual(rule.propertyDependencies.resolverEndpointId, [urnOf(plan, ENDPOINT, "network-on-prem-dns")]);
            const association: PlannedResource = one(plan, ASSOCIATION, "network-on-prem-dns-0");
            assert.deepEqual(association.propertyDependencies.resolverRuleId, [rule.urn]);
            assert.deepEqual(association.propertyDependencies.vpcId, [urnOf(plan, "aws:ec2/vpc:Vpc", "network")]);
        });

        it("the private NACL passes the endpoint's queries both ways over UDP and TCP (stateless: the replies to its ephemeral ports too)", () => {
            const rules = privateNacl(plan);
            for (const ip of SERVERS)
                for (const protocol of ["udp", "tcp"] as const) {
                    assert.ok(naclAllows(rules, { egress: true, peer: ip, port: 53, protocol }), `${protocol} 53 out to ${ip}`);
                    for (const port of [1024, 32768, 65535])
                        assert.ok(naclAllows(rules, { egress: false, peer: ip, port, protocol }), `${protocol} reply from ${ip}`);
                }
            // Scoped: UDP to the DNS servers only, not to the rest of on-prem.
            assert.equal(naclAllows(rules, { egress: true, peer: "172.16.0.20", port: 53, protocol: "udp" }), false);
        });
    });
}

describe("NetworkTier on-prem DNS: off, and its arguments", () => {
    it("dr (no on-prem name to resolve) and a network without on-prem DNS create no endpoint, and no UDP NACL rule", async () => {
        const dr = await planOf("dr");
        assert.equal(ofType(dr, ENDPOINT).length, 0);
        const plain = await networkTierAlone({ config: { network: (n) => delete (n as { onPrem: { dns?: unknown } }).onPrem.dns } });
        assert.equal(ofType(plain, ENDPOINT).length + ofType(plain, RULE).length, 0);
        assert.ok(ofType(plain, NACL_RULE).every((r) => r.props.protocol !== "udp"));
    });

    it("one rule and one association per domain", async () => {
        const plan = await networkTierAlone({
            config: {
                network: (n) =>
                    ((n as { onPrem: { dns: { domains: string[] } } }).onPrem.dns.domains = ["dc1.citizen-portal.internal", "corp.example.internal"]),
            },
        });
        assert.deepEqual(
            ofType(plan, RULE).map((r) => r.props.domainName),
            ["dc1.citizen-portal.internal", "corp.example.internal"],
        );
        assert.equal(ofType(plan, ASSOCIATION).length, 2);
    });

    const BASE: NetworkTierArgs = { cidr: "10.10.0.0/16", region: "eu-west-2", accountId: PASSED_ACCOUNT };
    const onPrem = (dns: { domains: string[]; serverAddresses: string[] }) => () =>
        new NetworkTier("network", { ...BASE, onPrem: { cidrs: ["172.16.0.0/20"], vpnPeerAddress: "81.2.69.160", bgpAsn: 65010, dns } }, inRegion());

    it("refuses a DNS server outside the on-prem CIDRs (no route over the VPN), no server, and a domain that is no DNS name", async () => {
        const message = await assertRejectsArgs(onPrem({ domains: ["Not A Domain"], serverAddresses: ["172.16.0.10", "192.168.1.53"] }), [
            "onPrem.dns.domains[0]",
            "onPrem.dns.serverAddresses[1]",
        ]);
        assert.match(message, /192\.168\.1\.53 is outside onPrem\.cidrs/);
        await assertRejectsArgs(onPrem({ domains: ["dc1.citizen-portal.internal"], serverAddresses: [] }), ["onPrem.dns.serverAddresses"]);
    });

    it("the config check names the key of a DNS server outside network.onPrem.cidrs", () => {
        const flat = configEditing("prod", "hybrid-platform:network", (n: { onPrem: { dns: { serverAddresses: string[] } } }) => {
            n.onPrem.dns.serverAddresses = ["172.16.0.10", "10.99.0.2"];
        });
        const error = configErrorOf(flat);
        assert.equal(error.key, "hybrid-platform:network.onPrem.dns.serverAddresses[1]");
        assert.match(error.message, /inside network\.onPrem\.cidrs/);
    });
});
