/** The network exposure policies (policy/exposure.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { exposurePolicies } from "../../policy/exposure";
import { Case, describeCases, edge, goodVpn, single } from "../support/policyCases";
import { network } from "../support/policyFixtures";
import { GUARDED_CASES } from "./guardedCases";

const CASES: Case[] = [
    {
        policy: "data-subnets-isolated",
        compliant: (f) => {
            const net = network(f);
            f.add(T.rdsSubnets, "db", { subnetIds: net.subnets.isolated.map((s) => f.ref(s)) });
            f.add(T.cacheSubnets, "redis", { subnetIds: net.subnets.isolated.map((s) => f.ref(s)) });
        },
        violations: {
            "subnet group on NAT-routed private subnets": (f) => {
                const net = network(f);
                f.add(T.rdsSubnets, "db", { subnetIds: net.subnets.private.map((s) => f.ref(s)) });
            },
            "isolated route table routed to the internet gateway": (f) => {
                const net = network(f);
                f.add(T.route, "isolated-0-internet", {
                    routeTableId: f.ref(net.tables.isolated[0]),
                    destinationCidrBlock: "0.0.0.0/0",
                    gatewayId: f.ref(net.igw),
                });
            },
            "subnet group on subnets outside the stack": (f) => {
                network(f);
                f.add(T.cacheSubnets, "redis", { subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] });
            },
        },
    },
    single("data-stores-not-public", T.rds, () => ({ engine: "postgres", publiclyAccessible: false }), {
        "publicly accessible": () => ({ publiclyAccessible: true }),
    }),
    {
        policy: "no-world-ingress",
        compliant: (f) => {
            const { sg } = edge(f);
            f.add(T.sgIngress, "alb-https", { securityGroupId: f.ref(sg), ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
            f.add(T.sgIngress, "alb-http", { securityGroupId: f.ref(sg), ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv6: "::/0" });
            const app = f.add(T.sg, "app", { ingress: [{ fromPort: 8000, toPort: 8000, protocol: "tcp", securityGroups: [f.ref(sg)] }] });
            f.add(T.sgRule, "app-vpc", {
                type: "ingress",
                securityGroupId: f.ref(app),
                fromPort: 443,
                toPort: 443,
                protocol: "tcp",
                cidrBlocks: ["10.10.0.0/16"],
            });
        },
        violations: {
            "SSH from the world": (f) => {
                const { sg } = edge(f);
                f.add(T.sgIngress, "ssh", { securityGroupId: f.ref(sg), ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" });
            },
            "443 from the world on a group no load balancer uses": (f) => {
                const app = f.add(T.sg, "app", {});
                f.add(T.sgRule, "app-https", {
                    type: "ingress",
                    securityGroupId: f.ref(app),
                    fromPort: 443,
                    toPort: 443,
                    protocol: "tcp",
                    cidrBlocks: ["0.0.0.0/0"],
                });
            },
            "inline ::/0 all ports": (f) => void f.add(T.sg, "app", { ingress: [{ fromPort: 0, toPort: 0, protocol: "-1", ipv6CidrBlocks: ["::/0"] }] }),
        },
    },
    {
        policy: "data-sg-private-sources",
        compliant: (f) => {
            const app = f.add(T.sg, "app", {});
            const data = f.add(T.sg, "data", {});
            f.add(T.rds, "db", { engine: "postgres", vpcSecurityGroupIds: [f.ref(data)] });
            f.add(T.sgIngress, "from-app", {
                securityGroupId: f.ref(data),
                referencedSecurityGroupId: f.ref(app),
                ipProtocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
            });
            f.add(T.sgIngress, "from-on-prem", { securityGroupId: f.ref(data), cidrIpv4: "172.16.16.0/20", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
        },
        violations: {
            "public CIDR on the cache": (f) => {
                const data = f.add(T.sg, "data", {});
                f.add(T.redis, "redis", { securityGroupIds: [f.ref(data)] });
                f.add(T.sgIngress, "partner", { securityGroupId: f.ref(data), cidrIpv4: "203.0.113.0/24", ipProtocol: "tcp", fromPort: 6379, toPort: 6379 });
            },
        },
    },
    {
        policy: "eks-api-not-public",
        compliant: (f) => {
            f.add(T.eksComponent, "private", { endpointPrivateAccess: true, endpointPublicAccess: false });
            f.add(T.eksCluster, "listed", { vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.0/24"] } });
        },
        violations: {
            "eks.Cluster defaults (public, all CIDRs)": (f) => void f.add(T.eksComponent, "cluster", {}),
            "public to 0.0.0.0/0": (f) => void f.add(T.eksCluster, "raw", { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } }),
        },
    },
    {
        policy: "isolated-nacl-not-allow-all",
        compliant: (f) => {
            const net = network(f);
            const nacl = f.add(T.nacl, "isolated", {
                vpcId: f.ref(net.vpc),
                subnetIds: net.subnets.isolated.map((s) => f.ref(s)),
                tags: { "hybrid:tier": "isolated" },
            });
            f.add(T.naclRule, "isolated-in-100", {
                networkAclId: f.ref(nacl),
                ruleNumber: 100,
                egress: false,
                protocol: "tcp",
                ruleAction: "allow",
                cidrBlock: "10.10.4.0/22",
                fromPort: 5432,
                toPort: 5432,
            });
            const pub = f.add(T.nacl, "public", {
                vpcId: f.ref(net.vpc),
                subnetIds: net.subnets.public.map((s) => f.ref(s)),
                tags: { "hybrid:tier": "public" },
            });
            f.add(T.naclRule, "public-in-100", {
                networkAclId: f.ref(pub),
                ruleNumber: 100,
                egress: false,
                protocol: "tcp",
                ruleAction: "allow",
                cidrBlock: "0.0.0.0/0",
                fromPort: 443,
                toPort: 443,
            });
        },
        violations: {
            "0.0.0.0/0 rule on an untagged NACL of isolated subnets": (f) => {
                const net = network(f);
                const nacl = f.add(T.nacl, "data", { vpcId: f.ref(net.vpc), subnetIds: net.subnets.isolated.map((s) => f.ref(s)) });
                f.add(T.naclRule, "data-in-100", {
                    networkAclId: f.ref(nacl),
                    ruleNumber: 100,
                    egress: false,
                    protocol: "tcp",
                    ruleAction: "allow",
                    cidrBlock: "0.0.0.0/0",
                    fromPort: 5432,
                    toPort: 5432,
                });
            },
            "inline all-protocol rule": (f) => {
                const net = network(f);
                f.add(T.nacl, "isolated", {
                    vpcId: f.ref(net.vpc),
                    tags: { "hybrid:tier": "isolated" },
                    ingress: [{ ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: "10.0.0.0/8", fromPort: 0, toPort: 0 }],
                });
            },
        },
    },
    single("subnets-no-public-ip-on-launch", T.subnet, () => ({ cidrBlock: "10.10.0.0/24", mapPublicIpOnLaunch: false }), {
        "public IPs on launch": () => ({ mapPublicIpOnLaunch: true }),
    }),
    {
        policy: "default-sg-and-nacl-deny-all",
        compliant: (f) => {
            f.add(T.defaultSg, "default", { ingress: [], egress: [] });
            f.add(T.defaultNacl, "default", { defaultNetworkAclId: "acl-1" });
        },
        violations: {
            "default SG allows its members": (f) =>
                void f.add(T.defaultSg, "default", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }], egress: [] }),
            "default NACL allows all": (f) =>
                void f.add(T.defaultNacl, "default", {
                    ingress: [{ ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 }],
                }),
        },
    },
    single("vpn-strong-crypto", T.vpn, () => ({ type: "ipsec.1", ...goodVpn }), {
        "IKEv1 allowed": () => ({ tunnel1IkeVersions: ["ikev1", "ikev2"] }),
        "DH group 2": () => ({ tunnel2Phase1DhGroupNumbers: [2, 20] }),
        "AWS defaults": () => ({ tunnel1Phase2EncryptionAlgorithms: undefined }),
        "tunnel logs off": () => ({ tunnel2LogOptions: { cloudwatchLogOptions: { logEnabled: false } } }),
    }),
];

// issue #11 (build 4): the policies that guard what the program already gets right.
CASES.push(...GUARDED_CASES.exposure);

describe("policy pack: network exposure fixtures", () => {
    it("every network exposure policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            exposurePolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases(CASES);
});
