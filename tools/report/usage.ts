/**
 * The usage file (`npm run plan -- --usage <file.yaml>`, issue #15): overrides the default assumptions
 * of usage-based cost lines, like Infracost's usage file. Validated once on load: an unknown key, or a
 * value that is not a non-negative number, is a UsageError of one line naming the key and what is
 * expected (with a did-you-mean). Resource names are checked against the plan by checkUsageResources.
 *
 * ```yaml
 * defaults:              # for every resource
 *   nat.dataGbPerMonth: 500
 * resources:             # for one resource, by name (the URN's last part) or URN
 *   network-nat-a:
 *     nat.dataGbPerMonth: 800
 * ```
 * Every key with its default: docs/usage.example.yaml.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { didYouMean } from "../../model/suggest";
import { Plan, UsageError } from "../offline";
import { USAGE_ASSUMPTIONS, Usage } from "./cost";

const quantities = z.record(z.string(), z.unknown());
const FILE = z.strictObject({ defaults: quantities.optional(), resources: z.record(z.string(), quantities).optional() });

const suggestion = (key: string, candidates: readonly string[]): string => {
    const near = didYouMean(key, candidates);
    return near ? ` (did you mean ${near}?)` : "";
};

/** One section's quantities, each key known and each value a non-negative finite number. */
function quantitiesOf(file: string, where: string, section: Record<string, unknown>): Record<string, number> {
    const known = [...USAGE_ASSUMPTIONS.keys()];
    const out: Record<string, number> = {};
    for (const [key, value] of Object.entries(section)) {
        const assumption = USAGE_ASSUMPTIONS.get(key);
        if (!assumption) throw new UsageError(`${file}: ${where}${key} is not a usage key${suggestion(key, known)}; known keys: ${known.join(", ")}`);
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
            throw new UsageError(`${file}: ${where}${key} must be a non-negative number (${assumption.unit}), got ${JSON.stringify(value) ?? String(value)}`);
        out[key] = value;
    }
    return out;
}

/** Reads and validates a usage file; throws UsageError (one line) on anything it cannot use. */
export function loadUsage(file: string): Usage {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch {
        throw new UsageError(`cannot read usage file ${file}`);
    }
    let doc: unknown;
    try {
        doc = parseYaml(text);
    } catch (e) {
        throw new UsageError(`${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    if (doc === null || doc === undefined) return { defaults: {}, resources: {} };
    const parsed = FILE.safeParse(doc);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const at = issue.path.join(".");
        if (issue.code === "unrecognized_keys") {
            const key = issue.keys[0];
            throw new UsageError(
                `${file}: ${at ? `${at}.` : ""}${key} is not a section${suggestion(key, ["defaults", "resources"])}; expected defaults and resources`,
            );
        }
        throw new UsageError(
            `${file}: ${at || "the file"} must be a map (${at === "resources" || at.startsWith("resources.") ? "resource name or URN -> usage key -> number" : "usage key -> number"})`,
        );
    }
    const defaults = quantitiesOf(file, "defaults.", parsed.data.defaults ?? {});
    const resources: Record<string, Record<string, number>> = {};
    for (const [name, section] of Object.entries(parsed.data.resources ?? {})) resources[name] = quantitiesOf(file, `resources.${name}.`, section);
    return { defaults, resources };
}

/**
 * Refuses a usage file whose override would silently apply to nothing: a resource (by name or URN) the
 * plan does not have, or a key no pricer of that resource's type reads.
 */
export function checkUsageResources(usage: Usage, plan: Pick<Plan, "resources">): void {
    const typesOf = new Map<string, Set<string>>();
    for (const r of plan.resources)
        for (const name of [r.urn, r.name]) {
            if (!typesOf.has(name)) typesOf.set(name, new Set());
            typesOf.get(name)!.add(r.type);
        }
    for (const [name, quantities] of Object.entries(usage.resources)) {
        const types = typesOf.get(name);
        if (!types) {
            const candidates = [...new Set(plan.resources.map((r) => r.name))];
            throw new UsageError(
                `usage file: resources.${name} is not a resource of this plan${suggestion(name, candidates)}; give a resource's name (the URN's last part) or its URN`,
            );
        }
        for (const key of Object.keys(quantities)) {
            const readers = USAGE_ASSUMPTIONS.get(key)?.types;
            if (readers && !readers.some((t) => types.has(t)))
                throw new UsageError(`usage file: resources.${name}.${key} applies to ${readers.join(" or ")}, and ${name} is ${[...types].sort().join(", ")}`);
        }
    }
}
