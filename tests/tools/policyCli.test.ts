/**
 * The offline policy contract: `npm run policy` exit codes (0 / 1 / 2), the printed report,
 * SARIF 2.1.0 structure, waivers that need a reason (config validation and the pack's own
 * level forcing), and `npm run plan`'s violations.
 */
import * as assert from "node:assert/strict";
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { SINGLETON_ANNOTATION } from "../../policy/availability";
import { T } from "../../policy/lib";
import { allPolicies } from "../../policy/policies";
import { PolicyConfigError, validatePackConfig } from "../../policy/waivers";
import { analyzeResources, evaluatePlan, stackPolicyConfigPath } from "../../tools/policyRunner";
import { SarifLog } from "../../tools/sarif";
import { Fixture } from "../support/policyFixtures";
import { planOf } from "../support";
import { faultyProd, policyCli, tempFiles } from "../support/policyCli";
import { isDeclaredOptOut } from "../support/policyFixtures";

const { dir, write } = tempFiles("hybrid-policy-cli-");
const cli = policyCli;

describe("npm run policy (tools/policy.ts)", () => {
    it("exits 0 on the committed prod and dr plans and says so", async () => {
        for (const stack of ["prod", "dr"]) {
            const { code, out } = await cli("--resources", write(`${stack}.json`, await planOf(stack)));
            assert.equal(code, 0);
            assert.match(out, /policy: 0 mandatory, \d+ advisory violation\(s\)(, \d+ under a waiver)? \(\d+ policies\)/);
        }
    });

    it("exits 1 on a mandatory violation and prints policy, level, resource and message", async () => {
        const { code, out } = await cli("--resources", write("faulty.json", await faultyProd()));
        assert.equal(code, 1);
        assert.match(out, /vpc-flow-logs/);
        assert.match(out, /mandatory/);
        assert.match(out, /│ network\s/); // the resource column: the VPC's name
        assert.match(out, /VPC network has no flow log/);
    });

    it("exits 2 on unreadable input, with one line and no stack trace", async () => {
        const cases: Array<[string[], RegExp]> = [
            [["--resources", path.join(dir, "missing.json")], /cannot read/],
            [["--resources", write("broken.json", "{ not json")], /not valid JSON/],
            [["--resources", write("shape.json", { stack: "prod" })], /"resources" array/],
            [["--resources", write("types.json", { resources: [{ urn: 1, type: "x", name: "y" }] })], /resources\[0\]\.urn/],
            [[], /required option '--resources/],
            [
                ["--resources", write("ok.json", { resources: [] }), "--policy-config", write("cfg.json", { "no-such-policy": "advisory" })],
                /unknown policy "no-such-policy"/,
            ],
        ];
        for (const [argv, message] of cases) {
            const { code, err } = await cli(...argv);
            assert.equal(code, 2, argv.join(" "));
            assert.match(err, message);
            assert.equal(err.split("\n").length, 1, err);
        }
    });

    it("writes SARIF 2.1.0 that GitHub code scanning accepts (structure)", async () => {
        const sarifFile = path.join(dir, "out.sarif");
        const { code } = await cli("--resources", write("faulty2.json", await faultyProd()), "--sarif", sarifFile);
        assert.equal(code, 1);
        const log = JSON.parse(readFileSync(sarifFile, "utf8")) as SarifLog;
        assert.equal(log.version, "2.1.0");
        assert.match(log.$schema, /sarif-2\.1\.0/);
        assert.equal(log.runs.length, 1);
        const driver = log.runs[0].tool.driver;
        assert.equal(driver.name, "hybrid-guardrails");
        assert.equal(typeof driver.version, "string");
        assert.equal(driver.rules.length, allPolicies.length);
        for (const rule of driver.rules) {
            assert.match(rule.id, /^[a-z0-9-]+$/);
            assert.ok(rule.shortDescription.text.length > 0 && rule.help.text.length > 0 && rule.help.markdown.length > 0, rule.id);
            assert.ok(["error", "warning", "note"].includes(rule.defaultConfiguration.level));
        }
        const results = log.runs[0].results;
        assert.ok(results.length >= 1);
        for (const r of results) {
            assert.ok(driver.rules[r.ruleIndex]?.id === r.ruleId, "ruleIndex points at the rule");
            assert.ok(["error", "warning", "note", "none"].includes(r.level));
            assert.ok(r.message.text.length > 0);
            assert.ok(r.locations.length >= 1);
            assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, "Pulumi.prod.yaml");
            assert.ok(r.locations[0].physicalLocation.region.startLine >= 1);
            assert.ok(Object.values(r.partialFingerprints)[0].length > 0);
        }
        const flow = results.find((r) => r.ruleId === "vpc-flow-logs")!;
        assert.equal(flow.level, "error");
        assert.match(flow.locations[0].logicalLocations![0].fullyQualifiedName, /aws:ec2\/vpc:Vpc::network$/);
    });
});

