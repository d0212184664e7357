import * as assert from "node:assert/strict";
import { DATA_TIER_FLOWS } from "../../../model/flows";
import { naclRules } from "../../../model/network";
import { planSubnets } from "../../../model/cidr";
import { Plan, PlannedResource } from "../../../tools/offline";
import { UNKNOWN } from "../../../tools/mocks";
import { byUrn, networkTierAlone, ofType, one, planOf } from "../../support";

const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTE = "aws:ec2/route:Route";
const ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";

const tierOf = (r: PlannedResource) => (r.props.tags as Record<string, string>)["hybrid:tier"];

/** The resource a property points at, followed by URN (works in preview, where IDs are unknown). */
function target(plan: Plan, r: PlannedResource, prop: string): PlannedResource | undefined {
    const urns = r.propertyDependencies[prop] ?? [];
    const resources = byUrn(plan);
    return urns.map((u) => resources.get(u)).find((x) => x?.custom);
}

/** Routes of the route table associated with a subnet, joined through property dependencies. */
function routesOfSubnet(plan: Plan, subnet: PlannedResource): PlannedResource[] {
    const association = ofType(plan, ASSOCIATION).find((a) => target(plan, a, "subnetId")?.urn === subnet.urn);
    assert.ok(association, `no route table association for ${subnet.name}`);
    const table = target(plan, association, "routeTableId")!;
    return ofType(plan, ROUTE).filter((route) => target(plan, route, "routeTableId")?.urn === table.urn);
}

