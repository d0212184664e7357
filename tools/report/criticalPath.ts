/**
 * The deploy critical path (issue #15 build 5): the longest chain of creations through a plan's
 * dependency graph, at the typical creation time of each type (model/creationTimes.ts), and the
 * dependencies between tiers that serialize work for no data need. Pure and linear in the graph.
 *
 * Pulumi's semantics, as modelled here (a `pulumi up` of a new stack):
 * - A resource is registered, so its create starts, once every resource it depends on has finished:
 *   `dependencies` (the union of `dependsOn` and of the resources whose outputs its inputs read, which
 *   `propertyDependencies` lists per input) and its provider (`provider`: the Kubernetes provider reads
 *   the cluster's kubeconfig, so every Kubernetes object waits for the cluster).
 * - A dependency on a component waits for all of the component's children (the Node.js SDK expands a
 *   component in `dependsOn` to its transitive custom and remote children: pulumi/pulumi#1743, #7542).
 *   So a component finishes when its last child does, or after its own time when it is a remote
 *   component with one (eks:index:Cluster, opaque under mocks).
 * - A child starts no earlier than its parent: what the component's constructor waited for (its own
 *   `dependsOn`, which the engine passes down to a remote component's children) holds back the children
 *   it creates. This is conservative for local components, whose children carry their own dependencies.
 * - Creates run in parallel otherwise (the engine's default parallelism is unbounded for this size).
 */
import type { PlannedResource, Plan } from "../offline";
import { tierOf } from "../offline";
import { creationTimeOf, type CreationTime } from "../../model/creationTimes";
import type { CriticalPathReport, CriticalPathStep } from "./types";

/** The URN of a provider reference "urn::id" (the id is a mock's, or the unknown sentinel in preview). */
const providerUrn = (ref: string): string => ref.slice(0, ref.lastIndexOf("::"));
const round = (m: number): number => Math.round(m * 100) / 100;

/** The graph in index form: three nodes per resource, start (3i), own finish (3i+1), finish with children (3i+2). */
interface Graph {
    readonly resources: readonly PlannedResource[];
    readonly times: readonly CreationTime[];
    /** For each resource, the indices of what its start waits for (dependencies and provider). */
    readonly waitsFor: readonly number[][];
    /** For each resource, which of `waitsFor` are dependsOn-only (no input reads them, not the provider). */
    readonly dependsOnOnly: readonly Set<number>[];
    readonly parent: readonly number[];
    readonly children: readonly number[][];
}

function graphOf(resources: readonly PlannedResource[]): Graph {
    const index = new Map(resources.map((r, i) => [r.urn, i]));
    const waitsFor: number[][] = [];
    const dependsOnOnly: Set<number>[] = [];
    const parent: number[] = [];
    const children: number[][] = resources.map(() => []);
    resources.forEach((r, i) => {
        const read = new Set(Object.values(r.propertyDependencies ?? {}).flat());
        const deps = new Set<number>();
        const only = new Set<number>();
        for (const urn of r.dependencies ?? []) {
            const d = index.get(urn);
            if (d === undefined || d === i) continue;
            deps.add(d);
            if (!read.has(urn)) only.add(d);
        }
        const p = r.provider ? index.get(providerUrn(r.provider)) : undefined;
        if (p !== undefined && p !== i) {
            deps.add(p);
            only.delete(p);
        }
        waitsFor.push([...deps]);
        dependsOnOnly.push(only);
        const pi = r.parent ? index.get(r.parent) : undefined;
        parent.push(pi ?? -1);
        if (pi !== undefined) children[pi].push(i);
    });
    return { resources, times: resources.map((r) => creationTimeOf(r.type, r.props ?? {}, r.custom)), waitsFor, dependsOnOnly, parent, children };
}

interface Schedule {
    /** Minutes at each node (3 per resource). */
    readonly at: Float64Array;
    /** The node each node's value comes from (-1 at the start). */
    readonly via: Int32Array;
    readonly total: number;
    /** The own-finish node the longest chain ends at (-1 for an empty graph). */
    readonly last: number;
}

/**
 * Longest path over the node DAG in topological order (Kahn): O(resources + edges). `skip(i, d)` drops
 * the edge "resource i waits for d" (to price a needless dependency). A cycle (a resource waiting on its
 * own ancestor) would deadlock a real deploy; its nodes are settled with the edges already known.
 */
