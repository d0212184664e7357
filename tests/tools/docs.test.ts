/**
 * Generated docs (tools/docs.ts): the README's configuration and versions tables and the policy
 * table are what `npm run docs` writes from their one source each; the generator's pieces.
 */
import * as assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DEFAULTS } from "../../model/defaults";
import { allPolicies } from "../../policy/policies";
import { configJsonSchema, configRows, generatedDocs, main, normalizeMarkdown, renderConfigTable, renderPolicyTable, spliceGenerated } from "../../tools/docs";

const ROOT = path.resolve(__dirname, "..", "..");

describe("tools/docs: generated tables", () => {
    it("README.md and policy/README.md are what npm run docs writes", () => {
        for (const doc of generatedDocs()) {
            assert.ok(
                normalizeMarkdown(doc.current) === normalizeMarkdown(doc.expected),
                `${doc.file} is out of date with its source (schema, versions or policy metadata): run npm run docs`,
            );
        }
    });

    it("documents every setting: each row of the config table has a description", () => {
        const rows = configRows("hybrid-platform:", configJsonSchema().properties!["hybrid-platform"], true);
        const undocumented = rows.filter((r) => r.description.trim() === "").map((r) => r.key);
        assert.deepEqual(undocumented, [], "add .meta({ description }) to these schema fields");
        assert.ok(rows.length > 100, `expected a row per setting, got ${rows.length}`);
    });

    it("takes each default from the schema, which takes it from model/defaults.ts", () => {
        const table = renderConfigTable();
        const row = (key: string) => table.split("\n").find((l) => l.startsWith(`| \`${key}\` |`));
        assert.match(row("hybrid-platform:data.postgres.backupRetentionDays")!, new RegExp(`\\| \`${DEFAULTS.data.postgres.backupRetentionDays}\` \\|$`));
        assert.match(row("hybrid-platform:app.kubernetesVersion")!, new RegExp(`\\| \`"${DEFAULTS.app.kubernetesVersion}"\` \\|$`));
        assert.match(row("hybrid-platform:network.vpcCidr")!, /\| \*\*required\*\* \|$/);
        assert.match(row("hybrid-platform:network.onPrem")!, /\| none \|$/);
        // Bounds come from the schema; the safe-integer bounds of .int() are not printed.
        assert.match(row("hybrid-platform:network.azCount")!, /integer ≥ 2, ≤ 6/);
        assert.doesNotMatch(table, /9007199254740991/);
    });

    it("lists every policy of the pack once, with its level and settings", () => {
        const table = renderPolicyTable();
        for (const p of allPolicies) assert.equal(table.split("\n").filter((l) => l.startsWith(`| \`${p.name}\` |`)).length, 1, p.name);
        assert.match(table, /\| `tier-subnets-span-azs` \| mandatory \| availability \|.*`minAzCount` \(default 3\)/);
        // One place: the root README links to the generated table instead of copying it.
        const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
        assert.ok(!readme.includes("| `rds-encrypted-with-cmk`"), "README.md copies the policy table; link to policy/README.md#policies");
        assert.match(readme, /policy\/README\.md#policies/);
    });

    it("replaces only the text between the markers, and refuses a file without them", () => {
        const md = "intro\n<!-- generated:x -->\nold\n<!-- /generated:x -->\noutro\n";
        const out = spliceGenerated(md, "x", "new");
        assert.match(out, /^intro\n<!-- generated:x -->\n\n.*\n\nnew\n\n<!-- \/generated:x -->\noutro\n$/);
        assert.equal(spliceGenerated(out, "x", "new"), out, "idempotent");
        assert.throws(() => spliceGenerated("no markers", "x", "new", "README.md"), /README\.md: missing the markers <!-- generated:x -->/);
    });

    it("ignores what a Markdown formatter changes (column padding, separator style, blank lines) but not content", () => {
        const generated = "<!-- generated:x -->\n\n| key | what |\n|---|---|\n| `a` | one |\n\n<!-- /generated:x -->";
        const prettier = "<!-- generated:x -->\n\n| key | what |\n| --- | ---- |\n| `a` | one  |\n<!-- /generated:x -->";
        assert.equal(normalizeMarkdown(prettier), normalizeMarkdown(generated));
        assert.notEqual(normalizeMarkdown(prettier.replace("one", "two")), normalizeMarkdown(generated));
    });

    it("--check exits 1 on a stale copy and writes nothing; without it, rewrites the file", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "hybrid-docs-"));
        try {
            mkdirSync(path.join(dir, "policy"));
            cpSync(path.join(ROOT, "policy", "README.md"), path.join(dir, "policy", "README.md"));
            const stale = readFileSync(path.join(ROOT, "README.md"), "utf8").replace("| `aws:region` |", "| `aws:regionn` |");
            writeFileSync(path.join(dir, "README.md"), stale);
            const errors: string[] = [];
            const original = console.error;
            console.error = (m: string) => errors.push(m);
            try {
                assert.equal(main(["--check"], dir), 1);
            } finally {
                console.error = original;
            }
            assert.deepEqual(errors, ["README.md is out of date: run npm run docs"]);
            assert.equal(readFileSync(path.join(dir, "README.md"), "utf8"), stale);
            const log = console.log;
            console.log = () => undefined;
            try {
                assert.equal(main([], dir), 0);
            } finally {
                console.log = log;
            }
            assert.equal(main(["--check"], dir), 0);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