for (const mode of ["update", "preview"] as const) {
    describe(`NetworkTier (prod, ${mode} mode)`, () => {
        let plan: Plan;
        before(async () => {
            plan = await planOf("prod", mode);
        });

        it("creates one VPC with DNS support and the configured CIDR", () => {
            const [vpc] = ofType(plan, "aws:ec2/vpc:Vpc");
            assert.equal(ofType(plan, "aws:ec2/vpc:Vpc").length, 1);
            assert.equal(vpc.props.cidrBlock, "10.10.0.0/16");
            assert.equal(vpc.props.enableDnsHostnames, true);
        });

        it("creates a subnet per tier per AZ, none mapping public IPs", () => {
            const subnets = ofType(plan, SUBNET);
            assert.equal(subnets.length, 9);
            for (const tier of ["public", "private", "isolated"]) {
                const zones = subnets.filter((s) => tierOf(s) === tier).map((s) => s.props.availabilityZone);
                assert.deepEqual(zones.sort(), ["eu-west-2a", "eu-west-2b", "eu-west-2c"], tier);
            }
            assert.ok(subnets.every((s) => s.props.mapPublicIpOnLaunch === false));
            assert.deepEqual(
                subnets.map((s) => s.props.cidrBlock).sort(),
                planSubnets("10.10.0.0/16", 3)
                    .map((s) => s.cidr)
                    .sort(),
                "subnets use the pure CIDR plan",
            );
        });

        it("gives the isolated tier no route to the internet at all", () => {
            for (const subnet of ofType(plan, SUBNET).filter((s) => tierOf(s) === "isolated")) {
                const routes = routesOfSubnet(plan, subnet);
                assert.deepEqual(routes, [], `${subnet.name} has routes: ${routes.map((r) => r.name)}`);
            }
        });

        it("routes each private subnet's egress through the NAT gateway in its own AZ", () => {
            const nats = ofType(plan, "aws:ec2/natGateway:NatGateway");
            assert.equal(nats.length, 3, "one NAT gateway per AZ");
            const natAzs = new Set<unknown>();
            for (const subnet of ofType(plan, SUBNET).filter((s) => tierOf(s) === "private")) {
                const egress = routesOfSubnet(plan, subnet).filter((r) => r.props.destinationCidrBlock === "0.0.0.0/0");
                assert.equal(egress.length, 1, subnet.name);
                const nat = target(plan, egress[0], "natGatewayId");
                assert.ok(nat && nat.type === "aws:ec2/natGateway:NatGateway", `${subnet.name} egress is not via NAT`);
                const natSubnet = target(plan, nat, "subnetId")!;
                assert.equal(natSubnet.props.availabilityZone, subnet.props.availabilityZone, `${subnet.name} uses another AZ's NAT`);
                assert.equal(tierOf(natSubnet), "public");
                natAzs.add(natSubnet.props.availabilityZone);
            }
            assert.equal(natAzs.size, 3);
        });

        it("routes public subnets to the internet gateway", () => {
            for (const subnet of ofType(plan, SUBNET).filter((s) => tierOf(s) === "public")) {
                const routes = routesOfSubnet(plan, subnet);
                assert.equal(routes.length, 1);
                assert.equal(target(plan, routes[0], "gatewayId")?.type, "aws:ec2/internetGateway:InternetGateway");
            }
        });

        it("has one NACL per tier covering that tier's subnets, the isolated one admitting only the private tier on the declared flows' ports", () => {
            const nacls = ofType(plan, "aws:ec2/networkAcl:NetworkAcl");
            assert.equal(nacls.length, 3);
            const isolated = nacls.find((n) => tierOf(n) === "isolated")!;
            const covered = (isolated.propertyDependencies.subnetIds ?? []).map((u) => byUrn(plan).get(u)!);
            assert.deepEqual(covered.map(tierOf), ["isolated", "isolated", "isolated"]);
            const rules = ofType(plan, "aws:ec2/networkAclRule:NetworkAclRule").filter((r) => target(plan, r, "networkAclId")?.urn === isolated.urn);
            const inbound = rules.filter((r) => r.props.egress === false);
            const privateCidrs = ["10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19"];
            const isolatedCidrs = ["10.10.160.0/21", "10.10.168.0/21", "10.10.176.0/21"];
            for (const rule of inbound) {
                assert.notEqual(rule.props.cidrBlock, "0.0.0.0/0", `${rule.name} admits the internet`);
                assert.equal(rule.props.protocol, "tcp");
                if (privateCidrs.includes(rule.props.cidrBlock as string)) {
                    assert.ok(
                        DATA_TIER_FLOWS.some((f) => f.port === rule.props.fromPort) && rule.props.fromPort === rule.props.toPort,
                        `${rule.name} opens more than a data port`,
                    );
                } else {
                    assert.ok(isolatedCidrs.includes(rule.props.cidrBlock as string), `${rule.name} admits ${rule.props.cidrBlock}`);
                }
            }
            assert.equal(
                inbound.filter((r) => privateCidrs.includes(r.props.cidrBlock as string)).length,
                9,
                "5432, 6379 and 443 (log search) from each private subnet",
            );
        });

        it("writes flow logs of all traffic to a CMK-encrypted log group", () => {
            const [flowLog] = ofType(plan, "aws:ec2/flowLog:FlowLog");
            assert.equal(flowLog.props.trafficType, "ALL");
            assert.equal(target(plan, flowLog, "vpcId")?.type, "aws:ec2/vpc:Vpc");
            const group = target(plan, flowLog, "logDestination")!;
            assert.equal(group.type, "aws:cloudwatch/logGroup:LogGroup");
            assert.equal(group.props.retentionInDays, 365);
            const key = target(plan, group, "kmsKeyId")!;
            assert.equal(key.type, "aws:kms/key:Key");
            assert.equal(key.props.enableKeyRotation, true);
            if (mode === "update") {
                const policy = JSON.parse(key.props.policy as string);
                assert.ok(policy.Statement.some((s: { Principal?: { Service?: string } }) => s.Principal?.Service === "logs.eu-west-2.amazonaws.com"));
            }
        });

        it("gives the private tier an S3 gateway endpoint and the interface endpoints it needs", () => {
            const endpoints = ofType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint");
            const services = endpoints.map((e) => (e.props.serviceName as string).replace("com.amazonaws.eu-west-2.", "")).sort();
            // elasticache: the cache password rotation function's ModifyUser (issue #11 finding 20).
            // aps-workspaces, xray, rolesanywhere: the collectors' remote write, traces and on-prem sessions (issue #13).
            assert.deepEqual(services, [
                "aps-workspaces",
                "ecr.api",
                "ecr.dkr",
                "elasticache",
                "kms",
                "logs",
                "rolesanywhere",
                "s3",
                "secretsmanager",
                "sts",
                "xray",
            ]);
            for (const e of endpoints.filter((x) => x.props.vpcEndpointType === "Interface")) {
                assert.equal(e.props.privateDnsEnabled, true);
                const subnets = (e.propertyDependencies.subnetIds ?? []).map((u) => byUrn(plan).get(u)!);
                assert.deepEqual(subnets.map(tierOf), ["private", "private", "private"], e.name);
            }
        });

        // issue #11 (finding 10): the pods' NetworkPolicy opens 443 to these blocks only, so the endpoints must sit in them.
        it("gives each interface endpoint a fixed address per private subnet, inside an explicit reservation the pods may reach", () => {
            const reservations = ofType(plan, "aws:ec2/subnetCidrReservation:SubnetCidrReservation");
            assert.deepEqual(
                reservations.map((r) => [r.props.cidrBlock, r.props.reservationType, tierOf(target(plan, r, "subnetId")!)]),
                ["10.10.0.16/28", "10.10.32.16/28", "10.10.64.16/28"].map((c) => [c, "explicit", "private"]),
            );
            const inBlock = (ip: string, block: string) => ip.startsWith(block.slice(0, block.lastIndexOf(".") + 1)) && Number(ip.split(".")[3]) - 16 < 16;
            const addresses = new Set<string>();
            for (const e of ofType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((x) => x.props.vpcEndpointType === "Interface")) {
                for (const r of reservations) assert.ok(e.dependencies.includes(r.urn), `${e.name} waits for the reservations`);
                const configs = e.props.subnetConfigurations as Array<{ ipv4: string }>;
                assert.equal(configs.length, 3);
                configs.forEach((c, i) => assert.ok(inBlock(c.ipv4, reservations[i].props.cidrBlock as string), `${e.name} ${c.ipv4}`));
                configs.forEach((c) => addresses.add(c.ipv4));
            }
            assert.equal(addresses.size, 10 * 3, "one address per endpoint and subnet");
            const policy = ofType(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
                (p) => (p.props.metadata as { name: string }).name === "allow-app-to-aws-apis",
            )!;
            const peers = (policy.props.spec as { egress: { to: { ipBlock: { cidr: string } }[] }[] }).egress[0].to.map((p) => p.ipBlock.cidr);
            assert.deepEqual(
                peers.slice(1),
                reservations.map((r) => r.props.cidrBlock),
            );
        });

        it("connects on-prem with a two-tunnel IKEv2 VPN and routes its CIDRs from the private tier", () => {
            const [vpn] = ofType(plan, "aws:ec2/vpnConnection:VpnConnection");
            assert.ok(vpn);
            for (const t of ["tunnel1", "tunnel2"]) {
                assert.deepEqual(vpn.props[`${t}IkeVersions`], ["ikev2"]);
                assert.equal((vpn.props[`${t}LogOptions`] as { cloudwatchLogOptions: { logEnabled: boolean } }).cloudwatchLogOptions.logEnabled, true);
            }
            assert.equal(one(plan, "aws:ec2/customerGateway:CustomerGateway", "network-on-prem").props.ipAddress, "203.0.113.10");
            const onPremRoutes = ofType(plan, ROUTE).filter((r) => String(r.props.destinationCidrBlock).startsWith("172.16."));
            assert.equal(onPremRoutes.length, 9, "3 on-prem CIDRs x 3 private route tables");
            for (const route of onPremRoutes) {
                assert.equal(target(plan, route, "gatewayId")?.type, "aws:ec2/vpnGateway:VpnGateway");
                assert.equal(tierOf(target(plan, route, "routeTableId")!), "private");
            }
        });

        it("locks down the default security group and NACL", () => {
            const [sg] = ofType(plan, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
            assert.deepEqual([sg.props.ingress, sg.props.egress], [[], []]);
            assert.equal(ofType(plan, "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl").length, 1);
        });

        it(mode === "preview" ? "leaves IDs unknown, as a real preview does" : "assigns IDs that join resources", () => {
            const subnet = ofType(plan, SUBNET)[0];
            if (mode === "preview") {
                assert.equal(subnet.id, null);
                assert.equal(subnet.props.vpcId, UNKNOWN);
            } else {
                assert.equal(subnet.props.vpcId, ofType(plan, "aws:ec2/vpc:Vpc")[0].id);
            }
        });
    });
}

describe("NetworkTier options", () => {
    it("creates no VPN, customer gateway or on-prem routes without on-prem config", async () => {
        // issue #16: the on-prem hosts need the on-prem VLANs, so they go too.
        const plan = await networkTierAlone({ config: { network: (network) => delete network.onPrem }, keys: { "hybrid-platform:onPrem": undefined } });
        for (const type of ["aws:ec2/vpnConnection:VpnConnection", "aws:ec2/customerGateway:CustomerGateway", "aws:ec2/vpnGateway:VpnGateway"]) {
            assert.equal(ofType(plan, type).length, 0, type);
        }
        assert.ok(ofType(plan, ROUTE).every((r) => !String(r.props.destinationCidrBlock).startsWith("172.16.")));
        assert.equal(ofType(plan, SUBNET).length, 9, "the rest of the network is unchanged");
    });

    it("with the singleNatGateway opt-out, shares one NAT gateway across the AZs", async () => {
        const plan = await networkTierAlone({ config: { network: (network) => (network.singleNatGateway = true) } });
        assert.equal(ofType(plan, "aws:ec2/natGateway:NatGateway").length, 1);
        const natRoutes = ofType(plan, ROUTE).filter((r) => r.props.natGatewayId !== undefined);
        assert.equal(new Set(natRoutes.map((r) => r.props.natGatewayId)).size, 1);
        assert.equal(natRoutes.length, 3);
    });

    it("adds static VPN routes only when BGP is turned off", async () => {
        const plan = await networkTierAlone({ config: { network: (network) => (network.onPrem.staticRoutesOnly = true) } });
        assert.equal(ofType(plan, "aws:ec2/vpnConnectionRoute:VpnConnectionRoute").length, 3);
        assert.equal(ofType(await planOf("prod"), "aws:ec2/vpnConnectionRoute:VpnConnectionRoute").length, 0);
    });

    it("builds the DR network in the second region with its own CIDR", async () => {
        const plan = await planOf("dr");
        assert.equal(ofType(plan, "aws:ec2/vpc:Vpc")[0].props.cidrBlock, "10.20.0.0/16");
        assert.ok(ofType(plan, SUBNET).every((s) => String(s.props.availabilityZone).startsWith("eu-west-1")));
    });
});

describe("model/network NACL rules", () => {
    const plan = planSubnets("10.10.0.0/16", 3);
    const rules = naclRules({ plan, vpcCidr: "10.10.0.0/16", onPremCidrs: ["172.16.0.0/20"] });

    it("numbers rules uniquely per direction", () => {
        for (const tierRules of Object.values(rules)) {
            for (const egress of [true, false]) {
                const numbers = tierRules.filter((r) => r.egress === egress).map((r) => r.ruleNumber);
                assert.equal(new Set(numbers).size, numbers.length);
            }
        }
    });

    it("allows the return path of every isolated-tier request (NACLs are stateless)", () => {
        const outbound = rules.isolated.filter((r) => r.egress);
        for (const cidr of ["10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19"]) {
            assert.ok(outbound.some((r) => r.cidrBlock === cidr && r.fromPort === 1024 && r.toPort === 65535));
        }
        assert.ok(rules.isolated.every((r) => r.cidrBlock !== "0.0.0.0/0" && r.protocol === "tcp"));
    });

    it("lets on-prem reach the private tier on HTTPS only", () => {
        const fromOnPrem = rules.private.filter((r) => !r.egress && r.cidrBlock === "172.16.0.0/20");
        assert.deepEqual(
            fromOnPrem.map((r) => [r.fromPort, r.toPort]),
            [[443, 443]],
        );
    });
});
