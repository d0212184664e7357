/**
 * `--compare` (tools/report/compare.ts, issue #15 build 8): small known plans for each part of the diff,
 * what must not count as a change between two offline plans, and the real prod plan planned twice.
 */
import * as assert from "node:assert/strict";
import type { Plan, PlannedResource, PlanViolation } from "../../../tools/offline";
import * as path from "node:path";
import { REDACTED, REPO_ROOT } from "../../../tools/offline";
import { UNKNOWN } from "../../../tools/mocks";
import { comparePlans } from "../../../tools/report/compare";
import type { CostReport, PlanReview } from "../../../tools/report/types";
import { configWith, planOf, planStack } from "../../support";
import { plannedResource } from "../../support/plannedResource";

const res = (name: string, type: string, props: Record<string, unknown> = {}, id: string | null = `${name}-id`): PlannedResource =>
    plannedResource(type, name, props, { urn: `urn:pulumi:s::p::${type}::${name}`, id });
const plan = (resources: PlannedResource[], extra: Partial<Plan & PlanReview> = {}): Plan & Partial<PlanReview> => ({
    stack: "s",
    resources,
    outputs: {},
    violations: [],
    ...extra,
});
const SUBNET = "aws:ec2/subnet:Subnet";
const NAT = "aws:ec2/natGateway:NatGateway";
const BUCKET = "aws:s3/bucket:Bucket";
const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: REDACTED };
const cost = (categories: Record<string, number>): CostReport => ({
    currency: "USD",
    asOf: "2026-12-01",
    region: "eu-west-2",
    monthlyTotal: Object.values(categories).reduce((a, b) => a + b, 0),
    categories: Object.entries(categories).map(([name, monthly]) => ({ name: name as CostReport["categories"][number]["name"], monthly })),
    lines: [],
    unpriced: [],
});
const v = (policy: string, urn: string, message = "m"): PlanViolation => ({ policy, urn, message, enforcementLevel: "mandatory" });

