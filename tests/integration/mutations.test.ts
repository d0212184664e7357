/**
 * The mutation table's own checks, and config opt-outs the pack reports on the real program. The
 * table's rows run in tests/integration/mutations/<stack>-<mode>.test.ts (see mutationSuite.ts).
 */
import * as assert from "node:assert/strict";
import { evaluatePlan } from "../../tools/policyRunner";
import { MUTATIONS, Mode } from "./mutationTable";
import { configWith, planStack } from "../support";
import { isDeclaredOptOut } from "../support/policyFixtures";

const MODES: Mode[] = ["update", "preview"];

describe("mutation suite on the real stacks", () => {
    it(`has at least 30 single-fault mutations with distinct ids (${MUTATIONS.length})`, () => {
        assert.ok(MUTATIONS.length >= 30);
        assert.equal(new Set(MUTATIONS.map((m) => m.id)).size, MUTATIONS.length);
    });
});

describe("config opt-outs are reported by the pack (the real program, not a mutation)", () => {
    const network = (changes: Record<string, unknown>) => {
        const current = JSON.parse(configWith("dr", {})["hybrid-platform:network"]);
        return configWith("dr", { "hybrid-platform:network": JSON.stringify({ ...current, ...changes }) });
    };

    for (const mode of MODES) {
        it(`network.singleNatGateway -> nat-gateway-per-az (${mode})`, async () => {
            const plan = await planStack("dr", { config: network({ singleNatGateway: true }), preview: mode === "preview" });
            const violations = (await evaluatePlan(plan)).filter((v) => !isDeclaredOptOut(v.message));
            assert.deepEqual([...new Set(violations.map((v) => `${v.policy}:${v.enforcementLevel}`))], ["nat-gateway-per-az:mandatory"]);
            assert.equal(violations.length, 2, "private subnets b and c egress through AZ a's NAT gateway");
        });

        it(`network.azCount 2 -> tier-subnets-span-azs (${mode})`, async () => {
            const plan = await planStack("dr", { config: network({ azCount: 2 }), preview: mode === "preview" });
            const violations = await evaluatePlan(plan);
            // Two AZs: the tiers' subnets and the pilot light's node groups (one per AZ) both fall short of three.
            assert.deepEqual([...new Set(violations.filter((v) => !isDeclaredOptOut(v.message)).map((v) => v.policy))].sort(), [
                "node-groups-span-azs",
                "tier-subnets-span-azs",
            ]);
        });
    }
});
