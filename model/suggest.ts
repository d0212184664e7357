/**
 * "Did you mean ...?" for a misspelt name (a config key, an enum value, a policy or stack name).
 * Pure and dependency-free, so the policy pack can share it without loading the config schema.
 */

/** Edit distance, case-insensitive (a wrong case is a cheap slip, not a different name). */
function levenshtein(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}

/** The candidate nearest to `key`, if it is near enough to be a typo of it (at most 2 edits, or a third of the length). */
export function didYouMean(key: string, candidates: readonly string[]): string | undefined {
    const scored = candidates.map((c) => ({ c, d: levenshtein(key, c) })).sort((x, y) => x.d - y.d);
    const best = scored[0];
    return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.c : undefined;
}
