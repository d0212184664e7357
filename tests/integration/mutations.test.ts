/**
 * Mutation suite: the unmutated prod and dr plans pass the whole pack, and every
 * single-fault mutation of the table (mutationTable.ts) makes `npm run policy` exit 1
 * with the intended policy among its SARIF errors, in update and preview modes (the unmutated
 * plans through the CLI and its files, the mutations through the same steps in memory).
 */
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { allPolicies } from "../../policy/policies";
import { Plan } from "../../tools/offline";
import { runPolicy } from "../../tools/policy";
import { PACK_VERSION, analyzeResources, evaluatePlan, loadPolicyConfig, stackPolicyConfigPath } from "../../tools/policyRunner";
import { SarifLog, toSarif } from "../../tools/sarif";
import { MUTATIONS, Mode, Mutator, StackName } from "./mutationTable";
import { configWith, planOf, planStack } from "../support";
import { isDeclaredOptOut } from "../support/policyFixtures";

const dir = mkdtempSync(path.join(tmpdir(), "hybrid-mutations-"));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Verdict {
    code: number;
    errors: string[];
    all: SarifLog["runs"][0]["results"];
}

const verdictOf = (code: number, log: SarifLog): Verdict => {
    const results = log.runs[0].results;
    return { code, errors: results.filter((r) => r.level === "error").map((r) => r.ruleId), all: results };
};

let n = 0;
/** Runs the CLI's code path on a plan written to disk; returns the exit code and the SARIF results. */
async function policyRun(plan: Plan): Promise<Verdict> {
    const file = path.join(dir, `plan-${++n}.json`);
    const sarif = path.join(dir, `plan-${n}.sarif`);
    writeFileSync(file, JSON.stringify(plan));
    const code = await runPolicy({ resources: file, sarif }, () => undefined);
    return verdictOf(code, JSON.parse(readFileSync(sarif, "utf8")) as SarifLog);
}

/**
 * What policyRun returns, without the disk: the plan as the CLI reads it back (a JSON round trip drops
 * what JSON cannot hold, e.g. a prop set to undefined), the stack's policy config, the same analyzer and
 * SARIF. The baseline rows go through the CLI itself (policyRun), so its reading stays covered.
 */
async function policyVerdict(plan: Plan): Promise<Verdict> {
    const { stack, resources } = JSON.parse(JSON.stringify(plan)) as Plan;
    const configFile = stackPolicyConfigPath(stack);
    const diagnostics = await analyzeResources(resources, { config: existsSync(configFile) ? loadPolicyConfig(configFile) : {} });
    const code = diagnostics.some((d) => d.enforcementLevel === "mandatory") ? 1 : 0;
    return verdictOf(code, toSarif(diagnostics, allPolicies, { version: PACK_VERSION, artifactUri: `Pulumi.${stack}.yaml` }));
}

const STACKS: StackName[] = ["prod", "dr"];
const MODES: Mode[] = ["update", "preview"];

describe("mutation suite on the real stacks", () => {
    it(`has at least 30 single-fault mutations with distinct ids (${MUTATIONS.length})`, () => {
        assert.ok(MUTATIONS.length >= 30);
        assert.equal(new Set(MUTATIONS.map((m) => m.id)).size, MUTATIONS.length);
    });

    for (const stack of STACKS) {
        for (const mode of MODES) {
            describe(`${stack} (${mode})`, () => {
                it("the unmutated plan passes every policy with no diagnostic but declared opt-outs", async () => {
                    const { code, all } = await policyRun(structuredClone(await planOf(stack, mode)));
                    assert.deepEqual(all.filter((r) => !isDeclaredOptOut(r.message.text)).map((r) => `${r.ruleId}: ${r.message.text}`), []);
                    assert.equal(code, 0);
                });
                for (const mutation of MUTATIONS.filter((m) => m.stacks.includes(stack))) {
                    it(`${mutation.id}: ${mutation.fault} -> ${mutation.policy}`, async () => {
                        const plan = structuredClone(await planOf(stack, mode));
                        mutation.apply(new Mutator(plan, mode));
                        const { code, errors } = await policyVerdict(plan);
                        assert.equal(code, 1, `exit code (errors: ${errors.join(", ")})`);
                        assert.ok(errors.includes(mutation.policy), `expected ${mutation.policy} among ${JSON.stringify(errors)}`);
                    });
                }
            });
        }
    }
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
            assert.deepEqual([...new Set(violations.filter((v) => !isDeclaredOptOut(v.message)).map((v) => v.policy))].sort(), ["node-groups-span-azs", "tier-subnets-span-azs"]);
        });
    }
});