describe("--compare (tools/report/compare.ts)", () => {
    it("resources added, changed and removed, counted by type", () => {
        const base = plan([res("a", SUBNET, { cidrBlock: "10.0.0.0/24" }), res("b", SUBNET), res("old", BUCKET)]);
        const head = plan([res("a", SUBNET, { cidrBlock: "10.0.1.0/24" }), res("b", SUBNET), res("n1", NAT), res("n2", NAT)]);
        const d = comparePlans(base, head);
        assert.deepEqual(d.base, { stack: "s", resources: 3 });
        assert.deepEqual(d.resources, { added: [{ type: NAT, count: 2 }], changed: [{ type: SUBNET, count: 1 }], removed: [{ type: BUCKET, count: 1 }] });
    });

    it("a mock id standing for the same resource is no change; one standing for another resource is", () => {
        const base = plan([res("sub", SUBNET, {}, "subnet-aaa"), res("nat", NAT, { subnetId: "subnet-aaa" })]);
        const sameResourceNewId = plan([res("sub", SUBNET, {}, "subnet-bbb"), res("nat", NAT, { subnetId: "subnet-bbb" })]);
        assert.deepEqual(comparePlans(base, sameResourceNewId).resources.changed, []);
        const otherResource = plan([res("sub", SUBNET, {}, "subnet-aaa"), res("sub2", SUBNET, {}, "subnet-ccc"), res("nat", NAT, { subnetId: "subnet-ccc" })]);
        assert.deepEqual(comparePlans(base, otherResource).resources.changed, [{ type: NAT, count: 1 }]);
    });

    it("an unknown (preview) or a redacted secret matches anything; key order and undefined keys do not count", () => {
        const base = plan([res("x", NAT, { arn: "arn:1", auth: secret, tags: { a: "1", b: "2" } })]);
        const head = plan([res("x", NAT, { arn: UNKNOWN, auth: { passwords: [UNKNOWN] }, role: UNKNOWN, tags: { b: "2", a: "1", c: undefined } }, null)]);
        assert.deepEqual(comparePlans(base, head).resources, { added: [], changed: [], removed: [] });
        const retagged = plan([res("x", NAT, { arn: UNKNOWN, auth: secret, tags: { a: "1", b: "3" } })]);
        assert.deepEqual(comparePlans(base, retagged).resources.changed, [{ type: NAT, count: 1 }]);
        const keyAdded = plan([res("x", NAT, { arn: "arn:1", auth: secret, tags: { a: "1", b: "2" }, extra: "e" })]);
        assert.deepEqual(comparePlans(base, keyAdded).resources.changed, [{ type: NAT, count: 1 }]);
    });

    it("a path into this checkout and the same path into the base's checkout are the same; another path is not", () => {
        const base = plan([res("playbooks", "command:local:Command", { dir: "/home/runner/work/repo/repo/base/ansible" })]);
        const same = plan([res("playbooks", "command:local:Command", { dir: path.join(REPO_ROOT, "ansible") })]);
        assert.deepEqual(comparePlans(base, same).resources.changed, []);
        const other = plan([res("playbooks", "command:local:Command", { dir: path.join(REPO_ROOT, "ansible-next") })]);
        assert.deepEqual(comparePlans(base, other).resources.changed, [{ type: "command:local:Command", count: 1 }]);
    });

    it("the cost delta per category when both plans have a cost; null against a base from an older main", () => {
        const base = plan([], { cost: cost({ compute: 1000, network: 300 }) });
        const head = plan([], { cost: cost({ compute: 1250.5, database: 800 }) });
        assert.deepEqual(comparePlans(base, head).cost, {
            monthlyBase: 1300,
            monthlyHead: 2050.5,
            delta: 750.5,
            categories: [
                { name: "compute", base: 1000, head: 1250.5, delta: 250.5 },
                { name: "network", base: 300, head: 0, delta: -300 },
                { name: "database", base: 0, head: 800, delta: 800 },
            ],
        });
        assert.equal(comparePlans(plan([]), head).cost, null);
        assert.equal(comparePlans(base, plan([])).cost, null);
    });

    it("new and fixed violations, matched by policy and URN (a reworded message is neither)", () => {
        const base = plan([], { violations: [v("p1", "u1"), v("p2", "u2", "old words")] });
        const head = plan([], { violations: [v("p2", "u2", "new words"), v("p3", "u1")] });
        const d = comparePlans(base, head);
        assert.deepEqual(d.violations.new, [v("p3", "u1")]);
        assert.deepEqual(d.violations.fixed, [v("p1", "u1")]);
        const unrecorded = { ...plan([]), violations: undefined } as unknown as Plan;
        assert.deepEqual(comparePlans(unrecorded, head).violations, { new: [], fixed: [] }, "a file that recorded none says nothing");
    });

    it("the prod stack planned twice, and in preview against update: an empty diff; one edited input: one change", async () => {
        const [first, again, preview] = await Promise.all([planOf("prod"), planStack("prod", { config: configWith("prod", {}) }), planOf("prod", "preview")]);
        assert.notEqual(first, again, "two separate runs of the program");
        const empty = { added: [], changed: [], removed: [] };
        assert.deepEqual(comparePlans(first, again).resources, empty);
        assert.deepEqual(comparePlans(first, preview).resources, empty);
        assert.deepEqual(comparePlans(first, again).violations, { new: [], fixed: [] });
        const edited = structuredClone(again);
        const rds = edited.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
        rds.props.instanceClass = "db.r6g.4xlarge";
        assert.deepEqual(comparePlans(first, edited).resources.changed, [{ type: "aws:rds/instance:Instance", count: 1 }]);
        const started = performance.now();
        comparePlans(first, preview);
        assert.ok(performance.now() - started < 150, "fast enough for the plan's 0.5 s budget");
    });
});
