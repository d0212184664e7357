/** The availability policies (policy/availability.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { allPolicies } from "../../policy/policies";
import { availabilityPolicies } from "../../policy/availability";
import { analyzeResources } from "../../tools/policyRunner";
import { Case, deployment, describeCases, pdb, single } from "../support/policyCases";
import { Declared, Fixture, network } from "../support/policyFixtures";
import { ON_PREM_DNS_CASES } from "../support/onPremDnsCases";

const CASES: Case[] = [
    {
        policy: "rds-multi-az",
        compliant: (f) => {
            f.add(T.rds, "db", { engine: "postgres", multiAz: true });
            f.add(T.rds, "dr-replica", { replicateSourceDb: "arn:aws:rds:eu-west-2:111122223333:db:db" });
        },
        violations: { "single-AZ primary": (f) => void f.add(T.rds, "db", { engine: "postgres", multiAz: false }) },
    },
    single("redis-multi-az-failover", T.redis, () => ({ automaticFailoverEnabled: true, multiAzEnabled: true, numCacheClusters: 3 }), {
        "no failover": () => ({ automaticFailoverEnabled: false }),
        "not multi-AZ": () => ({ multiAzEnabled: undefined }),
        "no replica": () => ({ numCacheClusters: 1 }),
    }),
    {
        policy: "tier-subnets-span-azs",
        compliant: (f) => {
            const net = network(f);
            f.add(T.rdsSubnets, "db", { subnetIds: net.subnets.isolated.map((s) => f.ref(s)) });
        },
        violations: {
            "two AZs": (f) => void network(f, { azs: 2 }),
            "subnet group in one AZ": (f) => {
                const net = network(f);
                f.add(T.cacheSubnets, "redis", { subnetIds: [f.ref(net.subnets.isolated[0])] });
            },
        },
    },
    {
        policy: "nat-gateway-per-az",
        compliant: (f) => void network(f),
        violations: { "single NAT gateway (network.singleNatGateway)": (f) => void network(f, { singleNat: true }) },
    },
    {
        policy: "private-tier-no-internet-route",
        compliant: (f) => void network(f),
        violations: {
            "private route to the internet gateway": (f) => {
                const net = network(f);
                f.add(T.route, "private-0-direct", {
                    routeTableId: f.ref(net.tables.private[0]),
                    destinationCidrBlock: "198.51.100.0/24",
                    gatewayId: f.ref(net.igw),
                });
            },
        },
    },
    {
        policy: "prod-workload-availability",
        compliant: (f) => {
            deployment(f);
            pdb(f);
        },
        violations: {
            "one replica": (f) => {
                deployment(f, { replicas: 1 });
                pdb(f);
            },
            "no PodDisruptionBudget": (f) => void deployment(f),
            "PDB selecting other pods": (f) => {
                deployment(f);
                pdb(f, { app: "other" });
            },
            "no zone spread": (f) => {
                deployment(f, { spread: false });
                pdb(f);
            },
        },
    },
    {
        policy: "node-groups-span-azs",
        compliant: (f) => {
            const net = network(f);
            net.subnets.private.forEach((s, i) =>
                f.add(T.nodeGroup, `nodes-${i}`, { subnetIds: [f.ref(s)], scalingConfig: { minSize: 2, maxSize: 6, desiredSize: 2 } }),
            );
        },
        violations: {
            "one AZ": (f) => {
                const net = network(f);
                f.add(T.nodeGroup, "nodes", { subnetIds: [f.ref(net.subnets.private[0])], scalingConfig: { minSize: 2 } });
            },
            "minSize 1": (f) => {
                const net = network(f);
                f.add(T.nodeGroup, "nodes", { subnetIds: net.subnets.private.map((s) => f.ref(s)), scalingConfig: { minSize: 1 } });
            },
        },
    },
    // issue #11: metric math over sparse counts (the ALB's dimension is its output: unknown in preview)
    {
        policy: "alarm-math-fills-sparse-counts",
        compliant: (f) => errorRateAlarm(f, "100 * FILL(errors, 0) / MAX([FILL(requests, 0), 1])"),
        violations: {
            "a count read bare": (f) => errorRateAlarm(f, "100 * errors / MAX([FILL(requests, 0), 1])"),
            "the divisor read bare": (f) => errorRateAlarm(f, "100 * FILL(errors, 0) / MAX([requests, 1])"),
        },
    },
    // issue #11: Route53's checkers negotiate TLS 1.2 at most (the ALB's DNS name is its output: unknown in preview)
    {
        policy: "route53-https-checks-reach-tls12",
        compliant: (f) => checkedAlb(f, 8443),
        violations: {
            "check on the TLS 1.3-only listener": (f) => checkedAlb(f, 443),
            "check on a port without a listener": (f) => checkedAlb(f, 9443),
            "HTTPS check on an HTTP listener": (f) => checkedAlb(f, 80),
        },
    },
    // issue #11: the isolated NACL dropped HTTPS to the log search domain (subnet CIDRs are config: known in preview)
    {
        policy: "data-tier-reachable-through-nacls",
        compliant: (f) => naclGuardedDatabase(f, { port: 5432, replies: true }),
        violations: {
            "the database port not admitted": (f) => naclGuardedDatabase(f, { port: 6379, replies: true }),
            "no reply path to the clients' ephemeral ports": (f) => naclGuardedDatabase(f, { port: 5432, replies: false }),
        },
    },
    // issue #11: on-prem names resolve from the VPC (tests/support/onPremDnsCases.ts)
    ...ON_PREM_DNS_CASES,
];

/** A PostgreSQL instance in the isolated subnets, whose NACL admits `port` from the private subnets (and, with `replies`, answers back). */
function naclGuardedDatabase(f: Fixture, opts: { port: number; replies: boolean }): void {
    const net = network(f);
    const nacl = (tier: "private" | "isolated") => f.add(T.nacl, tier, { vpcId: f.ref(net.vpc), subnetIds: net.subnets[tier].map((s) => f.ref(s)) });
    const [privateNacl, isolatedNacl] = [nacl("private"), nacl("isolated")];
    const rule = (n: Declared, name: string, props: Record<string, unknown>) =>
        f.add(T.naclRule, name, { networkAclId: f.ref(n), ruleAction: "allow", ...props });
    rule(privateNacl, "private-in-100", { ruleNumber: 100, egress: false, protocol: "-1", cidrBlock: "10.10.0.0/16", fromPort: 0, toPort: 0 });
    rule(privateNacl, "private-out-100", { ruleNumber: 100, egress: true, protocol: "-1", cidrBlock: "10.10.0.0/16", fromPort: 0, toPort: 0 });
    ["10.10.4.0/22", "10.10.20.0/22", "10.10.36.0/22"].forEach((cidr, i) => {
        rule(isolatedNacl, `isolated-in-${1000 + 10 * i}`, {
            ruleNumber: 1000 + 10 * i,
            egress: false,
            protocol: "tcp",
            cidrBlock: cidr,
            fromPort: opts.port,
            toPort: opts.port,
        });
        if (opts.replies)
            rule(isolatedNacl, `isolated-out-${1000 + 10 * i}`, {
                ruleNumber: 1000 + 10 * i,
                egress: true,
                protocol: "tcp",
                cidrBlock: cidr,
                fromPort: 1024,
                toPort: 65535,
            });
    });
    const group = f.add(T.rdsSubnets, "db", { subnetIds: net.subnets.isolated.map((s) => f.ref(s)) });
    f.add(T.rds, "db", { engine: "postgres", port: 5432, dbSubnetGroupName: f.ref(group), multiAz: true });
}

