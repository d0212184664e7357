/**
 * The Mermaid diagram (tools/report/diagram.ts, issue #15 build 6). No Mermaid parser runs here without a
 * browser (the renders part opens it in headless Chromium), so this checks the structure Mermaid needs:
 * one `flowchart LR` header, balanced subgraphs, unique ids, every edge's ends declared, labels that
 * cannot close their quotes, and the content: regions, tiers, AZs, the main resources and the flows.
 */
import * as assert from "node:assert/strict";
import type { Plan } from "../../../tools/offline";
import { mermaidOf, mermaidText } from "../../../tools/report/diagram";
import { planOf } from "../../support";

interface Parsed {
    nodes: Map<string, string>;
    subgraphs: Map<string, string>;
    edges: { from: string; to: string; label: string; dashed: boolean }[];
    /** Subgraph label path of each node, outermost first. */
    within: Map<string, string[]>;
}

/** A strict reader of the subset of flowchart syntax mermaidOf writes: anything else fails the test. */
function parse(source: string): Parsed {
    const lines = source.split("\n");
    assert.equal(lines[0], "flowchart LR");
    const p: Parsed = { nodes: new Map(), subgraphs: new Map(), edges: [], within: new Map() };
    const stack: string[] = [];
    const ids = new Set<string>();
    const label = /"([^"]*)"/.source;
    for (const raw of lines.slice(1)) {
        const line = raw.trim();
        let m: RegExpExecArray | null;
        if ((m = new RegExp(`^subgraph ([A-Za-z][\\w]*)\\[${label}\\]$`).exec(line))) {
            assert.ok(!ids.has(m[1]), `duplicate id ${m[1]}`);
            ids.add(m[1]);
            p.subgraphs.set(m[1], m[2]);
            stack.push(m[2]);
        } else if (line === "end") {
            assert.ok(stack.pop() !== undefined, "an end without its subgraph");
        } else if ((m = new RegExp(`^([A-Za-z][\\w]*)(?:\\[${label}\\]|\\[\\(${label}\\)\\])$`).exec(line))) {
            assert.ok(!ids.has(m[1]), `duplicate id ${m[1]}`);
            ids.add(m[1]);
            p.nodes.set(m[1], m[2] ?? m[3]);
            p.within.set(m[1], [...stack]);
        } else if ((m = new RegExp(`^([A-Za-z][\\w]*) (-->|-\\.->)\\|${label}\\| ([A-Za-z][\\w]*)$`).exec(line))) {
            p.edges.push({ from: m[1], to: m[4], label: m[3], dashed: m[2] === "-.->" });
        } else assert.fail(`not flowchart syntax mermaidOf writes: ${JSON.stringify(raw)}`);
    }
    assert.equal(stack.length, 0, "unbalanced subgraphs");
    for (const e of p.edges) assert.ok(p.nodes.has(e.from) && p.nodes.has(e.to), `edge ${e.from} -> ${e.to} to an undeclared node`);
    for (const id of ids) assert.ok(!/^(end|graph|subgraph|flowchart)$/i.test(id), `reserved word as id: ${id}`);
    return p;
}

const nodesLabelled = (p: Parsed, re: RegExp): string[] => [...p.nodes].filter(([, l]) => re.test(l)).map(([id]) => id);
const edgesBetween = (p: Parsed, from: RegExp, to: RegExp): Parsed["edges"] =>
    p.edges.filter((e) => from.test(p.nodes.get(e.from)!) && to.test(p.nodes.get(e.to)!));

describe("architecture diagram (tools/report/diagram.ts)", () => {
    it("escapes what could end a quoted label or start an entity", () => {
        const hostile = 'a"]; end\nsubgraph x["y"] |z| `c` <b> #1';
        const text = mermaidText(hostile);
        assert.doesNotMatch(text, /["\n<>|`]/);
        assert.match(text, /#quot;/);
        assert.match(text, /#35;1/, "a literal # does not start an entity");
    });

    it("a resource named to break the syntax stays inside its label", async () => {
        const plan = structuredClone(await planOf("prod")) as Plan;
        const alb = plan.resources.find((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")!;
        alb.name = 'alb"] --> n0; end\nsubgraph evil["x';
        const parsed = parse(mermaidOf(plan));
        assert.equal(nodesLabelled(parsed, /^ALB alb#quot;/).length, 1);
    });

    for (const stack of ["prod", "dr"]) {
        it(`${stack}: valid structure, regions, tiers, AZs, the main resources and the data flows`, async () => {
            const plan = await planOf(stack);
            const source = mermaidOf(plan);
            const p = parse(source);
            assert.ok(p.nodes.size < 80, `${p.nodes.size} nodes: aggregated, not one per resource`);
            const region = stack === "prod" ? "eu-west-2" : "eu-west-1";
            assert.ok([...p.subgraphs.values()].includes(`AWS ${region} (stack ${stack})`));
            assert.ok([...p.subgraphs.values()].includes("on-prem site"));
            for (const tier of ["NetworkTier network", "AppCluster app"]) assert.ok([...p.subgraphs.values()].includes(tier), tier);
            for (const az of ["a", "b", "c"]) {
                const inAz = [...p.within].filter(([, path]) => path.includes(`${region}${az}`)).map(([id]) => p.nodes.get(id)!);
                assert.ok(
                    inAz.some((l) => /^NAT gateway/.test(l)) && inAz.some((l) => /^EKS node group/.test(l)) && inAz.some((l) => /subnet/.test(l)),
                    `${az}: ${inAz}`,
                );
            }
            for (const main of [
                /^ALB/,
                /^WAF/,
                /^EKS control plane/,
                /^RDS PostgreSQL/,
                /^ElastiCache Redis/,
                /^S3 buckets/,
                /^Site-to-Site VPN/,
                /^on-prem firewall/,
            ])
                assert.ok(nodesLabelled(p, main).length >= 1, `${main} missing`);
            assert.equal(edgesBetween(p, /^WAF/, /^ALB/).length, 1);
            assert.equal(edgesBetween(p, /^ALB/, /^EKS node group/).length, 3, "the ALB serves the node group of each AZ");
            assert.equal(edgesBetween(p, /^EKS node group/, /^RDS PostgreSQL/).length, 3);
            assert.ok(
                edgesBetween(p, /^EKS node group/, /^RDS/).every((e) => e.label === "postgres :5432"),
                "labels from model/flows.ts",
            );
            assert.equal(edgesBetween(p, /^Site-to-Site VPN/, /^on-prem firewall/).length, 1);
            const replication = p.edges.filter((e) => e.dashed);
            assert.ok(replication.length >= 1, "cross-region replication is drawn");
            for (const e of replication) assert.notEqual(p.within.get(e.from)![0], p.within.get(e.to)![0], "a replication edge crosses regions");
        });
    }

    it("dr: the read replica from prod's region and the documents replicated into dr", async () => {
        const p = parse(mermaidOf(await planOf("dr")));
        const [replica] = edgesBetween(p, /^RDS primary/, /^RDS PostgreSQL/);
        assert.ok(replica?.dashed && replica.label === "read replica");
        assert.deepEqual(p.within.get(replica.from)!.slice(0, 1), ["AWS eu-west-2"]);
        assert.ok(p.edges.some((e) => e.dashed && /^S3 replication/.test(e.label) && p.within.get(e.to)![0] === "AWS eu-west-1 (stack dr)"));
    });
});
