/**
 * One place per default: every leaf of model/defaults.ts is the schema's default for the same key,
 * loading a minimal config yields them, and no component repeats one as a literal fallback.
 */
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { loadConfig } from "../../model/config";
import { DEFAULTS } from "../../model/defaults";
import { configJsonSchema, JsonSchema } from "../../tools/docs";

type Leaf = { path: string[]; value: unknown };

/** Leaves of the DEFAULTS tree: scalars, and arrays/maps as whole values. */
function leaves(node: unknown, at: string[] = []): Leaf[] {
    if (node !== null && typeof node === "object" && !Array.isArray(node) && Object.keys(node).length > 0) {
        return Object.entries(node).flatMap(([k, v]) => leaves(v, [...at, k]));
    }
    return [{ path: at, value: node }];
}

const valueAt = (root: unknown, at: readonly string[]) => at.reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], root);

const MINIMAL = {
    "aws:region": "eu-west-2",
    "hybrid-platform:role": "prod",
    "hybrid-platform:network": JSON.stringify({ vpcCidr: "10.10.0.0/16" }),
    "hybrid-platform:capacity": JSON.stringify({ concurrentUsers: 1000, targetUsers: 10000 }),
    "hybrid-platform:dns": JSON.stringify({ zoneName: "portal.example", hostname: "www.portal.example" }),
    "hybrid-platform:alerts": JSON.stringify({ email: "soc@portal.example" }),
    "hybrid-platform:app": JSON.stringify({ images: { djangoWeb: { tag: "1.0.0" }, fastapiApi: { tag: "1.0.0" }, celeryWorker: { tag: "1.0.0" } } }),
};

describe("model/defaults: one place per default", () => {
    it("each default is the schema's default for the same key", () => {
        const project = configJsonSchema().properties!["hybrid-platform"];
        const schemaAt = (at: readonly string[]) => at.reduce<JsonSchema | undefined>((s, k) => s?.properties?.[k], project);
        for (const leaf of leaves(DEFAULTS)) {
            const key = leaf.path.join(".");
            const field = schemaAt(leaf.path);
            assert.ok(field, `DEFAULTS.${key} names no config key`);
            // drMode is optional on purpose (a failover sets it); drModeOf reads the default.
            if (key === "drMode") continue;
            assert.deepEqual(field.default, leaf.value, `the schema's default for ${key}`);
        }
    });

    it("a minimal config loads with those defaults", () => {
        const cfg = loadConfig(MINIMAL);
        const optionalSections = ["network.onPrem", "app.onPrem", "data.onPremObjectStore", "dr", "drMode", "ci", "onPrem", "observability.collection.onPrem"];
        for (const leaf of leaves(DEFAULTS)) {
            const key = leaf.path.join(".");
            if (optionalSections.some((s) => key === s || key.startsWith(`${s}.`))) continue;
            assert.deepEqual(valueAt(cfg, leaf.path), leaf.value, key);
        }
        const dr = loadConfig({
            ...MINIMAL,
            "aws:region": "eu-west-1",
            "hybrid-platform:role": "dr",
            "hybrid-platform:dr": JSON.stringify({ primaryStack: "prod", primaryRegion: "eu-west-2" }),
        }).dr!;
        const { onPrem: _, ...gslb } = DEFAULTS.dr.gslb;
        assert.deepEqual({ ...dr, gslb: dr.gslb }, { primaryStack: "prod", primaryRegion: "eu-west-2", ...DEFAULTS.dr, gslb });
    });

    it("no component repeats a default as a literal fallback (args.x ?? <literal>)", () => {
        const byName = new Map<string, unknown[]>();
        for (const leaf of leaves(DEFAULTS)) byName.set(leaf.path.at(-1)!, [...(byName.get(leaf.path.at(-1)!) ?? []), leaf.value]);
        const root = path.resolve(__dirname, "..", "..", "components");
        const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
        const repeats: string[] = [];
        for (const file of files) {
            const text = readFileSync(path.join(root, file), "utf8");
            for (const m of text.matchAll(/\b\w+(?:\.\w+)*\.(\w+)\s*\?\?\s*("[^"]*"|-?\d+(?:\.\d+)?|true|false)(?![\w.])/g)) {
                const [expr, name, literal] = m;
                if ((byName.get(name) ?? []).some((v) => JSON.stringify(v) === literal)) repeats.push(`components/${file}: ${expr}`);
            }
        }
        assert.deepEqual(repeats, [], "use the constant from model/defaults.ts");
    });
});
