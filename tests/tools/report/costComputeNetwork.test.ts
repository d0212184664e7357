/**
 * Compute and network pricers (tools/report/cost/computeNetwork.ts, networkEdge.ts) on the real plans and
 * on small graphs; figures spot-checked against a hand calculation from the AWS pricing pages.
 */
import * as assert from "node:assert/strict";
import type { Plan, PlannedResource } from "../../../tools/offline";
import { UNKNOWN } from "../../../tools/mocks";
import { CostReport } from "../../../tools/report/types";
import { USAGE_ASSUMPTIONS, costOf } from "../../../tools/report/cost";
import { COMPUTE_NETWORK } from "../../../tools/report/cost/computeNetwork";
import { PRICES } from "../../../model/prices";
import { COMPUTE_NETWORK_PRICES } from "../../../model/prices/computeNetwork";
import { INSTANCE_TYPES } from "../../../model/capacity";
import { planOf } from "../../support";
import { resource } from "./costFixtures";

const REGION: Record<string, string> = { prod: "eu-west-2", dev: "eu-west-2", bootstrap: "eu-west-2", dr: "eu-west-1" };
const costOfPlan = (plan: Plan, stack: string, date = "2026-12-01"): CostReport => costOf(plan.resources, { stack, region: REGION[stack], date });
const linesOf = (report: CostReport, type: string) => report.lines.filter((l) => l.type === type);
/** Within 3% of the hand calculation. */
const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) <= 0.03 * expected, `${actual} is not within 3% of ${expected}`);