describe("waivers need a written reason", () => {
    it("the config validator refuses lowering a mandatory policy without waiverReason, accepts it with one", () => {
        assert.throws(
            () => validatePackConfig({ "vpc-flow-logs": "advisory" }, allPolicies),
            (e: Error) => e instanceof PolicyConfigError && /without a waiverReason/.test(e.message),
        );
        assert.throws(() => validatePackConfig({ "vpc-flow-logs": { enforcementLevel: "disabled" } }, allPolicies), /cannot be disabled/);
        assert.throws(
            () => validatePackConfig({ "vpc-flow-logs": { enforcementLevel: "advisory", waiverReason: "because" } }, allPolicies),
            /at least 15 characters/,
        );
        assert.throws(() => validatePackConfig({ all: "advisory" }, allPolicies), /one by one/);
        assert.throws(() => validatePackConfig({ "tier-subnets-span-azs": { minAZCount: 2 } }, allPolicies), /no setting "minAZCount"/);
        const ok = validatePackConfig(
            {
                "nat-gateway-per-az": { enforcementLevel: "advisory", waiverReason: "dev stack: one NAT gateway saves cost" },
                "tier-subnets-span-azs": { minAzCount: 2 },
            },
            allPolicies,
        );
        assert.equal(ok["nat-gateway-per-az"].enforcementLevel, "advisory");
    });

    it("a waived violation is reported with its reason and no longer blocks (exit 0)", async () => {
        const config = write("waiver.json", {
            "vpc-flow-logs": { enforcementLevel: "advisory", waiverReason: "flow logs are collected by the org-wide Transit Gateway" },
        });
        const sarifFile = path.join(dir, "waived.sarif");
        const { code, out } = await cli("--resources", write("faulty3.json", await faultyProd()), "--policy-config", config, "--sarif", sarifFile);
        assert.equal(code, 0);
        assert.match(out, /advisory \(waived\)/);
        assert.match(out, /waived: flow logs are collected by the org-wide/);
        const result = (JSON.parse(readFileSync(sarifFile, "utf8")) as SarifLog).runs[0].results.find((r) => r.ruleId === "vpc-flow-logs")!;
        assert.equal(result.level, "note");
        assert.equal(result.suppressions![0].justification, "flow logs are collected by the org-wide Transit Gateway");
    });

    it("the pack itself keeps a mandatory policy mandatory when the CLI lowers it without a reason", async () => {
        // What `pulumi preview --policy-pack-config` without HYBRID_POLICY_CONFIG would send: no validation.
        const plan = await faultyProd("preview");
        const lowered = await analyzeResources(plan.resources, { config: { "vpc-flow-logs": { enforcementLevel: "advisory" } } });
        assert.deepEqual(
            lowered.filter((d) => d.policy === "vpc-flow-logs").map((d) => d.enforcementLevel),
            ["mandatory"],
        );
        const waived = await analyzeResources(plan.resources, {
            config: { "vpc-flow-logs": { enforcementLevel: "advisory", waiverReason: "collected by the org-wide Transit Gateway" } },
        });
        assert.deepEqual(
            waived.filter((d) => d.policy === "vpc-flow-logs").map((d) => d.enforcementLevel),
            ["advisory"],
        );
    });

    it("npm run plan uses the stack's policy config file and fills violations", async () => {
        const plan = { ...(await faultyProd()), stack: `waiver-test-${process.pid}` };
        const found = (await evaluatePlan(plan)).filter((v) => !isDeclaredOptOut(v.message));
        assert.deepEqual(
            found.map((v) => `${v.policy}:${v.enforcementLevel}`),
            ["vpc-flow-logs:mandatory"],
        );
        const file = stackPolicyConfigPath(plan.stack);
        writeFileSync(file, JSON.stringify({ "vpc-flow-logs": { enforcementLevel: "advisory", waiverReason: "collected by the org-wide Transit Gateway" } }));
        try {
            const found = (await evaluatePlan(plan)).filter((v) => !isDeclaredOptOut(v.message));
            assert.deepEqual(
                found.map((v) => `${v.policy}:${v.enforcementLevel}`),
                ["vpc-flow-logs:advisory"],
            );
        } finally {
            unlinkSync(file);
        }
    });

    it("a declared singleton Deployment is reported as advisory; an undeclared one blocks", async () => {
        const build = (annotations: Record<string, string>) => {
            const f = new Fixture("production");
            f.add(T.deployment, "beat", {
                metadata: { name: "beat", annotations },
                spec: {
                    replicas: 1,
                    template: {
                        metadata: { labels: { app: "beat" } },
                        spec: { topologySpreadConstraints: [{ topologyKey: "topology.kubernetes.io/zone" }], containers: [] },
                    },
                },
            });
            f.add(T.pdb, "beat", { metadata: { name: "beat" }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: "beat" } } } });
            return f.resources("preview");
        };
        const policies = allPolicies.filter((p) => p.name === "prod-workload-availability");
        const declared = await analyzeResources(build({ [SINGLETON_ANNOTATION]: "Celery beat must schedule each periodic task once" }), { policies });
        assert.deepEqual(
            declared.map((d) => d.enforcementLevel),
            ["advisory"],
        );
        assert.match(declared[0].message, /declared singleton \(Celery beat must schedule/);
        const undeclared = await analyzeResources(build({}), { policies });
        assert.deepEqual(
            undeclared.map((d) => d.enforcementLevel),
            ["mandatory"],
        );
    });

    it("production facts come from the AWS provider's default tags: staging skips production-only rules", async () => {
        const build = (env: string) => {
            const f = new Fixture(env);
            f.add(T.rds, "db", { deletionProtection: false });
            return f.resources("preview");
        };
        const policies = allPolicies.filter((p) => p.name === "deletion-protection-in-production");
        assert.equal((await analyzeResources(build("production"), { policies })).length, 1);
        assert.equal((await analyzeResources(build("staging"), { policies })).length, 0);
    });

    it("a prop unknown during preview gives the analyzer's advisory \"can't run during preview\", the update the verdict", async () => {
        const build = (mode: "update" | "preview") => {
            const f = new Fixture("production");
            const flag = f.add(T.secret, "flag", {});
            f.add(T.rds, "db", { engine: "postgres", multiAz: f.computed(flag, false) });
            return f.resources(mode);
        };
        const policies = allPolicies.filter((p) => p.name === "rds-multi-az");
        const preview = await analyzeResources(build("preview"), { policies });
        assert.equal(preview.length, 1);
        assert.equal(preview[0].enforcementLevel, "advisory");
        assert.match(
            preview[0].message,
            /^can't run policy 'rds-multi-az' from policy pack 'hybrid-guardrails@v[\d.]+' during preview: .* at \.multiAz can't be known during preview$/,
        );
        const update = await analyzeResources(build("update"), { policies });
        assert.deepEqual(
            update.map((d) => d.enforcementLevel),
            ["mandatory"],
        );
    });
});
