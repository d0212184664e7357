/**
 * The indexes that keep stack policies linear answer exactly what the scans they replaced did:
 * Graph.ofType / referrers against a filter over every resource, and prod-workload-availability's
 * HPA and PDB lookups against the per-Deployment scans, on random graphs (fast-check).
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { PolicyResource } from "@pulumi/policy";
import { workloadAvailability } from "../../policy/availability";
import { Graph, T } from "../../policy/lib";
import { analyzeResources } from "../../tools/policyRunner";
import { Fixture, Mode } from "../support/policyFixtures";

const TYPES: string[] = [T.subnet, T.routeTable, T.rtAssoc, T.route];

/** A random graph: resources of a few types whose `a` / `b` props reference others by ID, by URN dependency, or both. */
const graphs = fc
    .array(
        fc.record({
            type: fc.constantFrom(...TYPES),
            refs: fc.array(fc.record({ key: fc.constantFrom("a", "b"), to: fc.nat(), how: fc.constantFrom("id", "dependency", "both") }), { maxLength: 4 }),
        }),
        { minLength: 1, maxLength: 25 },
    )
    .map((specs) => {
        const resources = specs.map(
            (s, i) =>
                ({
                    type: s.type,
                    urn: `urn:${i}`,
                    name: `r${i}`,
                    props: { id: `id-${i}` } as Record<string, unknown>,
                    propertyDependencies: {} as Record<string, PolicyResource[]>,
                    dependencies: [],
                }) as unknown as PolicyResource,
        );
        specs.forEach((s, i) => {
            const r = resources[i];
            for (const ref of s.refs) {
                const target = resources[ref.to % resources.length];
                if (ref.how !== "dependency") r.props[ref.key] = [...((r.props[ref.key] as string[] | undefined) ?? []), `id-${ref.to % resources.length}`];
                if (ref.how !== "id") (r.propertyDependencies[ref.key] ??= []).push(target);
            }
        });
        return resources;
    });

describe("Graph indexes equal scans over the whole graph", () => {
    it("ofType keeps graph order for one or several types", () => {
        fc.assert(
            fc.property(graphs, fc.subarray(TYPES), (resources, types) => {
                assert.deepEqual(
                    new Graph(resources).ofType(...types),
                    resources.filter((r) => types.includes(r.type)),
                );
            }),
        );
    });

    it("referrers equals filtering every resource of the types by its refs", () => {
        fc.assert(
            fc.property(graphs, fc.subarray(TYPES, { minLength: 1 }), fc.constantFrom("a", "b"), (resources, types, key) => {
                const graph = new Graph(resources);
                for (const target of resources) {
                    const scanned = resources.filter((r) => types.includes(r.type) && graph.refs(r, key).includes(target));
                    assert.deepEqual(graph.referrers(target, types, key), scanned);
                }
            }),
        );
    });
});

// ------------------------------------------------------------------ prod-workload-availability's lookups

interface Workloads {
    deployments: Array<{ ns: string; name: string; labels: Record<string, string>; replicas: number }>;
    pdbs: Array<{ ns: string; matchLabels: Record<string, string>; target?: number }>;
    hpas: Array<{ ns: string; target: string; minReplicas: number; ref?: number }>;
}

const ns = fc.constantFrom("app", "jobs");
const labels = fc.dictionary(fc.constantFrom("app", "tier"), fc.constantFrom("web", "api", "worker"), { maxKeys: 2 });
const workloads: fc.Arbitrary<Workloads> = fc.record({
    deployments: fc.uniqueArray(fc.record({ ns, name: fc.constantFrom("web", "api", "worker", "beat"), labels, replicas: fc.integer({ min: 1, max: 3 }) }), {
        minLength: 1,
        maxLength: 5,
        selector: (d) => d.name,
    }),
    pdbs: fc.array(fc.record({ ns, matchLabels: labels, target: fc.option(fc.nat(), { nil: undefined }) }), { maxLength: 5 }),
    hpas: fc.array(
        fc.record({
            ns,
            target: fc.constantFrom("web", "api", "worker", "beat"),
            minReplicas: fc.integer({ min: 1, max: 3 }),
            ref: fc.option(fc.nat(), { nil: undefined }),
        }),
        { maxLength: 4 },
    ),
});

/** The verdicts of the scans the indexes replaced, computed on the declared data. */
function scanned(w: Workloads): string[] {
    const out: string[] = [];
    w.deployments.forEach((d, i) => {
        const hpa = w.hpas.find((h) => (h.ref !== undefined && h.ref % w.deployments.length === i) || (h.target === d.name && h.ns === d.ns));
        const replicas = hpa ? hpa.minReplicas : d.replicas;
        if (replicas < 2) out.push(`deployment dep-${d.name}: ${hpa ? "HPA minReplicas" : "replicas"} is ${replicas}`);
        const keys = (m: Record<string, string>) => Object.keys(m);
        const covered = w.pdbs.some(
            (p) =>
                p.ns === d.ns &&
                ((p.target !== undefined && p.target % w.deployments.length === i) ||
                    (keys(p.matchLabels).length > 0 && keys(p.matchLabels).every((k) => d.labels[k] === p.matchLabels[k]))),
        );
        if (!covered) out.push(`deployment dep-${d.name} has no PodDisruptionBudget selecting its pods`);
    });
    return out.sort();
}

async function evaluated(w: Workloads, mode: Mode): Promise<string[]> {
    const f = new Fixture();
    const deployments = w.deployments.map((d) =>
        f.add(T.deployment, `dep-${d.name}`, {
            metadata: { name: d.name, namespace: d.ns },
            spec: {
                replicas: d.replicas,
                template: {
                    metadata: { labels: d.labels },
                    spec: { topologySpreadConstraints: [{ topologyKey: "topology.kubernetes.io/zone" }], containers: [] },
                },
            },
        }),
    );
    const target = (i: number | undefined) => (i === undefined ? {} : { target: f.ref(deployments[i % deployments.length]) });
    w.pdbs.forEach((p, i) =>
        f.add(T.pdb, `pdb-${i}`, { metadata: { namespace: p.ns }, spec: { selector: { matchLabels: p.matchLabels }, ...target(p.target) } }),
    );
    w.hpas.forEach((h, i) =>
        f.add(T.hpa, `hpa-${i}`, { metadata: { namespace: h.ns }, spec: { scaleTargetRef: { name: h.target }, minReplicas: h.minReplicas, ...target(h.ref) } }),
    );
    const diagnostics = await analyzeResources(f.resources(mode), { policies: [workloadAvailability] });
    // Keep the part of each message the scan decided: which HPA counted, and whether a PDB covers.
    return diagnostics.map((d) => d.message.split("\n").pop()!.replace(/;.*$/, "")).sort();
}

describe("prod-workload-availability's HPA and PDB indexes equal the scans", () => {
    for (const mode of ["update", "preview"] as Mode[]) {
        it(`on random Deployments, PDBs and HPAs (${mode})`, async () => {
            await fc.assert(
                fc.asyncProperty(workloads, async (w) => {
                    assert.deepEqual(await evaluated(w, mode), scanned(w));
                }),
                { numRuns: 60 },
            );
        });
    }
});
