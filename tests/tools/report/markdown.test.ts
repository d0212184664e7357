import * as assert from "node:assert/strict";
import type { PlanViolation } from "../../../tools/offline";
import { GITHUB_COMMENT_LIMIT, type ReportInput, markdownReport, md } from "../../../tools/report/markdown";
import type { PlanReview } from "../../../tools/report/types";
import { planOf } from "../../support";
import { FIXTURE_DIAGRAM, reviewFixture } from "../../support/reviewFixture";

async function input(edit: (r: ReportInput) => void = () => undefined, stack = "prod"): Promise<ReportInput> {
    const plan = await planOf(stack);
    const report = { ...plan, ...reviewFixture(plan) };
    edit(report);
    return report;
}

/** A table row's cells: split on the pipes Markdown reads as cell borders (not the escaped ones). */
const cells = (row: string) =>
    row
        .trim()
        .slice(1, -1)
        .split(/(?<!\\)\|/);

const DIFF: NonNullable<PlanReview["diff"]> = {
    base: { stack: "prod", resources: 500 },
    resources: { added: [{ type: "aws:ec2/natGateway:NatGateway", count: 2 }], changed: [], removed: [{ type: "aws:kms/key:Key", count: 1 }] },
    cost: { monthlyBase: 4000, monthlyHead: 4090, delta: 90, categories: [{ name: "network", base: 100, head: 190, delta: 90 }] },
    violations: { new: [{ policy: "rds-multi-az", urn: "u::db", message: "multiAz is false", enforcementLevel: "mandatory" }], fixed: [] },
};

