/**
 * The deploy critical path (tools/report/criticalPath.ts, issue #15 build 5): hand-computed longest paths on
 * small graphs (chains, parallel branches, components, providers), properties against a brute-force oracle,
 * the needless serialization it prices, and the real prod and dr plans.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import type { PlannedResource } from "../../../tools/offline";
import { criticalPathOf } from "../../../tools/report/criticalPath";
import { CREATION_TIMES, creationTimeOf, DEFAULT_CREATION_TIME } from "../../../model/creationTimes";
import { planOf } from "../../support";
import { plannedResource } from "../../support/plannedResource";

const STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";
const urnOf = (name: string, type: string): string => `urn:pulumi:t::p::${type}::${name}`;
interface Spec {
    type?: string;
    /** Names this resource reads outputs of (propertyDependencies). */
    reads?: string[];
    /** Names it only dependsOn. */
    after?: string[];
    parent?: string;
    custom?: boolean;
    provider?: string;
    props?: Record<string, unknown>;
}
/** A graph from name -> spec; every resource parented to the stack unless told. */
function graph(specs: Record<string, Spec>): PlannedResource[] {
    const urns = new Map(Object.entries(specs).map(([n, s]) => [n, urnOf(n, s.type ?? "aws:iam/role:Role")]));
    const u = (n: string): string => urns.get(n) ?? assert.fail(`no ${n}`);
    const stack = plannedResource("pulumi:pulumi:Stack", "p-t", {}, { urn: STACK, id: null, custom: false });
    return [
        stack,
        ...Object.entries(specs).map(([name, s]) =>
            plannedResource(s.type ?? "aws:iam/role:Role", name, s.props ?? {}, {
                urn: u(name),
                parent: s.parent ? u(s.parent) : STACK,
                custom: s.custom ?? true,
                provider: s.provider ? `${u(s.provider)}::${s.provider}-id` : null,
                dependencies: [...(s.reads ?? []), ...(s.after ?? [])].map(u),
                propertyDependencies: (s.reads ? { input: s.reads.map(u) } : {}) as Record<string, string[]>,
            }),
        ),
    ];
}
const t = (type: string): number => creationTimeOf(type, {}, !type.startsWith("hybrid:") && type !== "eks:index:Cluster").minutes;
const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const NAT = "aws:ec2/natGateway:NatGateway";
const SEARCH = "aws:opensearch/domain:Domain";
const EKS = "eks:index:Cluster";
const NODES = "aws:eks/nodeGroup:NodeGroup";
const HELM = "kubernetes:helm.sh/v3:Release";
const ROLE = "aws:iam/role:Role";
const near = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 0.011, `${actual} != ${expected}`);
const names = (steps: { urn: string }[]): string[] => steps.map((s) => s.urn.split("::").pop()!);

