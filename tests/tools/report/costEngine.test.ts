/** The cost engine (tools/report/cost) on small hand-built graphs: the maths, free and unpriced resources, usage precedence, regions. */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { provider, resource } from "./costFixtures";
import { COST_CATEGORIES } from "../../../tools/report/types";
import { NO_USAGE, USAGE_ASSUMPTIONS, Usage, costOf } from "../../../tools/report/cost";
import { HOURS_PER_MONTH, priceOf } from "../../../model/prices";

const options = (usage: Usage = NO_USAGE) => ({ stack: "t", region: "eu-west-2", date: "2026-12-01", usage });
const usd = (key: string, region = "eu-west-2") => priceOf(key, region)!.usd;

describe("cost engine", () => {
    it("prices a line as quantity x the table's unit price, monthly rounded to cents", () => {
        const report = costOf([resource("aws:ec2/vpnConnection:VpnConnection", "vpn")], options());
        assert.equal(report.lines.length, 1);
        const [line] = report.lines;
        assert.equal(line.quantity, HOURS_PER_MONTH);
        assert.equal(line.unitPrice, usd("vpn.connectionHour"));
        assert.equal(line.monthly, Math.round(HOURS_PER_MONTH * usd("vpn.connectionHour") * 100) / 100);
        assert.equal(line.usageBased, false);
        assert.equal(line.assumption, undefined);
        assert.equal(report.monthlyTotal, line.monthly);
        assert.deepEqual(report.unpriced, []);
    });

    it("gives free types, free prefixes and components no line and no unpriced entry", () => {
        const report = costOf(
            [
                resource("aws:ec2/vpc:Vpc", "vpc"),
                resource("aws:iam/role:Role", "role"),
                resource("kubernetes:core/v1:Namespace", "ns"),
                resource("hybrid:network:NetworkTier", "network", {}, { custom: false }),
            ],
            options(),
        );
        assert.deepEqual(report.lines, []);
        assert.deepEqual(report.unpriced, []);
        assert.equal(report.monthlyTotal, 0);
    });

    it("reports a custom resource of a type no set prices or frees as unpriced, with why", () => {
        const r = resource("aws:newservice/thing:Thing", "thing");
        const report = costOf([r], options());
        assert.deepEqual(report.unpriced, [{ urn: r.urn, type: r.type, why: "no pricer for this type in tools/report/cost" }]);
    });

    it("reports an item whose price key the table lacks as unpriced, and keeps the resource's other items", () => {
        const group = resource("aws:eks/nodeGroup:NodeGroup", "nodes", { instanceTypes: ["c5.large"], scalingConfig: { desiredSize: 2 }, diskSize: 20 });
        const report = costOf([group], options());
        assert.deepEqual(
            report.unpriced.map((u) => u.why),
            ["no price for ec2.instance.c5.large in eu-west-2 (model/prices)"],
        );
        assert.equal(report.lines.length, 1, "the volume is still priced");
        assert.equal(report.lines[0].priceKey, "ebs.gp3.gbMonth");
    });

    it("prices a resource in its provider's region, not the stack's", () => {
        const ireland = provider("eu-west-1");
        const vpn = resource("aws:ec2/vpnConnection:VpnConnection", "vpn", {}, { provider: `${ireland.urn}::${ireland.id}` });
        const report = costOf([ireland, vpn], options());
        assert.equal(report.lines[0].unitPrice, usd("vpn.connectionHour", "eu-west-1"));
        const nat = resource("aws:ec2/natGateway:NatGateway", "nat", {}, { provider: `${ireland.urn}::${ireland.id}` });
        assert.equal(costOf([ireland, nat], options()).lines[0].unitPrice, usd("nat.hour", "eu-west-1"));
        assert.notEqual(usd("nat.hour", "eu-west-1"), usd("nat.hour", "eu-west-2"), "the test needs two different rates");
    });

    it("takes a usage quantity from the resource's own entry, else the file's defaults, else the registry", () => {
        const nat = resource("aws:ec2/natGateway:NatGateway", "network-nat-a");
        const data = (usage: Usage) => costOf([nat], options(usage)).lines.find((l) => l.priceKey === "nat.dataGb")!;
        const registry = USAGE_ASSUMPTIONS.get("nat.dataGbPerMonth")!;
        assert.equal(data(NO_USAGE).quantity, registry.default);
        assert.equal(data(NO_USAGE).assumption, registry.assumption);
        assert.equal(data(NO_USAGE).usageBased, true);
        const defaults = { defaults: { "nat.dataGbPerMonth": 500 }, resources: {} };
        assert.equal(data(defaults).quantity, 500);
        assert.match(data(defaults).assumption!, /^usage file: nat\.dataGbPerMonth = 500 GB\/month$/);
        const byName = { defaults: { "nat.dataGbPerMonth": 500 }, resources: { "network-nat-a": { "nat.dataGbPerMonth": 800 } } };
        assert.equal(data(byName).quantity, 800);
        assert.match(data(byName).assumption!, /for network-nat-a/);
        const byUrn = { defaults: {}, resources: { [nat.urn]: { "nat.dataGbPerMonth": 900 } } };
        assert.equal(data(byUrn).quantity, 900);
        const otherKey = { defaults: {}, resources: { "network-nat-a": { "vpce.dataGbPerMonth": 1 } } };
        assert.equal(data(otherKey).quantity, registry.default, "another key of the resource leaves this one at its default");
    });

    it("prices nothing it has no table entry for in a region outside the table: every item unpriced", () => {
        const report = costOf([resource("aws:ec2/vpnConnection:VpnConnection", "vpn")], { ...options(), region: "us-east-1" });
        assert.deepEqual(report.lines, []);
        assert.deepEqual(
            report.unpriced.map((u) => u.why),
            ["no price for vpn.connectionHour in us-east-1 (model/prices)"],
        );
    });

    // Resources the generator draws from: priced by time, by declared count, or by usage, and free ones.
    const generators = [
        fc.constant(resource("aws:ec2/vpnConnection:VpnConnection", "vpn")),
        fc.constant(resource("aws:ec2/eip:Eip", "eip")),
        fc.constant(resource("aws:ec2/vpc:Vpc", "vpc")),
        fc.integer({ min: 0, max: 1000 }).map((gb) => resource("aws:ec2/natGateway:NatGateway", `nat-${gb}`, {}, {})),
        fc
            .record({
                desired: fc.integer({ min: 0, max: 30 }),
                size: fc.integer({ min: 1, max: 500 }),
                type: fc.constantFrom("m5.large", "m5.xlarge", "m7i.2xlarge"),
            })
            .map(({ desired, size, type }) =>
                resource("aws:eks/nodeGroup:NodeGroup", `ng-${desired}-${size}`, {
                    instanceTypes: [type],
                    scalingConfig: { desiredSize: desired },
                    diskSize: size,
                }),
            ),
    ];

    it("sums its categories to its total, and each line is its quantity times its unit price (property)", () => {
        fc.assert(
            fc.property(fc.array(fc.oneof(...generators), { maxLength: 30 }), fc.double({ min: 0, max: 1e5, noNaN: true }), (resources, natGb) => {
                const unique = resources.map((r, i) => ({ ...r, urn: `${r.urn}-${i}`, name: `${r.name}-${i}` }));
                const report = costOf(unique, options({ defaults: { "nat.dataGbPerMonth": natGb }, resources: {} }));
                const byCategory = report.categories.reduce((s, c) => s + c.monthly, 0);
                assert.ok(Math.abs(byCategory - report.monthlyTotal) <= 0.005 * COST_CATEGORIES.length + 1e-9, `${byCategory} vs ${report.monthlyTotal}`);
                assert.deepEqual(
                    report.categories.map((c) => c.name),
                    [...COST_CATEGORIES],
                );
                for (const line of report.lines) assert.equal(line.monthly, Math.round(line.quantity * line.unitPrice * 100) / 100);
                assert.deepEqual(report.unpriced, []);
            }),
            { numRuns: 200 },
        );
    });
});