function schedule(g: Graph, skip?: (i: number, d: number) => boolean): Schedule {
    const n = g.resources.length * 3;
    const preds: number[][] = Array.from({ length: n }, () => []);
    g.resources.forEach((_, i) => {
        const s = 3 * i;
        if (g.parent[i] >= 0) preds[s].push(3 * g.parent[i]);
        for (const d of g.waitsFor[i]) if (!skip?.(i, d)) preds[s].push(3 * d + 2);
        preds[s + 1].push(s);
        preds[s + 2].push(s + 1);
        for (const c of g.children[i]) preds[s + 2].push(3 * c + 2);
    });
    const succs: number[][] = Array.from({ length: n }, () => []);
    const pending = new Int32Array(n);
    preds.forEach((ps, v) => {
        pending[v] = ps.length;
        for (const p of ps) succs[p].push(v);
    });
    const at = new Float64Array(n);
    const via = new Int32Array(n).fill(-1);
    const done = new Uint8Array(n);
    const settle = (v: number): void => {
        let best = 0;
        let from = -1;
        for (const p of preds[v])
            if (done[p] && at[p] > best) {
                best = at[p];
                from = p;
            }
        // An own-finish node adds the resource's creation time to its start.
        at[v] = v % 3 === 1 ? best + g.times[(v - 1) / 3].minutes : best;
        via[v] = from;
        done[v] = 1;
    };
    const queue: number[] = [];
    for (let v = 0; v < n; v++) if (pending[v] === 0) queue.push(v);
    const drain = (): void => {
        for (let head = 0; head < queue.length; head++) {
            const v = queue[head];
            settle(v);
            for (const s of succs[v]) if (--pending[s] === 0) queue.push(s);
        }
        queue.length = 0;
    };
    drain();
    for (let v = 0; v < n; v++)
        if (!done[v]) {
            pending[v] = 0;
            queue.push(v);
            drain();
        }
    let last = -1;
    for (let i = 0; i < g.resources.length; i++) if (last < 0 || at[3 * i + 1] > at[last]) last = 3 * i + 1;
    return { at, via, total: last < 0 ? 0 : at[last], last };
}

/** The longest chain through `resources` at typical creation times, and the needless serialization on it. */
export function criticalPathOf(resources: PlannedResource[]): CriticalPathReport {
    const g = graphOf(resources);
    const base = schedule(g);
    const steps: CriticalPathStep[] = [];
    /** Edges "resource `to` waits for resource `from`" the chain takes. */
    const waits: { from: number; to: number }[] = [];
    for (let v = base.last; v >= 0; v = base.via[v]) {
        const i = Math.floor(v / 3);
        if (v % 3 === 1 && g.times[i].minutes > 0) {
            const r = resources[i];
            steps.push({ urn: r.urn, type: r.type, minutes: g.times[i].minutes, source: g.times[i].source, finishesAt: round(base.at[v]) });
        }
        const from = base.via[v];
        if (v % 3 === 0 && from >= 0 && from % 3 === 2) waits.push({ from: Math.floor(from / 3), to: i });
    }
    steps.reverse();
    return { totalMinutes: round(base.total), steps, needlessSerialization: needless(g, base.total, waits) };
}

/**
 * The chain's waits that cross tiers through `dependsOn` alone (the dependent reads no output of the
 * dependency). Each is priced by dropping every such edge from the dependent to the dependency's tier
 * (a dependsOn on a component expands to all its children) and scheduling again.
 */
function needless(g: Graph, total: number, waits: readonly { from: number; to: number }[]): CriticalPathReport["needlessSerialization"] {
    const byUrn = new Map(g.resources.map((r) => [r.urn, r]));
    const plan = { resources: g.resources } as unknown as Plan;
    const tier = (i: number): string => tierOf(plan, g.resources[i], byUrn);
    const out: CriticalPathReport["needlessSerialization"] = [];
    for (const { from, to } of waits) {
        if (!g.dependsOnOnly[to].has(from)) continue;
        const fromTier = tier(from);
        const toTier = tier(to);
        if (fromTier === toTier) continue;
        const dropped = [...g.dependsOnOnly[to]].filter((d) => tier(d) === fromTier);
        const without = schedule(g, (i, d) => i === to && dropped.includes(d)).total;
        const saved = round(total - without);
        if (saved <= 0) continue;
        const [f, t] = [g.resources[from], g.resources[to]];
        out.push({
            from: f.urn,
            to: t.urn,
            why: `${t.type} ${t.name} (${toTier}) waits for ${f.type} ${f.name} (${fromTier}) through dependsOn (${dropped.length} edge${dropped.length === 1 ? "" : "s"} to that tier) but reads none of its outputs`,
            minutesSaved: saved,
            fromTier,
            toTier,
        });
    }
    return out;
}
