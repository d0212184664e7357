/**
 * The mutation suite's rows for one stack and mode (tests/integration/mutations/<stack>-<mode>.test.ts,
 * one file each so that mocha's parallel workers share them): the unmutated plan passes the whole pack,
 * and every single-fault mutation of the table makes `npm run policy` exit 1 with the intended policy
 * among its SARIF errors (the unmutated plan through the CLI and its files, the whole pack; each mutation
 * through the same steps in memory, evaluated by the policy it targets: the verdict asserted is that
 * policy's mandatory error, which the rest of the pack cannot add or take away, and the analyzer
 * re-reads the whole graph once per stack policy, so the whole pack would cost ~20x as much per row).
 */
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { allPolicies } from "../../policy/policies";
import { Plan } from "../../tools/offline";
import { runPolicy } from "../../tools/policy";
import { PACK_VERSION, analyzeResources, loadPolicyConfig, stackPolicyConfigPath } from "../../tools/policyRunner";
import { SarifLog, toSarif } from "../../tools/sarif";
import { MUTATIONS, Mode, Mutator, StackName } from "./mutationTable";
import { planOf } from "../support";
import { isDeclaredOptOut } from "../support/policyFixtures";

interface Verdict {
    code: number;
    errors: string[];
    all: SarifLog["runs"][0]["results"];
}

const verdictOf = (code: number, log: SarifLog): Verdict => {
    const results = log.runs[0].results;
    return { code, errors: results.filter((r) => r.level === "error").map((r) => r.ruleId), all: results };
};

/** Runs the CLI's code path on a plan written to disk; returns the exit code and the SARIF results. */
async function policyRun(plan: Plan): Promise<Verdict> {
    const dir = mkdtempSync(path.join(tmpdir(), "hybrid-mutations-"));
    try {
        const file = path.join(dir, "plan.json");
        const sarif = path.join(dir, "plan.sarif");
        writeFileSync(file, JSON.stringify(plan));
        const code = await runPolicy({ resources: file, sarif }, () => undefined);
        return verdictOf(code, JSON.parse(readFileSync(sarif, "utf8")) as SarifLog);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * What policyRun returns for `policy`, without the disk: the plan as the CLI reads it back (a JSON round trip drops
 * what JSON cannot hold, e.g. a prop set to undefined), the stack's policy config, the same analyzer and
 * SARIF. The baseline rows go through the CLI itself (policyRun), so its reading stays covered.
 */
async function policyVerdict(plan: Plan, policy: string): Promise<Verdict> {
    const { stack, resources } = JSON.parse(JSON.stringify(plan)) as Plan;
    const configFile = stackPolicyConfigPath(stack);
    const policies = allPolicies.filter((p) => p.name === policy);
    assert.equal(policies.length, 1, `the pack has a policy named ${policy}`);
    const diagnostics = await analyzeResources(resources, { config: existsSync(configFile) ? loadPolicyConfig(configFile) : {}, policies });
    const code = diagnostics.some((d) => d.enforcementLevel === "mandatory") ? 1 : 0;
    return verdictOf(code, toSarif(diagnostics, allPolicies, { version: PACK_VERSION, artifactUri: `Pulumi.${stack}.yaml` }));
}

export function describeMutations(stack: StackName, mode: Mode): void {
    describe("mutation suite on the real stacks", () => {
        describe(`${stack} (${mode})`, () => {
            it("the unmutated plan passes every policy with no diagnostic but declared opt-outs", async () => {
                const { code, all } = await policyRun(structuredClone(await planOf(stack, mode)));
                assert.deepEqual(
                    all.filter((r) => !isDeclaredOptOut(r.message.text)).map((r) => `${r.ruleId}: ${r.message.text}`),
                    [],
                );
                assert.equal(code, 0);
            });
            for (const mutation of MUTATIONS.filter((m) => m.stacks.includes(stack))) {
                it(`${mutation.id}: ${mutation.fault} -> ${mutation.policy}`, async () => {
                    const plan = structuredClone(await planOf(stack, mode));
                    mutation.apply(new Mutator(plan, mode));
                    const { code, errors } = await policyVerdict(plan, mutation.policy);
                    assert.equal(code, 1, `exit code (errors: ${errors.join(", ")})`);
                    assert.ok(errors.includes(mutation.policy), `expected ${mutation.policy} among ${JSON.stringify(errors)}`);
                });
            }
        });
    });
}
