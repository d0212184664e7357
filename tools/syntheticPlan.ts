/**
 * Synthetic plans for the policy benchmark: a real plan's resources replicated into copies
 * that join among themselves as the original does. Each copy renames every URN, ID and ARN
 * of the plan (suffix `-c<n>`) wherever it occurs, in the URN fields, provider references,
 * dependencies and inside props (IAM documents embed ARNs), so that a copy's references
 * resolve to the same copy and no two copies share an identity.
 */
import { PlannedResource } from "./offline";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The identities other resources may quote: URNs, provider-assigned IDs and ARNs. */
function identities(resources: PlannedResource[]): string[] {
    const found = new Set<string>();
    for (const r of resources) {
        found.add(r.urn);
        if (r.id) found.add(r.id);
        if (typeof r.props.arn === "string" && r.props.arn !== "") found.add(r.props.arn);
    }
    // Longest first: the regex alternation then matches a whole URN rather than an ID inside it.
    return [...found].sort((a, b) => b.length - a.length);
}

/**
 * `copies` copies of `resources` (copy n renames identity x to `x-c<n>`), as one resource list.
 * The plan is serialised once and split at its identities, so a copy costs one join and one parse.
 */
export function replicateResources(resources: PlannedResource[], copies: number): PlannedResource[] {
    if (!Number.isInteger(copies) || copies < 1) throw new RangeError(`copies must be a positive integer (got ${copies})`);
    const tokens = identities(resources);
    // JSON escapes nothing in these identities (no quotes, backslashes or control characters), so they appear verbatim.
    const parts = JSON.stringify(resources).split(new RegExp(`(${tokens.map(escape).join("|")})`));
    const out: PlannedResource[] = [];
    for (let n = 0; n < copies; n++) {
        const suffix = `-c${n}`;
        let text = "";
        for (let i = 0; i < parts.length; i++) text += i % 2 === 1 ? parts[i] + suffix : parts[i];
        for (const r of JSON.parse(text) as PlannedResource[]) out.push(r);
    }
    return out;
}

/** Copies of `resources` needed to come nearest to `target` resources (at least one). */
export const copiesFor = (resources: readonly unknown[], target: number): number => Math.max(1, Math.round(target / resources.length));
