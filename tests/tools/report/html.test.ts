import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CSP, htmlReport, inlinable, mermaidBundle } from "../../../tools/report/html";
import { costChart, esc } from "../../../tools/report/htmlParts";
import type { ReportInput } from "../../../tools/report/markdown";
import { REPO_ROOT } from "../../../tools/offline";
import { planOf } from "../../support";
import { reviewFixture } from "../../support/reviewFixture";

async function input(edit: (r: ReportInput) => void = () => undefined): Promise<ReportInput> {
    const plan = await planOf("prod");
    const report = { ...plan, ...reviewFixture(plan) };
    edit(report);
    return report;
}

/** The page without the inlined Mermaid bundle: what our code wrote. */
const ours = (page: string) => page.replace(mermaidBundle(), "");

describe("HTML report (issue #15 item 7)", () => {
    it("escapes every text: resource names, messages, sources and the diagram's source", async () => {
        const hostile = "<script>alert(1)</script>";
        const page = ours(
            htmlReport(
                await input((r) => {
                    r.cost.lines[0] = { ...r.cost.lines[0], urn: `urn::${hostile}`, assumption: `"'&${hostile}` };
                    r.cost.unpriced[0] = { ...r.cost.unpriced[0], why: hostile };
                    r.availability.path[0] = { ...r.availability.path[0], service: hostile, source: `https://x/"><img src=x>` };
                    r.violations = [{ policy: hostile, enforcementLevel: "advisory", message: `d\n${hostile}`, urn: `urn::${hostile}` }];
                    r.diagram = `flowchart LR\n  a["</pre>${hostile}"] --> b`;
                    r.stack = `prod${hostile}`;
                }),
            ),
        );
        assert.ok(!page.includes(hostile), "no hostile text unescaped");
        assert.ok(!page.includes("<img"), "no tag from an attribute");
        assert.ok(page.includes(esc(hostile)));
        assert.equal(page.match(/<script>/g)?.length, 2, "only our two scripts: the bundle and its start");
        assert.match(page, /<pre class="mermaid">flowchart LR\n {2}a\[&quot;&lt;\/pre&gt;&lt;script&gt;/);
        assert.equal(esc(`<>&"'`), "&lt;&gt;&amp;&quot;&#39;");
    });

    it("is self-contained: a CSP that allows no fetch, Mermaid's bundle inline, nothing loaded from elsewhere", async () => {
        const page = htmlReport(await input());
        assert.ok(page.includes(`<meta http-equiv="Content-Security-Policy" content="${CSP}">`));
        assert.match(CSP, /^default-src 'none';/);
        assert.ok(page.includes(`<script>${mermaidBundle()}</script>`));
        const own = ours(page);
        assert.doesNotMatch(own, /<(link|iframe|img|object|embed)\b/);
        assert.doesNotMatch(own, /<script[^>]*\ssrc=/);
        assert.match(own, /<section id="cost">[\s\S]*<svg class="chart" id="cost-chart"[\s\S]*<table id="cost-table">/);
        assert.match(own, /<div id="diagram"><pre class="mermaid">flowchart LR/);
        // Sections present in the review, with a link each; absent ones left out.
        const bare = ours(htmlReport(await input((r) => ((r.capacity = null), (r.dr = null)))));
        assert.doesNotMatch(bare, /id="(capacity|dr)"/);
        assert.match(own, /<nav><a href="#cost">Cost<\/a><a href="#capacity">Capacity<\/a>/);
        // The fixture declares no node groups: no empty table for them.
        assert.doesNotMatch(own, /<th>node group<\/th>/);
        const withGroups = ours(
            htmlReport(
                await input(
                    (r) =>
                        void r.capacity!.nodeGroups.push({
                            urn: "u::app-a",
                            name: "app-a",
                            instanceType: "m6i.large",
                            az: "eu-west-2a",
                            desired: 2,
                            min: 2,
                            max: 4,
                        }),
                ),
            ),
        );
        assert.match(withGroups, /<td>app-a<\/td><td>m6i\.large<\/td><td>eu-west-2a<\/td><td class="n">2<\/td>/);
    });

    it("Mermaid is pinned exactly, MIT-licensed, and its installed bundle can sit inside a <script> element", () => {
        const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        const installed = JSON.parse(readFileSync(require.resolve("mermaid/package.json"), "utf8"));
        assert.match(pkg.devDependencies.mermaid, /^\d+\.\d+\.\d+$/, "pinned exactly");
        assert.equal(installed.version, pkg.devDependencies.mermaid);
        assert.equal(installed.license, "MIT");
        assert.match(pkg.devDependencies["puppeteer-core"], /^\d+\.\d+\.\d+$/);
        assert.ok(inlinable(mermaidBundle()));
        assert.ok(mermaidBundle().length < 5_000_000, "the page stays a few MB");
        assert.equal(inlinable("var a = '</script>';"), false);
        assert.equal(inlinable("var a = '<!--'; var b = '<script>';"), false);
        assert.equal(inlinable("var a = '<!--';"), true);
    });

    it("the cost chart: a plan bar per seed line and category, a seed bar per seed line, widths to scale", async () => {
        const { cost } = await input((r) => {
            r.cost.categories = r.cost.categories.map((c) => ({ ...c, monthly: c.name === "compute" ? 2400 : c.name === "database" ? 600 : 0 }));
        });
        const svg = costChart(cost);
        const widths = [...svg.matchAll(/<rect class="(plan|seed)" x="\d+" y="\d+" width="(\d+)" height="14">/g)].map((m) => [m[1], Number(m[2])] as const);
        assert.equal(widths.filter(([c]) => c === "plan").length, 9);
        assert.equal(widths.filter(([c]) => c === "seed").length, 5);
        const [compute, computeSeed, database, databaseSeed] = widths.map(([, w]) => w);
        assert.equal(compute, 370, "the largest figure spans the chart");
        assert.equal(computeSeed, 185, "the seed's $1,200 is half of $2,400");
        assert.equal(database, Math.round((600 / 2400) * 370));
        assert.equal(databaseSeed, Math.round((800 / 2400) * 370));
        assert.match(svg, /<title>plan: \$2,400\/month<\/title>/);
    });
});
