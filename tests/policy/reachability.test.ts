/**
 * declared-flows-hold on the real plans, both stacks and both modes: every intended flow admitted (or, in
 * preview, unknown where addresses are computed, never blocked), every forbidden flow blocked; and each
 * reachability mutation of the table caught by a violation that names its flow and layer.
 */
import * as assert from "node:assert/strict";
import { FLOWS } from "../../model/flows";
import { declaredFlowsHold } from "../../policy/reachability";
import { flowsOf } from "../../tools/flows";
import { analyzeResources } from "../../tools/policyRunner";
import { MUTATIONS, Mode, Mutator } from "../integration/mutationTable";
import { planOf } from "../support";

/** Flows a stack has no ends for: no postgres rotation function in either stack (RDS rotates itself?), dr's pilot light has no log search domain nor cache rotation. */
const ABSENT: Record<string, string[]> = {
    prod: ["rotation-to-postgres", "rotation-to-secretsmanager-endpoint"],
    dr: [
        "rotation-to-postgres",
        "rotation-to-secretsmanager-endpoint",
        "shippers-to-opensearch",
        "cache-rotation-to-secretsmanager-endpoint",
        "cache-rotation-to-elasticache-endpoint",
    ],
};
/** Each reachability row of tests/integration/mutationTable.ts and the flow its violation must name. */
const MUTATION_FLOWS: Record<string, { flow: string; layer: string }> = {
    "reach-sg-narrowed": { flow: "pods-to-postgres", layer: "securityGroup" },
    "reach-nacl-rule-dropped": { flow: "pods-to-redis", layer: "nacl" },
    "reach-np-except": { flow: "pods-to-postgres", layer: "networkPolicy" },
    "reach-isolated-nat-route": { flow: "data-tier-to-internet", layer: "route" },
    "reach-old-isolated-nacl": { flow: "shippers-to-opensearch", layer: "nacl" },
    "reach-old-network-policy": { flow: "pods-to-sts-endpoint", layer: "networkPolicy" },
};

const messages = async (resources: Parameters<typeof analyzeResources>[0]) =>
    (await analyzeResources(resources, { policies: [declaredFlowsHold] })).filter((d) => d.enforcementLevel === "mandatory").map((d) => d.message);

for (const stack of ["prod", "dr"] as const) {
    for (const mode of ["update", "preview"] as const satisfies readonly Mode[]) {
        describe(`declared-flows-hold on the ${stack} plan (${mode})`, () => {
            it("admits every intended flow and blocks every forbidden one; the policy reports nothing", async () => {
                const plan = await planOf(stack, mode);
                const rows = await flowsOf(plan.resources);
                assert.deepEqual(
                    rows.map((r) => r.name),
                    FLOWS.map((f) => f.name),
                );
                for (const r of rows) {
                    if (ABSENT[stack].includes(r.name)) {
                        assert.equal(r.admitted, "absent", r.name);
                        continue;
                    }
                    const expected = mode === "update" ? [r.intended] : [r.intended, "unknown"];
                    assert.ok(expected.includes(r.admitted as boolean), `${r.name}: ${r.admitted} ${JSON.stringify(r.layers)}`);
                    assert.equal(r.layers.length, 4);
                }
                // Preview still decides what its literals decide (CIDRs, ports, NACLs): not everything is "unknown".
                assert.ok(rows.filter((r) => typeof r.admitted === "boolean").length >= 15, "decided in preview too");
                assert.deepEqual(await messages(plan.resources), []);
            });

            for (const mutation of MUTATIONS.filter((m) => m.id in MUTATION_FLOWS && m.stacks.includes(stack))) {
                const { flow, layer } = MUTATION_FLOWS[mutation.id];
                it(`${mutation.id}: reported as ${flow}, at the ${layer} layer`, async () => {
                    const plan = structuredClone(await planOf(stack, mode));
                    mutation.apply(new Mutator(plan, mode));
                    const found = await messages(JSON.parse(JSON.stringify(plan.resources)));
                    assert.ok(
                        found.some((m) => m.includes(`flow ${flow} (`) && m.includes(`${layer} layer`)),
                        `expected ${flow} at ${layer} in ${JSON.stringify(found)}`,
                    );
                });
            }
        });
    }
}