for (const mode of ["update", "preview"] as const) {
    describe(`compute and network cost of the prod plan (${mode})`, () => {
        let report: CostReport;
        before(async () => (report = costOfPlan(await planOf("prod", mode), "prod")));

        it("prices the 3 node groups at 3 x m5.xlarge each, with their launch template's 50 GB gp3 root volumes", () => {
            const nodes = linesOf(report, "aws:eks/nodeGroup:NodeGroup");
            const instances = nodes.filter((l) => l.priceKey.startsWith("ec2.instance."));
            assert.equal(instances.length, 3);
            // AWS EC2 On-Demand page, Linux, Europe (London): m5.xlarge $0.222/h -> 3 x 730 h x $0.222 = $486.18 a group.
            for (const l of instances) {
                assert.equal(l.priceKey, "ec2.instance.m5.xlarge");
                assert.equal(l.quantity, 3 * 730);
                near(l.monthly, 486.18);
            }
            const volumes = nodes.filter((l) => l.priceKey === "ebs.gp3.gbMonth");
            assert.equal(volumes.length, 3, "joined to the launch template by dependency, also when its ID is unknown");
            // AWS EBS page, London: gp3 $0.0928/GB-month -> 50 GB x 3 nodes x $0.0928 = $13.92 a group.
            for (const l of volumes) near(l.monthly, 13.92);
        });

        it("prices the EKS control plane of Kubernetes 1.35 at the standard rate on 2026-12-01", () => {
            const [line, ...rest] = linesOf(report, "eks:index:Cluster");
            assert.deepEqual(rest, []);
            assert.equal(line.priceKey, "eks.cluster.standard");
            near(line.monthly, 73); // $0.10 per cluster-hour x 730 h
        });

        it("prices 3 NAT gateways (hours and assumed data) and their 3 Elastic IPs once, not again on the NATs", () => {
            const nat = linesOf(report, "aws:ec2/natGateway:NatGateway");
            assert.equal(nat.filter((l) => l.priceKey === "nat.hour").length, 3);
            for (const l of nat.filter((l) => l.priceKey === "nat.hour")) near(l.monthly, 36.5); // $0.05/h x 730 h
            const data = nat.filter((l) => l.priceKey === "nat.dataGb");
            assert.equal(data.length, 3);
            assert.ok(data.every((l) => l.usageBased && l.assumption));
            assert.ok(!nat.some((l) => l.priceKey === "vpc.publicIpv4.hour"), "the NAT's address is its Eip");
            const eips = linesOf(report, "aws:ec2/eip:Eip");
            assert.equal(eips.length, 3);
            for (const l of eips) near(l.monthly, 3.65); // $0.005/h x 730 h
        });

        it("prices each of the 10 interface endpoints in its 3 AZs, and not the S3 gateway endpoint", () => {
            const hours = linesOf(report, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((l) => l.priceKey === "vpce.interface.azHour");
            assert.equal(hours.length, 10);
            for (const l of hours) {
                assert.equal(l.quantity, 3 * 730);
                near(l.monthly, 24.09); // PrivateLink page: $0.011 per AZ-hour x 3 AZs x 730 h
            }
            assert.ok(!report.lines.some((l) => l.urn.endsWith("::network-s3")));
        });

        it("prices the internet-facing ALB's hours, LCUs and 3 public IPv4 addresses, and the WAF's ACL, 7 rules and requests", () => {
            const alb = linesOf(report, "aws:lb/loadBalancer:LoadBalancer");
            near(alb.find((l) => l.priceKey === "alb.hour")!.monthly, 19.32); // ELB page, London: $0.02646/h x 730 h
            assert.ok(alb.find((l) => l.priceKey === "alb.lcuHour")!.usageBased);
            assert.equal(alb.find((l) => l.priceKey === "vpc.publicIpv4.hour")!.quantity, 3 * 730);
            assert.ok(alb.find((l) => l.priceKey === "transfer.internetOutGb")!.usageBased, "responses to citizens leave AWS");
            const waf = linesOf(report, "aws:wafv2/webAcl:WebAcl");
            assert.equal(waf.find((l) => l.priceKey === "waf.ruleMonth")!.quantity, 7);
            assert.equal(waf.find((l) => l.priceKey === "waf.webAclMonth")!.monthly, 5);
            assert.ok(waf.find((l) => l.priceKey === "waf.requestMillion")!.usageBased);
        });

        it("prices the VPN, the Resolver endpoint's 3 ENIs and the uptime check's 2 optional features (its basic fee is free)", () => {
            near(linesOf(report, "aws:ec2/vpnConnection:VpnConnection")[0].monthly, 36.5); // $0.05/h x 730 h
            const resolver = linesOf(report, "aws:route53/resolverEndpoint:ResolverEndpoint").find((l) => l.priceKey === "route53.resolver.eniHour")!;
            near(resolver.monthly, 273.75); // Route 53 page: $0.125 per ENI-hour x 3 x 730 h
            // Route 53 page: the first 50 AWS-endpoint checks have no basic fee; HTTPS and latency measurement are $1.00 each.
            const check = linesOf(report, "aws:route53/healthCheck:HealthCheck");
            assert.deepEqual(
                check.map((l) => [l.priceKey, l.quantity, l.monthly]),
                [["route53.healthCheckFeature.aws", 2, 2]],
            );
        });

        it("leaves none of the compute and network types unpriced", () => {
            const mine = new Set([...Object.keys(COMPUTE_NETWORK.pricers), ...Object.keys(COMPUTE_NETWORK.free)]);
            assert.deepEqual(
                report.unpriced.filter((u) => mine.has(u.type)),
                [],
            );
        });
    });
}

describe("compute and network cost of the other stacks", () => {
    it("prices dr's pilot light (1 node per AZ), its non-AWS on-prem health check, and the replica's stream at the sending region's rate", async () => {
        const report = costOfPlan(await planOf("dr"), "dr");
        const instances = linesOf(report, "aws:eks/nodeGroup:NodeGroup").filter((l) => l.priceKey.startsWith("ec2.instance."));
        assert.deepEqual(
            instances.map((l) => l.quantity),
            [730, 730, 730],
        );
        for (const l of instances) near(l.monthly, 156.22); // EC2 page, Ireland: m5.xlarge $0.214/h x 730 h
        const onPrem = report.lines.filter((l) => l.urn.endsWith("HealthCheck::gslb-onprem"));
        assert.deepEqual(
            onPrem.map((l) => [l.priceKey, l.quantity]),
            [
                ["route53.healthCheck.nonAws", 1],
                ["route53.healthCheckFeature.nonAws", 3],
            ],
        );
        // The replica's stream is the data set's line (one line, not one per set: tests/tools/report/costDataObservability.test.ts).
        assert.equal(report.lines.filter((l) => l.type === "aws:rds/instance:Instance" && /stream/.test(l.item)).length, 1);
    });

    it("prices bootstrap's 3 repositories and their replicas in eu-west-1, and its validation records not at all", async () => {
        const report = costOfPlan(await planOf("bootstrap"), "bootstrap");
        assert.equal(linesOf(report, "aws:ecr/repository:Repository").length, 3);
        const replicas = linesOf(report, "aws:ecr/replicationConfiguration:ReplicationConfiguration");
        assert.deepEqual(replicas.map((l) => l.category).sort(), ["dr-replication", "dr-replication"]);
        assert.deepEqual(linesOf(report, "aws:route53/record:Record"), []);
        assert.deepEqual(
            report.unpriced.filter((u) => u.type in COMPUTE_NETWORK.pricers || u.type in COMPUTE_NETWORK.free),
            [],
        );
    });

    it("leaves no network, edge, IAM or EKS type of any stack without a pricer or a reason it is free", async () => {
        const ours = /^(aws:(ec2|vpc|lb|alb|eks|iam|route53|wafv2|acm|ecr|rolesanywhere|codeconnections)\/|eks:)/;
        const data = new Set(["aws:ec2/flowLog:FlowLog"]); // priced with the logs it writes (part CD)
        for (const stack of ["prod", "dr", "bootstrap", "dev"])
            for (const mode of ["update", "preview"] as const) {
                const report = costOfPlan(await planOf(stack, mode), stack);
                assert.deepEqual(
                    report.unpriced.filter((u) => ours.test(u.type) && !data.has(u.type)).map((u) => `${stack} ${mode}: ${u.type}: ${u.why}`),
                    [],
                );
            }
    });
});

describe("compute and network pricers on small graphs", () => {
    const cluster = (props: Record<string, unknown>) => resource("eks:index:Cluster", "eks", props, { custom: false });
    const price = (r: PlannedResource[], date = "2026-12-01") => costOf(r, { stack: "t", region: "eu-west-2", date });

    it("charges the extended-support rate once the version's standard support has ended, unless the upgrade policy is STANDARD", () => {
        assert.equal(price([cluster({ version: "1.35" })], "2027-03-27").lines[0].priceKey, "eks.cluster.standard", "the last day is still standard");
        const extended = price([cluster({ version: "1.35" })], "2027-03-28").lines[0];
        assert.equal(extended.priceKey, "eks.cluster.extended");
        near(extended.monthly, 438); // $0.60 per cluster-hour x 730 h
        assert.equal(price([cluster({ version: "1.35", upgradePolicy: { supportType: "STANDARD" } })], "2027-04-01").lines[0].priceKey, "eks.cluster.standard");
        assert.match(price([cluster({ version: "1.29" })]).unpriced[0].why, /no EKS support window/);
        assert.match(price([cluster({ version: UNKNOWN })]).unpriced[0].why, /version is not known/);
    });

    it("reports a SPOT node group, a paid managed rule group, WCUs above 1,500 and a private certificate unpriced", () => {
        const spot = resource("aws:eks/nodeGroup:NodeGroup", "spot", { capacityType: "SPOT", instanceTypes: ["m5.large"], scalingConfig: { desiredSize: 2 } });
        const bot = { name: "bots", statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesBotControlRuleSet" } } };
        const acl = resource("aws:wafv2/webAcl:WebAcl", "acl", { rules: [bot], capacity: 2100 });
        const cert = resource("aws:acm/certificate:Certificate", "cert", { certificateAuthorityArn: "arn:aws:acm-pca:eu-west-2:1:certificate-authority/x" });
        const report = price([spot, acl, cert, resource("aws:acm/certificate:Certificate", "public", { domainName: "x.example" })]);
        assert.deepEqual(
            report.unpriced.map((u) => u.why),
            [
                "SPOT capacity: the price moves with the market and is not in the offline table",
                "no price for waf.managed.AWS.AWSManagedRulesBotControlRuleSet in eu-west-2 (model/prices)",
                "no price for waf.request.wcuAbove1500 in eu-west-2 (model/prices)",
                "a private certificate: AWS Private CA prices are not in the offline table",
            ],
        );
        assert.equal(linesOf(report, "aws:wafv2/webAcl:WebAcl").find((l) => l.priceKey === "waf.ruleMonth")!.quantity, 1);
    });

    it("prices gp3 IOPS and throughput above the free baseline, per node", () => {
        const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", {
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 100, volumeType: "gp3", iops: 6000, throughput: 250 } }],
        });
        const group = resource(
            "aws:eks/nodeGroup:NodeGroup",
            "ng",
            { instanceTypes: ["m5.large"], scalingConfig: { desiredSize: 2 } },
            { dependencies: [template.urn] },
        );
        const lines = price([template, group]).lines;
        assert.deepEqual(
            lines.map((l) => [l.priceKey, l.quantity]),
            [
                ["ec2.instance.m5.large", 1460],
                ["ebs.gp3.gbMonth", 200],
                ["ebs.gp3.iopsMonth", 6000],
                ["ebs.gp3.throughputMonth", 250],
            ],
        );
    });

    it("charges the basic fee of AWS-endpoint health checks only past the first 50", () => {
        const checks = Array.from({ length: 51 }, (_, i) =>
            resource("aws:route53/healthCheck:HealthCheck", `hc-${i}`, { type: "HTTP", fqdn: `lb-${i}.eu-west-2.elb.amazonaws.com`, requestInterval: 30 }),
        );
        const lines = price(checks).lines;
        assert.deepEqual(
            lines.map((l) => [l.urn.split("::").pop(), l.priceKey]),
            [["hc-50", "route53.healthCheck.aws"]],
        );
    });

    it("counts a weighted record set's queries once per name, and alias queries to a load balancer not at all", () => {
        const rec = (name: string, props: Record<string, unknown>) => resource("aws:route53/record:Record", name, { zoneId: "Z1", ...props });
        const lines = price([
            rec("a", { name: "www.example", records: ["203.0.113.1"], weightedRoutingPolicies: [{ weight: 1 }] }),
            rec("b", { name: "www.example.", records: ["203.0.113.2"], weightedRoutingPolicies: [{ weight: 1 }] }),
            rec("c", { name: "lb.example", aliases: [{ name: "x.eu-west-2.elb.amazonaws.com", zoneId: "Z2" }] }),
        ]).lines;
        assert.deepEqual(
            lines.map((l) => l.urn.split("::").pop()),
            ["a"],
        );
    });
});

