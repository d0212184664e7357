/**
 * `npm run plan` as an architect's review (issue #15), through the CLI: the JSON's review fields (a
 * contract), --report and --html written, --usage overriding an assumption, --compare against a
 * base plan, --as-of, the dr plan costing both sites, and bad input refused before any work
 * (exit 2, one line naming the flag or key, nothing written).
 */
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Plan } from "../../../tools/offline";
import type { PlanReview } from "../../../tools/report/types";
import { costOf } from "../../../tools/report/cost";
import { planCli, planOf } from "../../support";

const work = mkdtempSync(path.join(tmpdir(), "plan-review-"));
const file = (name: string) => path.join(work, name);
type Reviewed = Plan & PlanReview;

describe("npm run plan: the review (issue #15)", function () {
    this.timeout(120_000);
    const prodJson = file("prod.json");
    let prod: Reviewed;

    before(async () => {
        const run = await planCli(["--stack", "prod", "--json", prodJson, "--report", file("prod.md"), "--html", file("prod.html"), "--as-of", "2026-12-01"]);
        assert.equal(run.code, 0, run.err.join("\n"));
        prod = JSON.parse(readFileSync(prodJson, "utf8")) as Reviewed;
    });

    it("adds cost, capacity, availability, dr and criticalPath to the JSON with the contract's fields", () => {
        assert.deepEqual(
            Object.keys(prod.cost).filter((k) => ["currency", "asOf", "region", "monthlyTotal", "categories", "lines", "unpriced"].includes(k)).length,
            7,
        );
        assert.equal(prod.cost.currency, "USD");
        assert.equal(prod.cost.asOf, "2026-12-01");
        assert.equal(prod.cost.region, "eu-west-2");
        for (const l of prod.cost.lines) {
            for (const k of ["urn", "type", "item", "quantity", "unit", "unitPrice", "monthly", "usageBased"])
                assert.ok(k in l, `${l.urn} ${l.item} lacks ${k}`);
            assert.equal(l.assumption !== undefined, l.usageBased, `${l.item}: an assumption exactly when usage-based`);
        }
        for (const k of ["target", "composite", "compositeWithDr", "path", "singlePointsOfFailure"]) assert.ok(k in prod.availability, k);
        for (const p of prod.availability.path) assert.match(p.source, /^https:\/\//, p.service);
        assert.ok(prod.dr && prod.dr.terms.length > 0);
        assert.equal(typeof prod.dr.rpoMinutes, "number");
        assert.equal(typeof prod.dr.rtoMinutes, "number");
        assert.ok(prod.capacity && prod.capacity.projection.length >= 5);
        assert.ok(prod.criticalPath.totalMinutes > 0 && prod.criticalPath.steps.length > 1);
    });

    it("prices every priced resource of prod, and leaves none unpriced without a reason of its own", () => {
        assert.ok(prod.cost.monthlyTotal > 1000);
        const sum = prod.cost.categories.reduce((s, c) => s + c.monthly, 0);
        assert.ok(Math.abs(sum - prod.cost.monthlyTotal) < 0.05, "categories sum to the total");
        // The engine's own "no pricer" is a gap in tools/report/cost, not a reason: no type of the plan may hit it.
        assert.deepEqual(
            prod.cost.unpriced.filter((u) => /no pricer for this type/.test(u.why)).map((u) => u.type),
            [],
        );
    });

    it("leaves no type of the other stacks, in either mode, unpriced for want of a pricer", async () => {
        for (const [stack, region] of [
            ["dr", "eu-west-1"],
            ["bootstrap", "eu-west-2"],
            ["dev", "eu-west-2"],
        ])
            for (const mode of ["update", "preview"] as const) {
                const report = costOf((await planOf(stack, mode)).resources, { stack, region, date: "2026-12-01" });
                const gaps = report.unpriced.filter((u) => /no pricer for this type/.test(u.why)).map((u) => u.type);
                assert.deepEqual(gaps, [], `${stack} ${mode}`);
                assert.ok(stack === "bootstrap" || report.monthlyTotal > 500, `${stack} ${mode} costs ${report.monthlyTotal}`);
            }
    });

    it("writes the Markdown report (verdict, cost table, Mermaid diagram) and one self-contained HTML page", () => {
        const md = readFileSync(file("prod.md"), "utf8");
        assert.match(md, /^# Plan review: prod/);
        assert.match(md, /^```mermaid\nflowchart/m);
        assert.match(md, /^## Cost$/m);
        const html = readFileSync(file("prod.html"), "utf8");
        assert.match(html, /^<!doctype html>/i);
        assert.doesNotMatch(html, /<script[^>]+src=/i, "no external script");
        assert.match(html, /flowchart/);
    });

    it("--usage overrides a usage-based line's quantity and says so in its assumption", async () => {
        const usage = file("usage.yaml");
        writeFileSync(usage, "resources:\n  network-nat-a:\n    nat.dataGbPerMonth: 4321\n");
        const run = await planCli(["--stack", "prod", "--usage", usage, "--json", file("prod-usage.json"), "--as-of", "2026-12-01"]);
        assert.equal(run.code, 0, run.err.join("\n"));
        const plan = JSON.parse(readFileSync(file("prod-usage.json"), "utf8")) as Reviewed;
        const nat = (p: Reviewed, name: string) =>
            p.cost.lines.find((l) => l.urn.endsWith(`::${name}`) && l.usageBased && l.type === "aws:ec2/natGateway:NatGateway")!;
        assert.equal(nat(plan, "network-nat-a").quantity, 4321);
        assert.match(nat(plan, "network-nat-a").assumption!, /usage file/);
        assert.equal(nat(plan, "network-nat-b").quantity, nat(prod, "network-nat-b").quantity, "the other gateways keep the default");
        assert.ok(plan.cost.monthlyTotal > prod.cost.monthlyTotal);
    });

    it("--compare reports resources added and removed by type, the cost delta per category and fixed violations", async () => {
        const base = JSON.parse(readFileSync(prodJson, "utf8")) as Reviewed;
        // The base lacks one NAT gateway (the head adds it), had a VPC endpoint the head lacks, and cost less.
        const nat = base.resources.find((r) => r.type === "aws:ec2/natGateway:NatGateway")!;
        base.resources = base.resources.filter((r) => r.urn !== nat.urn);
        base.resources.push({ ...base.resources.find((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint")!, urn: `${nat.urn.split("::")[0]}::gone-endpoint` });
        base.cost.categories = base.cost.categories.map((c) => (c.name === "network" ? { ...c, monthly: c.monthly - 100 } : c));
        base.cost.monthlyTotal -= 100;
        base.violations = [{ policy: "some-policy", enforcementLevel: "advisory", message: "fixed since", urn: nat.urn }];
        const baseFile = file("base.json");
        writeFileSync(baseFile, JSON.stringify(base));
        const run = await planCli([
            "--stack",
            "prod",
            "--compare",
            baseFile,
            "--json",
            file("prod-diff.json"),
            "--report",
            file("diff.md"),
            "--as-of",
            "2026-12-01",
        ]);
        assert.equal(run.code, 0, run.err.join("\n"));
        const diff = (JSON.parse(readFileSync(file("prod-diff.json"), "utf8")) as Reviewed).diff!;
        assert.deepEqual(diff.resources.added, [{ type: "aws:ec2/natGateway:NatGateway", count: 1 }]);
        assert.deepEqual(diff.resources.removed, [{ type: "aws:ec2/vpcEndpoint:VpcEndpoint", count: 1 }]);
        assert.ok(diff.cost);
        assert.ok(Math.abs(diff.cost.delta - 100) < 0.05, `delta ${diff.cost.delta}`);
        assert.ok(Math.abs(diff.cost.categories.find((c) => c.name === "network")!.delta - 100) < 0.05);
        assert.deepEqual(
            diff.violations.fixed.map((v) => v.policy),
            ["some-policy"],
        );
        const md = readFileSync(file("diff.md"), "utf8");
        assert.ok(md.indexOf("NatGateway") < md.indexOf("## Cost"), "the diff comes first (it is the PR comment)");
    });

    it("costs the dr site and its primary together on the dr plan", async () => {
        const run = await planCli(["--stack", "dr", "--json", file("dr.json"), "--as-of", "2026-12-01"]);
        assert.equal(run.code, 0, run.err.join("\n"));
        const dr = JSON.parse(readFileSync(file("dr.json"), "utf8")) as Reviewed;
        assert.equal(dr.cost.region, "eu-west-1");
        assert.deepEqual(
            dr.cost.sites!.map((s) => [s.stack, s.role, s.region]),
            [
                ["dr", "dr", "eu-west-1"],
                ["prod", "primary", "eu-west-2"],
            ],
        );
        assert.ok(Math.abs(dr.cost.sites![1].monthlyTotal - prod.cost.monthlyTotal) < 0.05, "the primary costed as its own plan is");
        assert.ok(Math.abs(dr.cost.sitesMonthlyTotal! - (dr.cost.monthlyTotal + prod.cost.monthlyTotal)) < 0.05);
    });

    describe("bad input: exit 2, one line naming the flag or key, nothing written", () => {
        const refused = async (args: string[], pattern: RegExp) => {
            const json = file(`refused-${args.join("-").replace(/[^a-z0-9]/gi, "")}.json`);
            const run = await planCli(["--stack", "prod", "--json", json, ...args]);
            assert.equal(run.code, 2, run.out.join("\n"));
            assert.equal(run.err.length, 1, run.err.join("\n"));
            assert.match(run.err[0], pattern);
            assert.equal(existsSync(json), false, "no plan written");
        };

        it("--as-of that is not a calendar day", () => refused(["--as-of", "2026-02-30"], /^error: invalid --as-of 2026-02-30: expected a date YYYY-MM-DD$/));

        it("--compare of an unreadable file, of something that is not a plan, or of another stack's plan", async () => {
            await refused(["--compare", file("missing.json")], /^error: cannot read --compare .*missing\.json: ENOENT$/);
            writeFileSync(file("not-a-plan.json"), JSON.stringify({ hello: 1 }));
            await refused(["--compare", file("not-a-plan.json")], /^error: invalid --compare .*: expected a plan JSON/);
            writeFileSync(file("dr-plan.json"), JSON.stringify({ stack: "dr", resources: [] }));
            await refused(["--compare", file("dr-plan.json")], /^error: invalid --compare .*: it is a plan of stack dr, not prod$/);
        });

        it("--usage with an unknown key (did you mean), and --report into a missing folder", async () => {
            writeFileSync(file("typo.yaml"), "defaults:\n  nat.dataGbPerMonht: 5\n");
            await refused(["--usage", file("typo.yaml")], /nat\.dataGbPerMonht.*did you mean nat\.dataGbPerMonth/);
            await refused(["--report", path.join(work, "no-such-folder", "r.md")], /^error: cannot write --report .*there is no folder/);
        });

        it("--usage naming a resource the plan lacks (checked once planned, before anything is written)", async () => {
            writeFileSync(file("stranger.yaml"), "resources:\n  network-nat-z:\n    nat.dataGbPerMonth: 5\n");
            await refused(["--usage", file("stranger.yaml")], /network-nat-z/);
        });
    });
});
