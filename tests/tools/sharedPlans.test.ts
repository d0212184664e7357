/** The test harness's sharing between mocha's parallel workers (tests/support/sharedPlans.ts), two workers simulated in one process. */
import * as assert from "node:assert/strict";
import { mochaGlobalSetup, mochaGlobalTeardown, shared } from "../support/sharedPlans";

describe("whole-stack plans shared by parallel workers", () => {
    const saved = { ...process.env };
    beforeEach(() => {
        process.env.MOCHA_WORKER_ID = "0";
        mochaGlobalSetup();
    });
    afterEach(() => {
        mochaGlobalTeardown();
        for (const key of ["MOCHA_WORKER_ID", "HYBRID_TEST_SHARED_PLANS"]) {
            if (saved[key] === undefined) delete process.env[key];
            else process.env[key] = saved[key];
        }
    });

    it("computes a result once and hands the others a copy", async () => {
        let computed = 0;
        const compute = async () => {
            computed++;
            await new Promise((resolve) => setTimeout(resolve, 200));
            return { stack: "prod", resources: [{ urn: "urn:x" }] };
        };
        const [first, second] = await Promise.all([shared("prod:update", compute), shared("prod:update", compute)]);
        assert.equal(computed, 1);
        assert.deepEqual(second, first);
        assert.notEqual(second, first, "a copy read from the shared file");
    });

    it("lets the others compute for themselves when the first one fails, so each sees the error", async () => {
        const failing = shared("dr:update", async () => {
            await new Promise((resolve) => setTimeout(resolve, 100));
            throw new Error("program failed");
        });
        const other = shared("dr:update", async () => "computed again");
        await assert.rejects(failing, /program failed/);
        assert.equal(await other, "computed again");
    });

    it("computes in the process itself outside a parallel run", async () => {
        delete process.env.MOCHA_WORKER_ID;
        let computed = 0;
        await Promise.all([shared("k", async () => ++computed), shared("k", async () => ++computed)]);
        assert.equal(computed, 2);
    });
});