describe("deploy critical path (tools/report/criticalPath.ts)", () => {
    it("every figure in the table has minutes and a source URL, and an upper bound is never below the figure", () => {
        for (const [type, rule] of Object.entries(CREATION_TIMES)) {
            const figures =
                typeof rule === "function" ? [rule({}), rule({ multiAz: true }), rule({ replicateSourceDb: "arn:aws:rds:eu-west-2:1:db:x" })] : [rule];
            for (const f of figures) {
                assert.ok(f.minutes >= 0, type);
                assert.match(f.source, /^https:\/\//, type);
                if (f.upperBound !== undefined) assert.ok(f.upperBound >= f.minutes, `${type}: the provider timeout is an upper bound`);
            }
        }
        assert.ok(creationTimeOf("aws:rds/instance:Instance", { multiAz: true }, true).minutes > creationTimeOf("aws:rds/instance:Instance", {}, true).minutes);
        assert.equal(creationTimeOf("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {}, true), DEFAULT_CREATION_TIME);
    });

    it("a chain and a parallel branch: the longer one is the path", () => {
        const r = criticalPathOf(
            graph({
                vpc: { type: VPC },
                subnet: { type: SUBNET, reads: ["vpc"] },
                nat: { type: NAT, reads: ["subnet"] },
                search: { type: SEARCH, reads: ["vpc"] },
            }),
        );
        near(r.totalMinutes, Math.max(t(VPC) + t(SUBNET) + t(NAT), t(VPC) + t(SEARCH)));
        assert.deepEqual(names(r.steps), ["vpc", "search"]);
        near(r.steps[0].finishesAt, t(VPC));
        near(r.steps[1].finishesAt, t(VPC) + t(SEARCH));
        assert.equal(r.steps[1].source, creationTimeOf(SEARCH, {}, true).source);
    });

    it("independent branches run in parallel: the total is the longest, not the sum", () => {
        const r = criticalPathOf(graph({ a: { type: NAT }, b: { type: NAT, reads: ["a"] }, c: { type: SEARCH } }));
        near(r.totalMinutes, Math.max(2 * t(NAT), t(SEARCH)));
    });

    it("a component finishes when its children do; waiting on it waits for all of them", () => {
        const r = criticalPathOf(
            graph({
                tier: { type: "hybrid:x:Tier", custom: false },
                quick: { type: NAT, parent: "tier" },
                slow: { type: SEARCH, parent: "tier" },
                after: { type: HELM, after: ["tier"] },
            }),
        );
        near(r.totalMinutes, t(SEARCH) + t(HELM));
        assert.deepEqual(names(r.steps), ["slow", "after"]);
    });

    it("a child waits for what its parent waits for", () => {
        const r = criticalPathOf(
            graph({ vpc: { type: VPC }, tier: { type: "hybrid:x:Tier", custom: false, after: ["vpc"] }, child: { type: NAT, parent: "tier" } }),
        );
        near(r.totalMinutes, t(VPC) + t(NAT));
        assert.deepEqual(names(r.steps), ["vpc", "child"]);
    });

    it("a resource waits for its provider (the Kubernetes provider reads the cluster's kubeconfig)", () => {
        const r = criticalPathOf(
            graph({
                eks: { type: EKS, custom: false },
                k8s: { type: "pulumi:providers:kubernetes", reads: ["eks"] },
                chart: { type: HELM, provider: "k8s" },
            }),
        );
        near(r.totalMinutes, t(EKS) + t(HELM));
        assert.deepEqual(names(r.steps), ["eks", "chart"]);
    });

    it("prices a dependsOn between tiers that reads nothing, and only that", () => {
        const specs: Record<string, Spec> = {
            net: { type: "hybrid:n:Net", custom: false },
            vpc: { type: VPC, parent: "net" },
            obs: { type: "hybrid:o:Obs", custom: false },
            search: { type: SEARCH, parent: "obs", reads: ["vpc"] },
            runner: { type: "hybrid:r:Runner", custom: false },
            role: { type: ROLE, parent: "runner", after: ["search"] },
            chart: { type: HELM, parent: "runner", reads: ["role"] },
        };
        const r = criticalPathOf(graph(specs));
        const total = t(VPC) + t(SEARCH) + t(ROLE) + t(HELM);
        near(r.totalMinutes, total);
        assert.equal(r.needlessSerialization.length, 1);
        const [n] = r.needlessSerialization;
        assert.equal(n.from, urnOf("search", SEARCH));
        assert.equal(n.to, urnOf("role", ROLE));
        assert.deepEqual([n.fromTier, n.toTier], ["Obs obs", "Runner runner"]);
        // Without it the role starts at once; the path is then the VPC and the domain.
        near(n.minutesSaved, total - (t(VPC) + t(SEARCH)));
        // The same wait through an input read is a data need; inside one tier it is the tier's own business.
        assert.deepEqual(criticalPathOf(graph({ ...specs, role: { type: ROLE, parent: "runner", reads: ["search"] } })).needlessSerialization, []);
        assert.deepEqual(criticalPathOf(graph({ ...specs, role: { type: ROLE, parent: "obs", after: ["search"] } })).needlessSerialization, []);
    });

    it("a resource waiting on its own ancestor (a deadlock in a real deploy) does not hang the report", () => {
        const r = criticalPathOf(graph({ tier: { type: "hybrid:x:Tier", custom: false }, child: { type: NAT, parent: "tier", after: ["tier"] } }));
        near(r.totalMinutes, t(NAT));
    });

    describe("properties on random graphs", () => {
        const TYPES = [VPC, SUBNET, NAT, SEARCH, NODES, HELM, ROLE];
        /** A flat DAG: resource i depends on some of 0..i-1, read or dependsOn. */
        const dag = fc
            .array(fc.record({ type: fc.constantFrom(...TYPES), deps: fc.uniqueArray(fc.nat(40), { maxLength: 4 }), read: fc.boolean() }), {
                minLength: 1,
                maxLength: 40,
            })
            .map((rows) =>
                Object.fromEntries(
                    rows.map((row, i) => [
                        `r${i}`,
                        { type: row.type, [row.read ? "reads" : "after"]: row.deps.filter((d) => d < i).map((d) => `r${d}`) } as Spec,
                    ]),
                ),
            );
        /** The oracle: finish(i) = own time + the latest finish among its dependencies, by plain recursion. */
        const brute = (specs: Record<string, Spec>): number => {
            const memo = new Map<string, number>();
            const finish = (n: string): number =>
                memo.get(n) ??
                (memo.set(n, t(specs[n].type!) + Math.max(0, ...[...(specs[n].reads ?? []), ...(specs[n].after ?? [])].map(finish))), memo.get(n)!);
            return Math.max(...Object.keys(specs).map(finish));
        };

        it("the total is the brute-force longest path, at least every single resource's time, and the steps chain up to it", () => {
            fc.assert(
                fc.property(dag, (specs) => {
                    const r = criticalPathOf(graph(specs));
                    near(r.totalMinutes, brute(specs));
                    for (const s of Object.values(specs)) assert.ok(r.totalMinutes >= t(s.type!) - 0.005);
                    near(r.steps.at(-1)?.finishesAt ?? 0, r.totalMinutes);
                    near(
                        r.steps.reduce((sum, s) => sum + s.minutes, 0),
                        r.totalMinutes,
                    );
                    r.steps.forEach((s, i) => i > 0 && assert.ok(s.finishesAt >= r.steps[i - 1].finishesAt));
                }),
            );
        });

        it("adding an edge never shortens the path", () => {
            fc.assert(
                fc.property(dag, fc.nat(), fc.nat(), (specs, x, y) => {
                    const keys = Object.keys(specs);
                    const [from, to] = [keys[x % keys.length], keys[y % keys.length]];
                    fc.pre(keys.indexOf(from) < keys.indexOf(to));
                    const more = { ...specs, [to]: { ...specs[to], after: [...(specs[to].after ?? []), from] } };
                    assert.ok(criticalPathOf(graph(more)).totalMinutes >= criticalPathOf(graph(specs)).totalMinutes - 0.005);
                }),
            );
        });
    });

    describe("the real plans", () => {
        for (const stack of ["prod", "dr"]) {
            it(`${stack}: starts at the VPC, passes a long create (EKS, RDS or OpenSearch), in a few ms, the same in preview`, async () => {
                const [plan, preview] = await Promise.all([planOf(stack), planOf(stack, "preview")]);
                criticalPathOf(plan.resources);
                const started = performance.now();
                const r = criticalPathOf(plan.resources);
                const ms = performance.now() - started;
                assert.ok(ms < 100, `${ms.toFixed(1)} ms for ${plan.resources.length} resources`);
                assert.equal(r.steps[0].type, VPC);
                assert.ok(
                    r.steps.some((s) => [EKS, "aws:rds/instance:Instance", SEARCH].includes(s.type)),
                    names(r.steps).join(" -> "),
                );
                const longest = Math.max(...plan.resources.map((x) => creationTimeOf(x.type, x.props, x.custom).minutes));
                assert.ok(r.totalMinutes >= longest);
                assert.deepEqual(criticalPathOf(preview.resources), r, "preview: the same graph, the same path");
                const byUrn = new Map(plan.resources.map((x) => [x.urn, x]));
                for (const n of r.needlessSerialization) {
                    const dependent = byUrn.get(n.to)!;
                    assert.ok(dependent.dependencies.includes(n.from), "a real dependency");
                    assert.ok(!Object.values(dependent.propertyDependencies).flat().includes(n.from), "that reads nothing");
                    assert.notEqual(n.fromTier, n.toTier);
                    assert.ok(n.minutesSaved > 0 && n.minutesSaved <= r.totalMinutes);
                }
            });
        }
    });
});
