/**
 * The benchmark's synthetic plans: copies of the prod plan with renamed identities, whose
 * references resolve within their own copy, so the pack finds in n copies what it finds in one.
 */
import * as assert from "node:assert/strict";
import { PlannedResource } from "../../tools/offline";
import { evaluatePlan } from "../../tools/policyRunner";
import { copiesFor, replicateResources } from "../../tools/syntheticPlan";
import { planOf } from "../support";

const urnOf = (ref: string) => ref.slice(0, ref.lastIndexOf("::"));

/** Every URN a resource quotes: parent, provider, dependencies and property dependencies. */
const quoted = (r: PlannedResource): string[] => [
    ...(r.parent ? [r.parent] : []),
    ...(r.provider ? [urnOf(r.provider)] : []),
    ...r.dependencies,
    ...Object.values(r.propertyDependencies).flat(),
];

describe("synthetic plans (tools/syntheticPlan.ts)", () => {
    it("renames every URN, ID and ARN per copy, and each copy's references stay within it", async () => {
        const base = (await planOf("prod")).resources;
        const copies = replicateResources(base, 3);
        assert.equal(copies.length, base.length * 3);
        for (const key of ["urn", "id"] as const) {
            const values = copies.map((r) => r[key]).filter((v) => v !== null);
            assert.equal(new Set(values).size, values.length, `${key}s are unique`);
        }
        // A few resources share an ARN in the plan itself (a topic and its TopicPolicy): distinct per copy.
        const distinctArns = (rs: PlannedResource[]) => new Set(rs.map((r) => r.props.arn).filter((a) => typeof a === "string")).size;
        assert.equal(distinctArns(copies), 3 * distinctArns(base), "ARNs are distinct per copy");
        const copyOf = new Map(copies.map((r, i) => [r.urn, Math.floor(i / base.length)]));
        copies.forEach((r, i) => {
            for (const urn of quoted(r)) assert.equal(copyOf.get(urn), Math.floor(i / base.length), `${r.urn} quotes ${urn}`);
        });
        // An ID quoted in props (a route's routeTableId, ...) is the same copy's.
        const idCopy = new Map(copies.filter((r) => r.id).map((r) => [r.id!, copyOf.get(r.urn)]));
        const route = copies.filter((r) => r.type === "aws:ec2/route:Route").at(-1)!;
        assert.equal(idCopy.get(route.props.routeTableId as string), 2);
    });

    it("gives the pack, in n copies, n times the diagnostics of one", async () => {
        const plan = await planOf("prod");
        const one = await evaluatePlan(plan);
        const three = await evaluatePlan({ ...plan, resources: replicateResources(plan.resources, 3) });
        const count = (ds: typeof one) => ds.map((d) => `${d.policy}:${d.enforcementLevel}`).sort();
        assert.deepEqual(count(three), [...count(one), ...count(one), ...count(one)].sort());
    });

    it("sizes by copies, and refuses a copy count that is not a positive integer", () => {
        assert.equal(copiesFor(new Array(364), 100_000), 275);
        assert.equal(copiesFor(new Array(364), 10), 1);
        assert.throws(() => replicateResources([], 0), RangeError);
    });
});
