import * as assert from "node:assert/strict";
import fc from "fast-check";
import { capacityOf } from "../../../tools/report/capacity";
import { readStackConfig, stackConfigPath } from "../../../tools/offline";
import { INSTANCE_TYPES, fits, nodePlan } from "../../../model/capacity";
import { dbClassFor, storageInYear, usersInYear } from "../../../model/capacityGrowth";
import { HOURS_PER_MONTH } from "../../../model/prices";
import { planOf } from "../../support";
import { TYPES, flatConfig, mutate, planOfResources, servingGraph } from "./smallGraph";

const DATE = "2026-12-01";
const CONFIG = flatConfig({ role: "prod", capacity: { concurrentUsers: 1000, targetUsers: 10000, growthYears: 5 }, app: { instanceType: "m5.xlarge" } });
const RATES: Record<string, number> = { "ec2.instance.m5.xlarge": 0.2, "rds.storage.gp3.multiAz": 0.25 };
const stubPrices = (key: string) => (key in RATES ? { usd: RATES[key] } : key.startsWith("rds.instance.") ? { usd: 1 } : undefined);
const report = (resources = servingGraph(), config = CONFIG) => capacityOf(planOfResources(resources), config, DATE, stubPrices)!;

describe("tools/report/capacity", () => {
    for (const mode of ["update", "preview"] as const) {
        it(`prod (${mode}): 3 x m5.xlarge per AZ carry 1,000 users after an AZ loss, with no finding against the declared groups`, async () => {
            const r = capacityOf(await planOf("prod", mode), readStackConfig(stackConfigPath("prod")), DATE)!;
            assert.equal(r.azCount, 3);
            assert.equal(r.declaredNodes, 9);
            assert.equal(r.requiredNodesPerAz, 3);
            assert.deepEqual(new Set(r.nodeGroups.map((g) => g.az)), new Set(["eu-west-2a", "eu-west-2b", "eu-west-2c"]));
            assert.ok(r.headroomAfterAzLoss.fits, JSON.stringify(r.headroomAfterAzLoss));
            assert.deepEqual(
                r.findings.filter((f) => /node group|HPA|largest AZ/i.test(f)),
                [],
            );
            assert.deepEqual(
                r.projection.map((y) => y.year),
                [0, 1, 2, 3, 4, 5],
            );
            assert.equal(r.projection[5].users, 10_000);
            assert.equal(r.projection[5].nodesPerAz, 21, "the node groups' max (21) is what 10,000 users need");
        });
    }

    it("bootstrap has no app cluster: null", async () => {
        assert.equal(capacityOf(await planOf("bootstrap"), readStackConfig(stackConfigPath("bootstrap")), DATE), null);
    });

    it("dr in standby reports the pilot light and what a failover scale-up needs", async () => {
        const r = capacityOf(await planOf("dr"), readStackConfig(stackConfigPath("dr")), DATE)!;
        assert.equal(r.declaredNodes, 3);
        assert.ok(
            r.findings.some((f) => /^Pilot light: 3 nodes \(1 per AZ\).*needs 3 per AZ \(\+6 nodes\)/.test(f)),
            r.findings.join("\n"),
        );
        assert.ok(r.headroomAfterAzLoss.fits, "the pilot light's own pods survive an AZ loss");
    });

    it("checks the seed's sizing in one sentence: 6 x m5.large are short for 1,000 users", () => {
        const s = report().seedSizing;
        assert.equal(s.sufficient, false);
        assert.equal(s.shortfallSlots, 18);
        assert.equal(s.requiredNodesPerAz, 7);
        assert.equal(s.summary.split(". ").length, 1, s.summary);
        assert.match(s.summary, /only 8 backend slots .* 18 short of the 26/);
    });

    it("finds declared node groups below need, node maxima below the target, and HPA maxima no node can hold", () => {
        assert.deepEqual(
            report().findings.filter((f) => !/pools/.test(f)),
            [],
        );
        const small = report(servingGraph({ nodesPerAz: 2 }));
        assert.ok(
            small.findings.some((f) => /run 2 node\(s\) in their smallest AZ, below the 3 per AZ/.test(f)),
            small.findings.join("\n"),
        );
        assert.equal(small.headroomAfterAzLoss.fits, false, "4 surviving m5.xlarge hold 24 backend slots, not 26");
        const capped = report(servingGraph({ maxPerAz: 10 }));
        assert.ok(capped.findings.some((f) => /max out at 10 per AZ, below the 21/.test(f)));
        assert.ok(capped.findings.some((f) => /HPA maxima .* exceed what the node groups' maxima hold/.test(f)));
        const lowHpa = report(mutate(servingGraph(), TYPES.hpa, "django-web", (p) => ((p.spec as { minReplicas: number }).minReplicas = 2)));
        assert.ok(lowHpa.findings.some((f) => /HPA djangoWeb minimum 2 is below the 10/.test(f)));
        assert.ok(small.findings.some((f) => /After losing the largest AZ the declared nodes hold 24 backend slots, short of the 26/.test(f)));
    });

    it("prices each projection year from the price table: nodes x hours + the database class + storage", () => {
        const r = report();
        const y0 = r.projection[0];
        assert.equal(y0.nodes, 9);
        assert.equal(y0.dbInstanceClass, "db.m5.xlarge");
        assert.equal(y0.storageGb, 1000);
        const hours = HOURS_PER_MONTH * 12;
        assert.ok(Math.abs(y0.yearlyUsd - (9 * 0.2 * hours + 1 * hours + 1000 * 0.25 * 12)) < 0.01, String(y0.yearlyUsd));
        const none = capacityOf(planOfResources(servingGraph()), CONFIG, DATE, () => undefined)!;
        assert.equal(none.projection[0].yearlyUsd, 0);
        assert.ok(
            none.findings.some((f) => /leave out ec2\.instance\.m5\.xlarge, rds\.instance\.db\.m5\.xlarge\.multiAz, rds\.storage\.gp3\.multiAz/.test(f)),
            none.findings.join("\n"),
        );
    });

    it("scales the database vertically when the pools' connections outgrow 80% of max_connections, and says so", () => {
        const r = report();
        assert.deepEqual(
            r.projection.map((y) => y.dbInstanceClass),
            ["db.m5.xlarge", "db.m5.xlarge", "db.m5.xlarge", "db.m5.2xlarge", "db.m5.2xlarge", "db.m5.4xlarge"],
        );
        assert.ok(r.findings.some((f) => /outgrow db\.m5\.xlarge by year 3: db\.m5\.4xlarge by year 5/.test(f)));
        assert.equal(dbClassFor(100, "db.m5.xlarge", 80).instanceClass, "db.m5.xlarge", "never below the configured class");
        assert.equal(dbClassFor(4500, "db.m5.xlarge", 80).fits, false, "max_connections caps at 5000: a pooler is needed");
    });

    describe("properties", () => {
        const types = fc.constantFrom(...Object.keys(INSTANCE_TYPES));
        const azs = fc.integer({ min: 2, max: 6 });
        const users = fc.integer({ min: 0, max: 50_000 });

        it("more users never need fewer nodes", () => {
            fc.assert(
                fc.property(users, users, types, azs, (a, b, t, z) => nodePlan(Math.min(a, b), t, z).totalNodes <= nodePlan(Math.max(a, b), t, z).totalNodes),
            );
        });

        it("the plan after losing an AZ always holds the whole demand", () => {
            fc.assert(fc.property(users, types, azs, (u, t, z) => fits(nodePlan(u, t, z).survivingCapacity, nodePlan(u, t, z).demand)));
        });

        it("the growth curve rises monotonically from today's users to the target exactly", () => {
            fc.assert(
                fc.property(
                    fc.integer({ min: 1, max: 20_000 }),
                    fc.integer({ min: 0, max: 100_000 }),
                    fc.integer({ min: 1, max: 10 }),
                    (today, extra, years) => {
                        const target = today + extra;
                        const curve = Array.from({ length: years + 1 }, (_, y) => usersInYear(today, target, years, y));
                        assert.equal(curve[0], today);
                        assert.equal(curve[years], target);
                        curve.slice(1).forEach((u, i) => assert.ok(u >= curve[i], curve.join(",")));
                    },
                ),
            );
        });

        it("the projection is monotone in users, nodes, storage and database size", () => {
            const size = (c: string) => ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"].indexOf(c.split(".").pop()!);
            fc.assert(
                fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 20_000 }), (today, extra) => {
                    const cfg = flatConfig({ role: "prod", capacity: { concurrentUsers: today, targetUsers: today + extra, growthYears: 5 } });
                    const p = report(servingGraph(), cfg).projection;
                    p.slice(1).forEach((y, i) => {
                        assert.ok(y.users >= p[i].users && y.nodes >= p[i].nodes && y.storageGb > p[i].storageGb);
                        assert.ok(size(y.dbInstanceClass) >= size(p[i].dbInstanceClass));
                        assert.ok(y.yearlyUsd >= p[i].yearlyUsd);
                    });
                }),
                { numRuns: 40 },
            );
            assert.equal(storageInYear(1000, 200, 5), 2000);
        });
    });
});
