/**
 * Generated documentation: `npm run docs` rewrites the tables between marker comments
 * (`<!-- generated:<name> -->` ... `<!-- /generated:<name> -->`) from their one source:
 *
 * - README.md `config`: the configuration reference, from the zod schema (`z.toJSONSchema`, with
 *   the `.meta({ description, see })` of each field and the defaults of model/defaults.ts);
 * - README.md `versions`: the pinned versions and their support windows (model/versions.ts);
 * - README.md `paging`: "What pages whom", from model/paging.ts (the CloudWatch alarm catalogue, and the Prometheus
 *   rules' entries where model/alertRules.ts exports PROMETHEUS_PAGING);
 * - policy/README.md `policies`: the policy table, from the pack's metadata (policy/policies.ts,
 *   never policy/index.ts, which starts a gRPC server).
 *
 * `npm run docs -- --check` writes nothing and exits 1 when a file is out of date (the tests do the same).
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { configSchema, PROJECT } from "../model/config";
import { PROMETHEUS_PAGING } from "../model/alertRules";
import { cloudWatchPaging, PagingEntry, pagingTable } from "../model/paging";
import { PINNED_VERSIONS, PinnedVersion } from "../model/versions";
import { Guardrail } from "../policy/lib";
import { allPolicies } from "../policy/policies";

const REPO_ROOT = path.resolve(__dirname, "..");

/** The subset of JSON Schema that z.toJSONSchema emits for this config. */
export interface JsonSchema {
    type?: string | string[];
    description?: string;
    /** Our own meta key: the AWS page that explains the setting. */
    see?: string;
    default?: unknown;
    enum?: readonly unknown[];
    const?: unknown;
    anyOf?: JsonSchema[];
    properties?: Record<string, JsonSchema>;
    required?: string[];
    items?: JsonSchema;
    additionalProperties?: JsonSchema | boolean;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    exclusiveMaximum?: number;
    minItems?: number;
    maxItems?: number;
    minLength?: number;
    maxLength?: number;
    format?: string;
}

/** One row of the configuration table. */
export interface ConfigRow {
    readonly key: string;
    readonly description: string;
    readonly see?: string;
    readonly accepts: string;
    readonly default: string;
}

const isObject = (s: JsonSchema) => s.type === "object" && s.properties !== undefined;

/** Markdown table cell: no pipes or line breaks. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

const literal = (v: unknown) => `\`${JSON.stringify(v)}\``;

/** What a value must look like, from the schema's type, enum and bounds. */
export function accepts(s: JsonSchema): string {
    if (s.enum) return s.enum.length <= 6 ? s.enum.map(literal).join(", ") : `one of ${s.enum.length} values`;
    if (s.anyOf?.every((a) => a.const !== undefined)) return s.anyOf.map((a) => literal(a.const)).join(", ");
    // z.number().int() bounds itself to the safe integers: not a constraint worth printing.
    const bound = (n?: number) => (n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined);
    const range = (lo?: number, hi?: number, xlo?: number) =>
        [bound(xlo) !== undefined ? `> ${xlo}` : bound(lo) !== undefined ? `≥ ${lo}` : undefined, bound(hi) !== undefined ? `≤ ${hi}` : undefined]
            .filter(Boolean)
            .join(", ");
    switch (s.type) {
        case "integer":
        case "number": {
            const bounds = range(s.minimum, s.maximum, s.exclusiveMinimum);
            return `${s.type}${bounds ? ` ${bounds}` : ""}`;
        }
        case "boolean":
            return "boolean";
        case "string":
            return s.format === "email" ? "e-mail address" : s.format === "uri" ? "URL" : "string";
        case "array": {
            const n = range(s.minItems, s.maxItems);
            return `list of ${s.items ? accepts(s.items) : "values"}${n ? ` (${n} items)` : ""}`;
        }
        case "object":
            return isObject(s) ? `map: ${Object.keys(s.properties!).join(", ")}` : "map of strings";
        default:
            return "any";
    }
}

function defaultText(s: JsonSchema, required: boolean): string {
    if (s.default !== undefined) return isObject(s) ? "see its fields" : literal(s.default);
    return required ? "**required**" : "none";
}

/**
 * Rows for `schema` under `key`: one per setting. Objects are expanded into their fields, except
 * an object whose fields are all optional and default-less (an image reference, the alert targets),
 * which is clearer as one row naming its fields.
 */
export function configRows(key: string, schema: JsonSchema, required: boolean): ConfigRow[] {
    const row: ConfigRow = { key, description: schema.description ?? "", see: schema.see, accepts: accepts(schema), default: defaultText(schema, required) };
    if (!isObject(schema)) return [row];
    const fields = Object.entries(schema.properties!);
    const requiredFields = new Set(schema.required ?? []);
    const flat = fields.every(([name, f]) => !requiredFields.has(name) && f.default === undefined && !isObject(f));
    if (flat) {
        const parts = fields.map(([name, f]) => `\`${name}\`: ${f.description ?? accepts(f)}`);
        return [{ ...row, description: [row.description, ...parts].filter(Boolean).join(" ") }];
    }
    const sep = key.endsWith(":") ? "" : ".";
    const children = fields.flatMap(([name, f]) => configRows(`${key}${sep}${name}`, f, requiredFields.has(name)));
    return row.description ? [{ ...row, accepts: "map" }, ...children] : children;
}

