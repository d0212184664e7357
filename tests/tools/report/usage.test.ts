/** The usage file (tools/report/usage.ts): validated once on load, one-line errors naming the key; resource names checked against the plan. */
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../../../tools/offline";
import { USAGE_ASSUMPTIONS } from "../../../tools/report/cost";
import { checkUsageResources, loadUsage } from "../../../tools/report/usage";
import { planOf } from "../../support";

const EXAMPLE = path.join(__dirname, "../../../docs/usage.example.yaml");

describe("usage file", () => {
    let dir: string;
    before(() => (dir = mkdtempSync(path.join(tmpdir(), "usage-"))));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = (text: string): string => {
        const f = path.join(dir, `u${Math.random().toString(36).slice(2)}.yaml`);
        writeFileSync(f, text);
        return f;
    };
    /** The one-line UsageError loading `text` throws. */
    const errorOf = (text: string): string => {
        try {
            loadUsage(file(text));
        } catch (e) {
            assert.ok(e instanceof UsageError, `a UsageError, got ${String(e)}`);
            assert.ok(!e.message.includes("\n"), "one line");
            return e.message;
        }
        assert.fail("loaded without an error");
    };

    it("reads defaults and per-resource overrides", () => {
        const usage = loadUsage(file("defaults:\n  nat.dataGbPerMonth: 500\nresources:\n  network-nat-a:\n    nat.dataGbPerMonth: 800\n"));
        assert.deepEqual(usage, { defaults: { "nat.dataGbPerMonth": 500 }, resources: { "network-nat-a": { "nat.dataGbPerMonth": 800 } } });
        assert.deepEqual(loadUsage(file("")), { defaults: {}, resources: {} }, "an empty file overrides nothing");
    });

    it("loads the example clean, and the example lists every usage key with its default", () => {
        const usage = loadUsage(EXAMPLE);
        const listed = (parseYaml(readFileSync(EXAMPLE, "utf8")) as { defaults: Record<string, number> }).defaults;
        const missing = [...USAGE_ASSUMPTIONS.values()].filter((u) => listed[u.key] !== u.default).map((u) => `${u.key}: ${u.default}`);
        assert.deepEqual(missing, [], "add these lines to docs/usage.example.yaml defaults");
        assert.deepEqual(Object.keys(usage.defaults).sort(), [...USAGE_ASSUMPTIONS.keys()].sort());
    });

    it("refuses an unknown usage key, naming it with a did-you-mean", () => {
        assert.match(
            errorOf("defaults:\n  nat.dataGbPerMonht: 5\n"),
            /defaults\.nat\.dataGbPerMonht is not a usage key \(did you mean nat\.dataGbPerMonth\?\)/,
        );
        assert.match(errorOf("resources:\n  nat-a:\n    waf.requestsPerMonth: 5\n"), /resources\.nat-a\.waf\.requestsPerMonth is not a usage key/);
    });

    it("refuses a negative or non-number value, saying what is expected", () => {
        assert.match(errorOf("defaults:\n  nat.dataGbPerMonth: -1\n"), /defaults\.nat\.dataGbPerMonth must be a non-negative number \(GB\/month\), got -1/);
        assert.match(errorOf('defaults:\n  nat.dataGbPerMonth: "500"\n'), /must be a non-negative number .*got "500"/);
        assert.match(errorOf("resources:\n  nat-a:\n    nat.dataGbPerMonth: .nan\n"), /resources\.nat-a\.nat\.dataGbPerMonth must be a non-negative number/);
    });

    it("refuses an unknown section with a did-you-mean, a section that is not a map, bad YAML and a missing file", () => {
        assert.match(errorOf("default:\n  nat.dataGbPerMonth: 5\n"), /default is not a section \(did you mean defaults\?\)/);
        assert.match(errorOf("defaults: 5\n"), /defaults must be a map \(usage key -> number\)/);
        assert.match(errorOf("resources:\n  nat-a: 5\n"), /resources\.nat-a must be a map/);
        assert.match(errorOf("defaults: [\n"), /is not valid YAML/);
        assert.throws(
            () => loadUsage(path.join(dir, "absent.yaml")),
            (e: unknown) => e instanceof UsageError && /cannot read usage file/.test(e.message),
        );
    });

    it("accepts resources the plan has, by name or URN, and refuses one it has not, with a did-you-mean", async () => {
        const plan = await planOf("prod");
        const nat = plan.resources.find((r) => r.type === "aws:ec2/natGateway:NatGateway")!;
        checkUsageResources({ defaults: {}, resources: { [nat.name]: {}, [nat.urn]: {} } }, plan);
        assert.throws(
            () => checkUsageResources({ defaults: {}, resources: { "network-nat-x": { "nat.dataGbPerMonth": 1 } } }, plan),
            (e: unknown) =>
                e instanceof UsageError && /resources\.network-nat-x is not a resource of this plan \(did you mean network-nat-[abc]\?\)/.test(e.message),
        );
        // network-nat-a names both the NAT gateway and its Eip: a NAT key applies, an ALB key applies to neither.
        checkUsageResources({ defaults: {}, resources: { "network-nat-a": { "nat.dataGbPerMonth": 800 } } }, plan);
        assert.throws(
            () => checkUsageResources({ defaults: {}, resources: { "network-nat-a": { "alb.processedGbPerHour": 3 } } }, plan),
            (e: unknown) =>
                e instanceof UsageError &&
                e.message ===
                    "usage file: resources.network-nat-a.alb.processedGbPerHour applies to aws:lb/loadBalancer:LoadBalancer or aws:alb/loadBalancer:LoadBalancer, and network-nat-a is aws:ec2/eip:Eip, aws:ec2/natGateway:NatGateway",
        );
    });
});