describe("compute and network cost in preview", () => {
    it("is the update plan's, line for line, for prod and dr (what preview cannot know is joined through dependencies)", async () => {
        const mine = (report: CostReport) =>
            report.lines
                .filter((l) => l.type in COMPUTE_NETWORK.pricers)
                .map((l) => `${l.urn} ${l.priceKey} ${l.quantity} ${l.monthly}`)
                .sort();
        for (const stack of ["prod", "dr"]) {
            const update = costOfPlan(await planOf(stack), stack);
            const preview = costOfPlan(await planOf(stack, "preview"), stack);
            assert.deepEqual(mine(preview), mine(update), stack);
        }
    });
});

describe("compute and network usage keys", () => {
    it("name, in each key's types, every type whose pricer reads it (so the usage file check refuses no real override)", async () => {
        const defaults = Object.fromEntries([...USAGE_ASSUMPTIONS.keys()].map((k) => [k, 1]));
        for (const stack of ["prod", "dr", "bootstrap"]) {
            const report = costOf((await planOf(stack)).resources, { stack, region: REGION[stack], date: "2026-12-01", usage: { defaults, resources: {} } });
            const read = report.lines
                .filter((l) => l.usageBased)
                .flatMap((l) => [...l.assumption!.matchAll(/usage file: (\S+) =/g)].map((m) => [m[1], l.type]));
            assert.ok(read.length >= 5, `${stack} reads usage keys`);
            for (const [key, type] of read) assert.ok(USAGE_ASSUMPTIONS.get(key)?.types?.includes(type), `${key} is read by ${type}`);
        }
    });
});

describe("compute and network price table", () => {
    it("has every entry in both stack regions, with a date, a source page and the unit", () => {
        const keys = (region: string) => new Set(COMPUTE_NETWORK_PRICES.filter((p) => p.region === region).map((p) => p.key));
        assert.deepEqual([...keys("eu-west-1")].sort(), [...keys("eu-west-2")].sort());
        for (const p of COMPUTE_NETWORK_PRICES) {
            assert.match(p.asOf, /^\d{4}-\d{2}-\d{2}$/);
            assert.match(p.source, /^https:\/\/aws\.amazon\.com\//);
            assert.ok(p.unit && p.usd >= 0, p.key);
        }
        assert.equal(new Set(COMPUTE_NETWORK_PRICES.map((p) => `${p.region}|${p.key}`)).size, COMPUTE_NETWORK_PRICES.length, "one entry per key and region");
    });

    it("prices every instance type model/capacity.ts knows, in both regions", () => {
        for (const region of ["eu-west-2", "eu-west-1"])
            for (const type of Object.keys(INSTANCE_TYPES))
                assert.ok(
                    PRICES.some((p) => p.region === region && p.key === `ec2.instance.${type}`),
                    `${type} in ${region}`,
                );
    });
});