describe("Markdown report (issue #15 item 7)", () => {
    it("escapes what would break a table or vanish as HTML: |, <placeholders>, emphasis, newlines", () => {
        assert.equal(md("a|b"), "a\\|b");
        assert.equal(md("<owner>/<repo>"), "&lt;owner&gt;/&lt;repo&gt;");
        assert.equal(md("*x* _y_ [z] `c` \\"), "\\*x\\* \\_y\\_ \\[z\\] \\`c\\` \\\\");
        assert.equal(md("two\nlines"), "two lines");
    });

    it("a resource name with | or a newline keeps its row's cells: the table does not break", async () => {
        const report = await input((r) => {
            const l = r.cost.lines[0];
            r.cost.lines[0] = { ...l, urn: `${l.urn}|evil|name`, item: "item\n| spills", monthly: 1e9 };
            r.violations = [{ policy: "p|q", enforcementLevel: "advisory", message: "desc\nbucket a|b: <script>alert(1)</script>", urn: "urn::x|y" }];
        });
        const text = markdownReport(report);
        const lines = text.split("\n");
        const header = lines.find((l) => l.startsWith("| resource | type | item |"))!;
        const row = lines.find((l) => l.includes("evil"))!;
        assert.equal(cells(row).length, cells(header).length, row);
        const violation = lines.find((l) => l.includes("p\\|q"))!;
        assert.equal(cells(violation).length, 4, violation);
        assert.ok(!text.includes("<script>"), "no raw HTML from a name");
    });

    it("sections: verdict, cost table by seed line, cost lines collapsed, unpriced, capacity, availability, DR, critical path, mermaid, violations", async () => {
        const text = markdownReport(await input());
        assert.match(
            text,
            /^# Plan review: prod — ATTENTION\n\n> \*\*verdict prod: \d+ resources · 0 mandatory, 0 advisory · \$[\d,]+\+\/month · SLA 99\.778% \(target 99\.9%, 99\.999% with DR\) · RPO 5 min \/ RTO 62 min: ATTENTION\*\*/,
        );
        assert.match(text, /^\| Compute \(EKS\/EC2\): 6 nodes \+ cluster management \([^|]+\) \| \$[\d,]+ \| \$1,200 \|$/m);
        assert.match(text, /^\| \*\*Total, [^*]+\*\* \| \*\*\$[\d,]+\*\* \| \*\*~\$3,350\*\* \|$/m);
        assert.match(text, /<details><summary>Cost lines \(\d+; usage-based ones carry their assumption\)<\/summary>\n\n\| resource/);
        assert.match(text, /\*\*Unpriced \(1\): not counted in the total\*\*/);
        assert.match(text, /^\| Route 53 \| 100% \| https:\/\/aws\.amazon\.com\/route53\/sla\/ \|$/m);
        assert.match(text, /^\| EKS \\\| EC2 \| 99\.95% \|/m);
        assert.match(text, /Single points of failure: none\./);
        assert.match(text, /^\| RTO \| pilot-light scale-up \| 40 \| node group growth \+ pod start \|$/m);
        assert.match(text, /^\| DataTier data \| AppCluster app \| waits on the database for nothing it reads \| 12 \|$/m);
        assert.ok(text.includes(`\`\`\`mermaid\n${FIXTURE_DIAGRAM.trimEnd()}\n\`\`\``));
        const order = ["## Cost", "## Capacity", "## Availability", "## DR objectives", "## Deploy critical path", "## Diagram", "## Polic"].map((h) =>
            text.indexOf(h),
        );
        assert.deepEqual(
            [...order].sort((a, b) => a - b),
            order,
        );
        assert.ok(order.every((i) => i > 0));
        const bare = markdownReport(await input((r) => ((r.capacity = null), (r.dr = null))));
        assert.doesNotMatch(bare, /## (Capacity|DR objectives)/);
    });

    it("the diff comes first when present: types added/changed/removed, cost delta per category, new and fixed violations", async () => {
        const text = markdownReport(await input((r) => (r.diff = DIFF)));
        assert.ok(text.indexOf("## Changes against prod (500 resources)") < text.indexOf("## Cost"));
        assert.ok(text.indexOf("## Changes") > text.indexOf("> **verdict"), "after the verdict line");
        assert.match(text, /^\| aws:ec2\/natGateway:NatGateway \| 2 \| 0 \| 0 \|$/m);
        assert.match(text, /^\| aws:kms\/key:Key \| 0 \| 0 \| 1 \|$/m);
        assert.match(text, /Cost: \$4,000 -> \$4,090 a month \(\*\*\+\$90\*\*\)/);
        assert.match(text, /^\| network \| \$100 \| \$190 \| \+\$90 \|$/m);
        assert.match(
            text,
            /\*\*New violations \(1\)\*\*\n\n\| level \| policy \| resource \| message \|\n.*\n\| mandatory \| rds-multi-az \| db \| multiAz is false \|/,
        );
    });

    it("a diagram holding backticks gets a longer fence, so it cannot close the block", async () => {
        const text = markdownReport(await input((r) => (r.diagram = 'flowchart LR\n  a["```"] --> b')));
        assert.match(text, /^````mermaid\nflowchart LR\n {2}a\["```"\] --> b\n````$/m);
    });

    it("stays under GitHub's 65,536-character comment limit: long lists cut with a count, then the diagram, then the text", async () => {
        const violation: PlanViolation = {
            policy: "s3-bucket-sse-kms",
            enforcementLevel: "advisory",
            message: "d\nbucket x: declared SSE-S3 ".repeat(3),
            urn: "urn::b",
        };
        const huge = await input((r) => {
            const l = r.cost.lines[0];
            r.cost.lines = Array.from({ length: 5000 }, (_, i) => ({ ...l, urn: `${l.urn}-${i}`, assumption: "a long stated assumption ".repeat(3) }));
            r.violations = Array.from({ length: 3000 }, () => violation);
            r.diff = { ...DIFF, resources: { ...DIFF.resources, added: Array.from({ length: 2000 }, (_, i) => ({ type: `aws:x/t${i}:T${i}`, count: 1 })) } };
        });
        const text = markdownReport(huge);
        assert.ok(text.length <= GITHUB_COMMENT_LIMIT, `${text.length}`);
        assert.match(text, /… and \d+ more \(all of them in the plan JSON/);
        assert.match(text, /```mermaid/, "the diagram kept while lists can shrink");
        // A diagram that alone passes the limit (a graph of thousands of nodes) is left out, saying so.
        const nodes = Array.from({ length: 3000 }, (_, i) => `  n${i}["resource number ${i}"] --> n${i + 1}`).join("\n");
        const noDiagram = markdownReport({ ...huge, diagram: `flowchart LR\n${nodes}` });
        assert.ok(noDiagram.length <= GITHUB_COMMENT_LIMIT);
        assert.match(noDiagram, /## Diagram\n\nLeft out: [\d,]+ characters would pass GitHub's comment limit/);
        const cut = markdownReport(huge, 3_000);
        assert.ok(cut.length <= 3_000);
        assert.match(cut, /cut here to stay under GitHub's comment limit/);
        // Nothing shortened when it fits.
        assert.doesNotMatch(markdownReport(await input()), /… and \d+ more|Left out|cut here/);
    });

    for (const stack of ["prod", "dr", "bootstrap", "dev"])
        it(`${stack}: the report of the real plan (fixture review) fits one comment`, async () => {
            const text = markdownReport(await input(() => undefined, stack));
            assert.ok(text.length <= GITHUB_COMMENT_LIMIT, `${text.length}`);
            assert.match(text, new RegExp(`^# Plan review: ${stack} — (PASS|ATTENTION|FAIL)\n`));
        });
});
