import * as assert from "node:assert/strict";
import { availabilityOf, servingPathOf } from "../../../tools/report/availability";
import { availabilitySection } from "../../../tools/report/terminalReview";
import { verdictLine } from "../../../tools/report/verdict";
import { PlanIndex } from "../../../tools/report/planGraph";
import { DETECTORS, singlePointsOfFailure } from "../../../tools/report/spof";
import { readStackConfig, stackConfigPath, type PlannedResource } from "../../../tools/offline";
import { AWS_SLA, ON_PREM_ASSUMED_SLA, SLA_TABLE, designSla, parallel, serial } from "../../../model/sla";
import { configEditing, planOf, planStack } from "../../support";
import { TYPES, flatConfig, mutate, planOfResources, res, servingGraph } from "./smallGraph";

const CONFIG = flatConfig({ role: "prod" });
const spofs = (resources: PlannedResource[], standby = false) => singlePointsOfFailure(new PlanIndex(resources), { standby });
const only = (resources: PlannedResource[], detector: keyof typeof DETECTORS) => DETECTORS[detector](new PlanIndex(resources), { standby: false });

describe("tools/report/availability", () => {
    it("the SLA table gives each figure with the AWS SLA page it is read from, and designSla composes the same figures", () => {
        for (const [key, e] of Object.entries(SLA_TABLE)) {
            assert.match(e.source, /^https:\/\/aws\.amazon\.com\/[a-z0-9-]+\/sla\/$/, key);
            assert.equal(AWS_SLA[key as keyof typeof AWS_SLA], e.sla);
        }
        assert.equal(designSla().withoutDocuments, serial(1, 0.9999, 0.9995, 0.9999, 0.9995, 0.9999));
    });

    for (const mode of ["update", "preview"] as const) {
        it(`prod (${mode}): the serving path from the graph, no single point of failure, one site short of 99.9%`, async () => {
            const r = availabilityOf(await planOf("prod", mode), readStackConfig(stackConfigPath("prod")));
            assert.deepEqual(
                r.path.map((p) => p.service.split(":")[0].split(" (")[0]),
                [
                    "Amazon Route 53",
                    "AWS WAF",
                    "Elastic Load Balancing",
                    "Amazon EKS",
                    "Amazon EC2",
                    "Amazon RDS Multi-AZ DB instance",
                    "Amazon ElastiCache Multi-AZ",
                    "Amazon S3 Standard",
                ],
            );
            assert.equal(r.composite, serial(...r.path.map((p) => p.sla)));
            assert.deepEqual(r.singlePointsOfFailure, []);
            assert.equal(r.target, 0.999);
            assert.equal(r.meetsTarget, false, "the contractual floors in series: ~99.72%");
            assert.ok(r.compositeWithDr > 0.9999, "the dr stack (Pulumi.dr.yaml) names prod: a parallel site behind Route 53");
            assert.ok(r.compositeWithOnPrem! > r.compositeWithDr, "dr's GSLB has an on-prem member");
        });
    }

    for (const preview of [false, true]) {
        it(`prod with network.singleNatGateway (${preview ? "preview" : "update"}): the real graph's shared NAT gateway is found`, async () => {
            const config = configEditing<{ singleNatGateway?: boolean }>("prod", "hybrid-platform:network", (n) => (n.singleNatGateway = true));
            const r = availabilityOf(await planStack("prod", { config, preview }), config);
            assert.deepEqual(
                r.singlePointsOfFailure.map((s) => [s.type, /3 AZs/.test(s.why)]),
                [["aws:ec2/natGateway:NatGateway", true]],
            );
        });
    }

    it("dr: its own path has the Single-AZ replica; with the primary in parallel it composes above the target", async () => {
        const r = availabilityOf(await planOf("dr"), readStackConfig(stackConfigPath("dr")));
        assert.ok(r.path.some((p) => p.sla === SLA_TABLE.rdsSingleAz.sla && /cross-region replica/.test(p.service)));
        assert.deepEqual(r.singlePointsOfFailure, [], "the standby replica is not judged until it serves");
        const own = serial(...r.path.filter((p) => !/Route 53/.test(p.service)).map((p) => p.sla));
        const primary = (own / SLA_TABLE.rdsSingleAz.sla) * SLA_TABLE.rdsMultiAz.sla;
        assert.ok(Math.abs(r.compositeWithDr - parallel(own, primary)) < 1e-12);
        assert.ok(Math.abs(r.compositeWithOnPrem! - parallel(own, primary, ON_PREM_ASSUMED_SLA)) < 1e-12);
    });

    it("dr with its primary's plan (what the plan tool runs for dr): the primary's path comes from that graph", async () => {
        const config = readStackConfig(stackConfigPath("dr"));
        const prod = await planOf("prod");
        const r = availabilityOf(await planOf("dr"), config, { peer: prod });
        const own = serial(...r.path.filter((p) => !/Route 53/.test(p.service)).map((p) => p.sla));
        const primary = serial(
            ...servingPathOf(new PlanIndex(prod.resources))
                .filter((p) => p.key !== "route53")
                .map((p) => p.sla),
        );
        assert.equal(r.compositeWithDr, parallel(own, primary));
        assert.ok(r.assumptions!.some((a) => /from its own plan/.test(a)));
    });

    it("bootstrap serves nothing: no serving path (DNS alone is not one), and its verdict states no SLA", async () => {
        const plan = await planOf("bootstrap");
        const a = availabilityOf(plan, readStackConfig(stackConfigPath("bootstrap")));
        assert.deepEqual(a.path, []);
        assert.doesNotMatch(verdictLine({ ...plan, availability: a }), /SLA/);
        assert.match(availabilitySection(a).join("\n"), /no serving path/);
    });

    it("builds the path from what the graph declares: no WAF, a Single-AZ database, a cache without failover", () => {
        const g = mutate(
            mutate(
                servingGraph().filter((r) => r.type !== "aws:wafv2/webAclAssociation:WebAclAssociation"),
                "aws:rds/instance:Instance",
                "db",
                (p) => (p.multiAz = false),
            ),
            "aws:elasticache/replicationGroup:ReplicationGroup",
            "cache",
            (p) => (p.automaticFailoverEnabled = false),
        );
        const path = servingPathOf(new PlanIndex(g)).map((p) => p.key);
        assert.deepEqual(path, ["route53", "alb", "eks", "ec2Region", "rdsSingleAz", "elasticacheSingleAz", "s3Standard"]);
        const r = availabilityOf(planOfResources(g), CONFIG, { drSite: { present: false, onPremMember: false } });
        assert.equal(r.compositeWithDr, r.composite);
        assert.equal(r.compositeWithOnPrem, null);
    });

    describe("single points of failure", () => {
        for (const preview of [false, true]) {
            it(`the small serving graph has none (${preview ? "preview" : "update"})`, () => assert.deepEqual(spofs(servingGraph({ preview })), []));
        }

        it("one NAT gateway routing several AZs", () => {
            for (const preview of [false, true]) {
                const g = servingGraph({ preview });
                const natA = g.find((r) => r.name === "nat-0")!;
                const shared = g.map((r) =>
                    r.type === TYPES.route && r.name === "egress-1"
                        ? {
                              ...r,
                              propertyDependencies: { ...r.propertyDependencies, natGatewayId: [natA.urn] },
                              props: { ...r.props, natGatewayId: preview ? r.props.natGatewayId : "nat-0" },
                          }
                        : r,
                );
                const found = only(shared, "sharedNat");
                assert.equal(found.length, 1);
                assert.equal(found[0].urn, natA.urn);
                assert.match(found[0].why, /2 AZs \(eu-west-2a, eu-west-2b\)/);
            }
        });

        it("a Single-AZ database (a standby's replica only once it serves)", () => {
            const single = mutate(servingGraph(), "aws:rds/instance:Instance", "db", (p) => (p.multiAz = false));
            assert.match(only(single, "singleAzDatabase")[0].why, /Single-AZ DB instance/);
            const replica = mutate(single, "aws:rds/instance:Instance", "db", (p) => (p.replicateSourceDb = "arn:aws:rds:eu-west-2:1:db:primary"));
            assert.deepEqual(spofs(replica, true), []);
            assert.match(spofs(replica, false)[0].why, /promoted replica/);
        });

        it("a cache without automatic failover, Multi-AZ or a replica", () => {
            for (const edit of [
                (p: Record<string, unknown>) => (p.automaticFailoverEnabled = false),
                (p: Record<string, unknown>) => (p.multiAzEnabled = false),
                (p: Record<string, unknown>) => (p.replicasPerNodeGroup = 0),
            ]) {
                assert.equal(
                    only(mutate(servingGraph(), "aws:elasticache/replicationGroup:ReplicationGroup", "cache", edit), "cacheWithoutFailover").length,
                    1,
                );
            }
        });

        it("node groups in one AZ, or able to shrink to one node", () => {
            assert.match(
                only(servingGraph({ azs: ["eu-west-2a"] }), "nodeGroups")
                    .map((s) => s.why)
                    .join(" "),
                /span 1 AZ/,
            );
            const one = servingGraph({ azs: ["eu-west-2a", "eu-west-2b"], nodesPerAz: 0 });
            const tiny = mutate(one, TYPES.group, "nodes-0", (p) => ((p.scalingConfig as { minSize: number }).minSize = 1));
            assert.match(only(tiny, "nodeGroups")[0].why, /shrink to 1 node/);
        });

        it("a serving Deployment with one replica or no PodDisruptionBudget", () => {
            const one = mutate(
                mutate(servingGraph(), TYPES.deployment, "django-web", (p) => ((p.spec as { replicas: number }).replicas = 1)),
                TYPES.hpa,
                "django-web",
                (p) => ((p.spec as { minReplicas: number }).minReplicas = 1),
            );
            assert.match(only(one, "servingDeployments")[0].why, /1 replica/);
            const noPdb = servingGraph().filter((r) => r.type !== TYPES.pdb);
            assert.match(only(noPdb, "servingDeployments")[0].why, /no PodDisruptionBudget/);
            assert.deepEqual(
                only(
                    mutate(servingGraph(), TYPES.deployment, "fastapi-api", (p) => ((p.spec as { replicas: number }).replicas = 1)),
                    "servingDeployments",
                ),
                [],
                "not behind the ALB",
            );
        });

        it("an ALB in one subnet", () => {
            assert.equal(
                only(
                    mutate(servingGraph(), "aws:lb/loadBalancer:LoadBalancer", "alb", (p) => (p.subnets = ["subnet-pub-0"])),
                    "albSubnets",
                ).length,
                1,
            );
        });

        it("one VPN connection with static routes only", () => {
            const vpn = (staticRoutesOnly: boolean) => [...servingGraph(), res("aws:ec2/vpnConnection:VpnConnection", "vpn", { staticRoutesOnly })];
            assert.deepEqual(only(vpn(false), "vpnStatic"), []);
            assert.match(only(vpn(true), "vpnStatic")[0].why, /static routes/);
        });
    });
});
