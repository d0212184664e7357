/**
 * The WAF's upload exception (pure logic, used by components/app/waf.ts and its tests).
 *
 * AWSManagedRulesCommonRuleSet's SizeRestrictions_BODY blocks every body over 8 KB, and on an
 * Application Load Balancer AWS WAF cannot inspect more than the first 8 KB of a body (fixed, not
 * raisable), so document uploads would all be blocked. AWS's documented way out: override that
 * rule to Count, then a rule of our own after the group that blocks on the rule's label except on
 * the upload paths; on those paths an explicit ceiling on the declared Content-Length.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html (labels)
 * @see https://docs.aws.amazon.com/waf/latest/APIReference/API_Body.html (ALB inspection limit: 8 KB, fixed)
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-managed-rule-groups-best-practices.html
 */

/** The managed rule that blocks large bodies, and the label it adds when it matches (also in Count). */
export const BODY_SIZE_RULE = "SizeRestrictions_BODY";
export const BODY_SIZE_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";
/** What AWS WAF inspects of a body behind an ALB (bytes). */
export const ALB_BODY_INSPECTION_LIMIT = 8192;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A regex matching a URI path that starts with one of the prefixes (each "/..."), as one statement. */
export function pathPrefixPattern(prefixes: readonly string[]): string {
    if (prefixes.length === 0) throw new Error("at least one upload path prefix");
    return `^(${prefixes.map(escapeRegex).join("|")})`;
}

/**
 * A regex matching a decimal integer (leading zeros allowed) strictly greater than n: more digits
 * than n, or as many digits with the first differing digit larger.
 */
export function greaterThanPattern(n: number): string {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${n} is not a non-negative integer`);
    const s = String(n);
    const k = s.length;
    const alternatives = [`[1-9][0-9]{${k},}`];
    for (let i = 0; i < k; i++) {
        const d = Number(s[i]);
        if (d === 9) continue;
        const rest = k - i - 1;
        alternatives.push(`${s.slice(0, i)}[${d + 1}-9]${rest > 0 ? `[0-9]{${rest}}` : ""}`);
    }
    return `^0*(${alternatives.join("|")})$`;
}