export function configJsonSchema(): JsonSchema {
    return z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** The README's configuration table. */
export function renderConfigTable(schema: JsonSchema = configJsonSchema()): string {
    const root = schema.properties!;
    const rows = [
        ...configRows("aws:region", root.aws.properties!.region, true),
        ...Object.entries(root[PROJECT].properties!).flatMap(([name, f]) => configRows(`${PROJECT}:${name}`, f, (root[PROJECT].required ?? []).includes(name))),
    ];
    const lines = rows.map((r) => `| \`${r.key}\` | ${cell(r.description)}${r.see ? ` ([AWS](${r.see}))` : ""} | ${cell(r.accepts)} | ${cell(r.default)} |`);
    return ["| key | what | accepts | default |", "|---|---|---|---|", ...lines].join("\n");
}

/** The policy table, from the pack's own metadata. */
export function renderPolicyTable(policies: readonly Guardrail[] = allPolicies): string {
    const settings = (p: Guardrail) =>
        Object.entries(p.configSchema?.properties ?? {})
            .filter(([name]) => name !== "waiverReason")
            .map(([name, s]) => {
                const js = s as JsonSchema;
                return `\`${name}\`${js.default !== undefined ? ` (default ${JSON.stringify(js.default)})` : ""}: ${js.description ?? accepts(js)}`;
            })
            .join("<br>");
    const lines = policies.map(
        (p) =>
            `| \`${p.name}\` | ${p.enforcementLevel ?? "mandatory"} | ${p.meta.concern} | ${cell(p.description)} | ${cell(p.meta.why)} | ${p.meta.seed} | ${cell(settings(p)) || "–"} |`,
    );
    return [
        `${policies.length} policies. Every policy also accepts \`waiverReason\` (see "Waive a policy").`,
        "",
        "| policy | level | concern | what | why | seed | settings |",
        "|---|---|---|---|---|---|---|",
        ...lines,
    ].join("\n");
}

/** The pinned versions and their support windows. */
export function renderVersionsTable(pins: readonly PinnedVersion[] = PINNED_VERSIONS): string {
    const date = (d?: string) => d ?? "–";
    const lines = pins.map((p) => {
        const s = p.support;
        const source = s ? `${s.confirmed ? "" : "**unconfirmed**: "}${s.note ? `${s.note} ` : ""}Source: ${s.source}` : "no published support window";
        return `| ${p.component} | \`${p.version}\` | ${p.role} | ${date(s?.noNewResourcesFrom)} | ${date(s?.standardSupportEnds)} | ${date(s?.extendedSupportEnds)} | ${cell(source)} |`;
    });
    return [
        "| pinned | version | role | no new resources from | standard support ends | extended support ends | source |",
        "|---|---|---|---|---|---|---|",
        ...lines,
    ].join("\n");
}

/** "What pages whom": every list of PagingEntry the platform has (the lead appends PROMETHEUS_PAGING at merge). */
export function renderPagingTable(lists: readonly (readonly PagingEntry[])[] = [cloudWatchPaging(), PROMETHEUS_PAGING]): string {
    return pagingTable(...lists);
}

/** Replaces the text between `<!-- generated:name -->` and `<!-- /generated:name -->`; throws when the markers are missing. */
export function spliceGenerated(markdown: string, name: string, content: string, file = "markdown"): string {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = markdown.indexOf(open);
    const end = markdown.indexOf(close);
    if (start < 0 || end < start) throw new Error(`${file}: missing the markers ${open} ... ${close}`);
    return `${markdown.slice(0, start + open.length)}\n\n<!-- Generated by \`npm run docs\` from the source named above: edit that, not this table. -->\n\n${content}\n\n${markdown.slice(end)}`;
}

/**
 * The text with what a Markdown formatter may change and a reader cannot see normalised: blank
 * lines, and the padding and separator style of table rows (Prettier aligns columns). The drift
 * check compares these, so formatting the README does not make it "out of date".
 */
export function normalizeMarkdown(markdown: string): string {
    return markdown
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => {
            const row = line.trim();
            if (!row.startsWith("|")) return line.trimEnd();
            if (/^\|[\s:|-]+\|$/.test(row)) return row.replace(/\s+/g, "").replace(/:?-+:?/g, "---");
            return row.replace(/\s+/g, " ");
        })
        .join("\n");
}

/** Each generated file with the content `npm run docs` would write. */
export function generatedDocs(root = REPO_ROOT): { file: string; current: string; expected: string }[] {
    const targets: { file: string; blocks: [string, () => string][] }[] = [
        {
            file: "README.md",
            blocks: [
                ["config", () => renderConfigTable()],
                ["versions", () => renderVersionsTable()],
                ["paging", () => renderPagingTable()],
            ],
        },
        { file: "policy/README.md", blocks: [["policies", () => renderPolicyTable()]] },
    ];
    return targets.map(({ file, blocks }) => {
        const current = readFileSync(path.join(root, file), "utf8");
        const expected = blocks.reduce((text, [name, render]) => spliceGenerated(text, name, render(), file), current);
        return { file, current, expected };
    });
}

export function main(argv: readonly string[], root = REPO_ROOT): number {
    const check = argv.includes("--check");
    // Checking tolerates a formatter's changes; writing always leaves the generator's exact text.
    const stale = generatedDocs(root).filter((d) => (check ? normalizeMarkdown(d.current) !== normalizeMarkdown(d.expected) : d.current !== d.expected));
    for (const d of stale) {
        if (check) console.error(`${d.file} is out of date: run npm run docs`);
        else writeFileSync(path.join(root, d.file), d.expected);
    }
    if (!check) console.log(stale.length ? `updated ${stale.map((d) => d.file).join(", ")}` : "docs up to date");
    return check && stale.length ? 1 : 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
