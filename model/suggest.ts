/**
 * "Did you mean ...?" for a misspelt name (a config key, an enum value, a policy or stack name).
 * Free of the config schema, so the policy pack can share it without loading zod.
 */
import { distance } from "fastest-levenshtein";

/** The candidate nearest to `key`, if it is near enough to be a typo of it (at most 2 edits, or a third of the length); case-insensitive, as a wrong case is a cheap slip, not a different name. */
export function didYouMean(key: string, candidates: readonly string[]): string | undefined {
    const scored = candidates.map((c) => ({ c, d: distance(key.toLowerCase(), c.toLowerCase()) })).sort((x, y) => x.d - y.d);
    const best = scored[0];
    return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.c : undefined;
}
