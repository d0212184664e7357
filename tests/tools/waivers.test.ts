/**
 * Issue #11, finding 24: a waiver file that set a mandatory policy to "disabled" made its violations
 * vanish from the table, the summary and SARIF (the analyzer never runs a disabled policy). The offline
 * path refuses such a config like the served pack does (tests/policy/packConfigure.test.ts), and every
 * waiver stays on the record, violated or not.
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { T, resourceGuardrail } from "../../policy/lib";
import { allPolicies } from "../../policy/policies";
import { PolicyConfigError, validatePackConfig, waiversOf } from "../../policy/waivers";
import { Plan } from "../../tools/offline";
import { main } from "../../tools/policy";
import { analyzeResources } from "../../tools/policyRunner";
import { SarifLog } from "../../tools/sarif";
import { Mutator } from "../integration/mutationTable";
import { planOf } from "../support";

const dir = mkdtempSync(path.join(tmpdir(), "hybrid-waivers-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(content));
    return file;
};

async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
        argv,
        (l) => out.push(l),
        (l) => err.push(l),
    );
    return { code, out: out.join("\n"), err: err.join("\n") };
}

/** prod with its flow log removed: one mandatory vpc-flow-logs violation. */
async function faultyProd(mode: "update" | "preview" = "update"): Promise<Plan> {
    const plan = structuredClone(await planOf("prod", mode));
    const m = new Mutator(plan, mode);
    m.remove(m.get("aws:ec2/flowLog:FlowLog", "network"));
    return plan;
}

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
