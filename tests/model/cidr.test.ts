import * as assert from "node:assert/strict";
import fc from "fast-check";
import { contains, formatCidr, mustParseCidr, overlaps, parseCidr, planSubnets, tierCidrs, TIERS } from "../../model/cidr";

describe("model/cidr", () => {
    it("parses strictly: host bits, octets, prefix", () => {
        assert.deepEqual(parseCidr("10.10.0.0/16"), { base: 10 * 2 ** 24 + 10 * 2 ** 16, prefix: 16 });
        for (const bad of ["10.10.0.1/16", "10.10.0.0/33", "10.10.0/16", "256.0.0.0/8", "10.0.0.0", "010.0.0.0/8", "a.b.c.d/8"]) {
            assert.equal(parseCidr(bad), undefined, bad);
        }
    });

    it("plans the seed's prod VPC: private /19s, public and isolated /21s, a quarter reserved", () => {
        const plan = planSubnets("10.10.0.0/16", 3);
        assert.deepEqual(tierCidrs(plan, "private"), ["10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19"]);
        assert.deepEqual(tierCidrs(plan, "public"), ["10.10.128.0/21", "10.10.136.0/21", "10.10.144.0/21"]);
        assert.deepEqual(tierCidrs(plan, "isolated"), ["10.10.160.0/21", "10.10.168.0/21", "10.10.176.0/21"]);
    });

    it("refuses a VPC too small for the AZ count", () => {
        assert.throws(() => planSubnets("10.0.0.0/24", 3), /too small/);
    });

    const vpcArb = fc
        .record({
            a: fc.integer({ min: 0, max: 255 }),
            b: fc.integer({ min: 0, max: 255 }),
            c: fc.integer({ min: 0, max: 255 }),
            prefix: fc.integer({ min: 16, max: 20 }),
        })
        .map(({ a, b, c, prefix }) =>
            formatCidr({ base: Math.floor((a * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8) / 2 ** (32 - prefix)) * 2 ** (32 - prefix), prefix }),
        );

    it("property: every subnet lies in the VPC, none overlap, one per tier per AZ", () => {
        fc.assert(
            fc.property(vpcArb, fc.integer({ min: 1, max: 6 }), (vpc, azCount) => {
                const plan = planSubnets(vpc, azCount);
                const vpcBlock = mustParseCidr(vpc);
                assert.equal(plan.length, azCount * TIERS.length);
                for (const s of plan) assert.ok(contains(vpcBlock, mustParseCidr(s.cidr)), `${s.cidr} outside ${vpc}`);
                for (let i = 0; i < plan.length; i++) {
                    for (let j = i + 1; j < plan.length; j++) assert.ok(!overlaps(mustParseCidr(plan[i].cidr), mustParseCidr(plan[j].cidr)));
                }
                for (let az = 0; az < azCount; az++) {
                    for (const tier of TIERS) assert.equal(plan.filter((s) => s.az === az && s.tier === tier).length, 1);
                }
                // The tier that holds every pod gets the most addresses.
                const size = (tier: string) => 2 ** (32 - mustParseCidr(plan.find((s) => s.tier === tier)!.cidr).prefix);
                assert.ok(size("private") >= 4 * size("public") && size("private") >= 4 * size("isolated"));
            }),
        );
    });
});
