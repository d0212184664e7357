import * as assert from "node:assert/strict";
import fc from "fast-check";
import { MIN_AUTOSCALING_MARGIN, databaseStorage } from "../../model/storage";

describe("model/storage databaseStorage", () => {
    it("sizes the seed's database: 1 TB allocated, ceiling 2 TB projected over 5 years plus 20% headroom", () => {
        assert.deepEqual(databaseStorage({ initialGb: 1000, annualGrowthGb: 200, years: 5 }), {
            allocatedStorage: 1000,
            maxAllocatedStorage: 2400,
            projectedGb: 2000,
        });
    });

    it("keeps RDS's minimum 10% autoscaling margin when no growth is expected", () => {
        assert.equal(databaseStorage({ initialGb: 1000, annualGrowthGb: 0, years: 5, headroomPercent: 0 }).maxAllocatedStorage, 1100);
    });

    it("rejects impossible inputs", () => {
        assert.throws(() => databaseStorage({ initialGb: 10, annualGrowthGb: 200, years: 5 }), RangeError);
        assert.throws(() => databaseStorage({ initialGb: 1000, annualGrowthGb: -1, years: 5 }), RangeError);
        assert.throws(() => databaseStorage({ initialGb: 1000, annualGrowthGb: 200, years: Number.NaN }), RangeError);
    });

    const inputs = fc.record({
        initialGb: fc.integer({ min: 20, max: 65_536 }),
        annualGrowthGb: fc.integer({ min: 0, max: 10_000 }),
        years: fc.integer({ min: 1, max: 20 }),
        headroomPercent: fc.integer({ min: 0, max: 200 }),
    });

    it("property: the ceiling covers initial + growth x years with headroom, and RDS's margin", () => {
        fc.assert(
            fc.property(inputs, (input) => {
                const plan = databaseStorage(input);
                assert.equal(plan.allocatedStorage, input.initialGb);
                assert.ok(plan.projectedGb >= input.initialGb + input.annualGrowthGb * input.years);
                assert.ok(plan.maxAllocatedStorage * 100 >= plan.projectedGb * (100 + input.headroomPercent));
                assert.ok(plan.maxAllocatedStorage >= plan.allocatedStorage * MIN_AUTOSCALING_MARGIN);
                assert.ok(Number.isInteger(plan.maxAllocatedStorage));
            }),
        );
    });

    it("property: more growth or a longer horizon never lowers the ceiling", () => {
        fc.assert(
            fc.property(inputs, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 5 }), (input, moreGrowth, moreYears) => {
                const base = databaseStorage(input).maxAllocatedStorage;
                assert.ok(databaseStorage({ ...input, annualGrowthGb: input.annualGrowthGb + moreGrowth }).maxAllocatedStorage >= base);
                assert.ok(databaseStorage({ ...input, years: input.years + moreYears }).maxAllocatedStorage >= base);
            }),
        );
    });
});