/** An ALB with a TLS 1.3-only listener on 443, a TLS 1.2-capable one on 8443, an HTTP redirect on 80, and an HTTPS check on `port`. */
function checkedAlb(f: Fixture, port: number): void {
    const alb = f.add(T.lb, "alb", { loadBalancerType: "application" });
    f.add(T.listener, "https", { loadBalancerArn: f.arn(alb), port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" });
    f.add(T.listener, "health", { loadBalancerArn: f.arn(alb), port: 8443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
    f.add(T.listener, "http", { loadBalancerArn: f.arn(alb), port: 80, protocol: "HTTP" });
    f.add("aws:route53/healthCheck:HealthCheck", "uptime", {
        type: "HTTPS",
        fqdn: f.computed(alb, "portal-123.eu-west-2.elb.amazonaws.com"),
        port,
        resourcePath: "/healthz",
    });
}

function errorRateAlarm(f: Fixture, expression: string): void {
    const alb = f.add(T.lb, "alb", { loadBalancerType: "application" });
    const count = (id: string, metricName: string) => ({
        id,
        returnData: false,
        metric: { namespace: "AWS/ApplicationELB", metricName, dimensions: { LoadBalancer: f.ref(alb) }, period: 60, stat: "Sum" },
    });
    f.add("aws:cloudwatch/metricAlarm:MetricAlarm", "errors", {
        comparisonOperator: "GreaterThanThreshold",
        threshold: 1,
        evaluationPeriods: 3,
        treatMissingData: "notBreaching",
        metricQueries: [{ id: "rate", expression, returnData: true }, count("errors", "HTTPCode_Target_5XX_Count"), count("requests", "RequestCount")],
    });
}

describe("policy pack: availability fixtures", () => {
    it("every availability policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            availabilityPolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases(CASES);
});

describe("node-groups-span-azs: a lowered node floor", () => {
    const pilotLight = (f: Fixture) => {
        const subnets = ["a", "b", "c"].map((z) => f.add(T.subnet, `private-${z}`, { availabilityZone: `eu-west-2${z}`, tags: { "hybrid:tier": "private" } }));
        subnets.forEach((s, i) => f.add(T.nodeGroup, `nodes-${i}`, { subnetIds: [f.ref(s)], scalingConfig: { minSize: 1, maxSize: 21, desiredSize: 1 } }));
    };
    const run = (config: Record<string, unknown>) => {
        const f = new Fixture();
        pilotLight(f);
        return analyzeResources(f.resources("update"), {
            policies: allPolicies.filter((p) => p.name === "node-groups-span-azs"),
            config: { "node-groups-span-azs": config },
        });
    };

    it("stays mandatory when lowered without a written reason, or with only a waiverReason", async () => {
        for (const config of [{ minNodesPerGroup: 1 }, { minNodesPerGroup: 1, waiverReason: "a reason for something else entirely" }]) {
            const ds = await run(config);
            assert.deepEqual([...new Set(ds.map((d) => d.enforcementLevel))], ["mandatory"]);
        }
    });

    it("is reported as advisory, with the reason, when lowered with one", async () => {
        const reason = "pilot light: one node per AZ until failover";
        const ds = await run({ minNodesPerGroup: 1, minNodesPerGroupReason: reason });
        assert.equal(ds.length, 3);
        assert.ok(ds.every((d) => d.enforcementLevel === "advisory" && d.message.includes(reason)));
    });
});
