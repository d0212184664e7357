import * as assert from "node:assert/strict";
import fc from "fast-check";
import { designSla, errorBudgetMinutes, parallel, serial } from "../../model/sla";

describe("model/sla", () => {
    it("gives 99.9% a 43.2-minute monthly error budget", () => {
        assert.ok(Math.abs(errorBudgetMinutes(0.999) - 43.2) < 1e-9);
        assert.ok(Math.abs(errorBudgetMinutes(0.999, 365) - 525.6) < 1e-9);
    });

    it("shows plainly that the contractual SLAs in series fall short of 99.9%", () => {
        const report = designSla();
        assert.equal(report.meetsTarget, false);
        assert.ok(report.requestPath < 0.999 && report.requestPath > 0.997, String(report.requestPath));
        assert.ok(report.withoutDocuments > report.requestPath);
        assert.ok(report.composedDowntimeMinutes > report.monthlyBudgetMinutes);
    });

    const availability = fc.double({ min: 0, max: 1, noNaN: true });

    it("property: serial never beats its weakest part, parallel never falls below its strongest", () => {
        fc.assert(
            fc.property(fc.array(availability, { minLength: 1, maxLength: 6 }), (parts) => {
                assert.ok(serial(...parts) <= Math.min(...parts) + 1e-12);
                assert.ok(parallel(...parts) >= Math.max(...parts) - 1e-12);
            }),
        );
    });

    it("rejects values outside [0, 1]", () => {
        assert.throws(() => serial(1.2), RangeError);
        assert.throws(() => errorBudgetMinutes(-0.1), RangeError);
    });
});
