/**
 * Issue #11, finding 24: a waiver file that set a mandatory policy to "disabled" made its violations
 * vanish from the table, the summary and SARIF (the analyzer never runs a disabled policy). The offline
 * path refuses such a config like the served pack does (tests/policy/packConfigure.test.ts), and every
 * waiver stays on the record, violated or not.
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { T, resourceGuardrail } from "../../policy/lib";
import { allPolicies } from "../../policy/policies";
import { PolicyConfigError, validatePackConfig, waiversOf } from "../../policy/waivers";
import { analyzeResources } from "../../tools/policyRunner";
import { SarifLog } from "../../tools/sarif";
import { planOf } from "../support";
import { faultyProd, policyCli, tempFiles } from "../support/policyCli";

const { dir, write } = tempFiles("hybrid-waivers-");
const cli = policyCli;

describe("a mandatory policy cannot be disabled, and every waiver stays on the record", () => {
    const disabled = { "vpc-flow-logs": { enforcementLevel: "disabled", waiverReason: "flow logs are collected by the org-wide Transit Gateway" } };

    it("the config validator refuses disabling a mandatory policy, even with a reason, and names the waiver to write instead", () => {
        assert.throws(
            () => validatePackConfig(disabled, allPolicies, "dr.json"),
            (e: Error) =>
                e instanceof PolicyConfigError &&
                /^dr\.json: "vpc-flow-logs" is mandatory and cannot be disabled/.test(e.message) &&
                /"enforcementLevel": "advisory", "waiverReason"/.test(e.message),
        );
        // A policy declared advisory may still be disabled, with a reason; the waiver is then listed.
        const advisory = resourceGuardrail({
            name: "example-advisory",
            description: "An advisory example policy for the waiver rules.",
            remediation: "None.",
            concern: "audit",
            seed: "6",
            why: "Tests the waiver rules of an advisory policy.",
            level: "advisory",
            types: [T.vpc],
            check: () => undefined,
        });
        const policies = [...allPolicies, advisory];
        const config = validatePackConfig(
            { "example-advisory": { enforcementLevel: "disabled", waiverReason: "the cost report covers it elsewhere" } },
            policies,
        );
        assert.deepEqual(
            waiversOf(config, policies).map((w) => `${w.policy}:${w.declared}->${w.configured}: ${w.reason}`),
            ["example-advisory:advisory->disabled: the cost report covers it elsewhere"],
        );
    });

    it("npm run policy exits 2 with one line and writes no SARIF", async () => {
        const sarifFile = path.join(dir, "disabled.sarif");
        const { code, out, err } = await cli(
            "--resources",
            write("faulty-disabled.json", await faultyProd()),
            "--policy-config",
            write("disabled.json", disabled),
            "--sarif",
            sarifFile,
        );
        assert.equal(code, 2);
        assert.equal(out, "");
        assert.equal(err.split("\n").length, 1, err);
        assert.match(err, /"vpc-flow-logs" is mandatory and cannot be disabled/);
        assert.throws(() => readFileSync(sarifFile), /ENOENT/);
    });

    it("the runner refuses a config that was never validated (what the CLI would send), in both modes", async () => {
        for (const mode of ["update", "preview"] as const) {
            const plan = await faultyProd(mode);
            await assert.rejects(
                analyzeResources(plan.resources, { config: { "vpc-flow-logs": { enforcementLevel: "disabled" } } }),
                (e: Error) => e instanceof PolicyConfigError && /cannot be disabled/.test(e.message),
            );
            // "all" reaches every policy, the mandatory ones among them.
            await assert.rejects(analyzeResources(plan.resources, { config: { all: { enforcementLevel: "disabled" } } }), /cannot be disabled/);
        }
    });

    it("a waiver is listed after the summary and in SARIF's invocation even when its policy finds nothing", async () => {
        const reason = "flow logs are collected by the org-wide Transit Gateway";
        const config = write("waiver-clean.json", { "vpc-flow-logs": { enforcementLevel: "advisory", waiverReason: reason } });
        const sarifFile = path.join(dir, "waiver-clean.sarif");
        // The unmutated plan: nothing violates vpc-flow-logs, so no result carries the waiver.
        const { code, out } = await cli("--resources", write("clean.json", await planOf("prod")), "--policy-config", config, "--sarif", sarifFile);
        assert.equal(code, 0);
        assert.ok(out.includes(`waiver: vpc-flow-logs mandatory -> advisory: ${reason}`), out);
        const run = (JSON.parse(readFileSync(sarifFile, "utf8")) as SarifLog).runs[0];
        assert.equal(run.results.filter((r) => r.ruleId === "vpc-flow-logs").length, 0);
        const override = run.invocations![0].ruleConfigurationOverrides.find((o) => o.descriptor.id === "vpc-flow-logs")!;
        assert.deepEqual(override.configuration, {
            enabled: true,
            level: "warning",
            parameters: { declared: "mandatory", configured: "advisory", waiverReason: reason },
        });
        assert.equal(run.tool.driver.rules[override.descriptor.index].id, "vpc-flow-logs");
    });
});
