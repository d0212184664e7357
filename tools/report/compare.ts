/**
 * `npm run plan -- --compare <base-plan.json>` (issue #15 build 8): what a pull request changes in the
 * plan, the pull-request comment's content. Resources are matched by URN; a resource is changed when
 * its props differ once what differs between two offline plans of the same program for no reason is
 * set aside:
 * - mock-assigned ids (`subnet-<hash>`; the `id` and `provider` fields are not compared): a value equal to
 *   a resource's id in either plan stands for that resource (its URN), so only a different resource counts;
 * - Pulumi's unknown sentinel (preview) matches any value, as `pulumi preview` cannot tell either;
 * - a redacted secret (tools/offline.ts) matches any value: its content is not in the plan;
 * - key order in objects, and keys whose value is undefined (absent from the JSON);
 * - the checkout's absolute path in paths the program passes on (the base is planned in another folder).
 * Cost deltas need both plans' cost; a base plan written by an older main has none (cost null).
 * Violations are matched by policy and URN (a reworded message is not a new violation). Pure.
 */
import { REDACTED, REPO_ROOT, type Plan, type PlannedResource, type PlanViolation } from "../offline";
import { UNKNOWN } from "../mocks";
import type { PlanDiff, PlanReview } from "./types";

type Reviewed = Plan & Partial<PlanReview>;

/** Pulumi's wire signature of a secret (tools/offline.ts redacts the value): its content cannot be compared. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const isRedactedSecret = (v: unknown): boolean => !!v && typeof v === "object" && SECRET_SIG_KEY in v && (v as { value?: unknown }).value === REDACTED;

/** Mock ids of both plans' resources, each standing for its URN (a preview has no ids: the update plan's name them). */
function idTokens(...plans: Plan[]): (s: string) => string {
    const urnOfId = new Map<string, string>();
    for (const plan of plans)
        for (const r of plan.resources) if (typeof r.id === "string" && r.id !== "" && r.id !== UNKNOWN) urnOfId.set(r.id, `(id of ${r.urn})`);
    return (s) => urnOfId.get(s) ?? s;
}

/**
 * An absolute path into this checkout (REPO_ROOT) and the same path into another checkout (the CI job plans
 * the base branch in a subfolder): the program passes paths such as the Ansible directory to local commands.
 */
function sameCheckoutPath(a: string, b: string): boolean {
    const [here, there] = a.startsWith(`${REPO_ROOT}/`) ? [a, b] : b.startsWith(`${REPO_ROOT}/`) ? [b, a] : [undefined, undefined];
    if (here === undefined || there === undefined || !there.startsWith("/")) return false;
    const relative = here.slice(REPO_ROOT.length);
    return there.endsWith(relative) && there.length > relative.length;
}

/**
 * Deep equality of two props values, where the unknown sentinel and a redacted secret on either side match
 * anything (neither plan can tell), strings go through `token` (mock ids), and key order does not matter.
 */
export function sameValue(a: unknown, b: unknown, token: (s: string) => string = (s) => s): boolean {
    if (a === UNKNOWN || b === UNKNOWN || isRedactedSecret(a) || isRedactedSecret(b)) return true;
    if (typeof a === "string" && typeof b === "string") return a === b || token(a) === token(b) || sameCheckoutPath(a, b);
    if (a === b) return true;
    if (Array.isArray(a) || Array.isArray(b))
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i], token));
    if (a && b && typeof a === "object" && typeof b === "object") {
        const [oa, ob] = [a as Record<string, unknown>, b as Record<string, unknown>];
        // A key absent on one side matches only an unknown on the other (an unknown may resolve to nothing).
        for (const k in oa) if (oa[k] !== undefined && !sameValue(oa[k], ob[k], token)) return false;
        for (const k in ob) if (ob[k] !== undefined && oa[k] === undefined && ob[k] !== UNKNOWN) return false;
        return true;
    }
    return false;
}

const byType = (resources: readonly PlannedResource[]): { type: string; count: number }[] => {
    const counts = new Map<string, number>();
    for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => ({ type, count }));
};
const round2 = (n: number): number => Math.round(n * 100) / 100;
const violationKey = (v: PlanViolation): string => `${v.policy}\u0000${v.urn}`;
const violation = (v: PlanViolation): PlanDiff["violations"]["new"][number] => ({
    policy: v.policy,
    urn: v.urn,
    message: v.message,
    enforcementLevel: v.enforcementLevel,
});

/** What `head` changes against `base`: resources by type, cost per category, new and fixed violations. */
export function comparePlans(base: Reviewed, head: Reviewed): PlanDiff {
    const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
    const headUrns = new Set(head.resources.map((r) => r.urn));
    const token = idTokens(base, head);
    const added: PlannedResource[] = [];
    const changed: PlannedResource[] = [];
    for (const r of head.resources) {
        const before = baseByUrn.get(r.urn);
        if (!before) added.push(r);
        else if (!sameValue(before.props ?? {}, r.props ?? {}, token)) changed.push(r);
    }
    const removed = base.resources.filter((r) => !headUrns.has(r.urn));

    let cost: PlanDiff["cost"] = null;
    if (base.cost && head.cost) {
        const names = [...new Set([...base.cost.categories.map((c) => c.name), ...head.cost.categories.map((c) => c.name)])];
        const monthly = (plan: Reviewed, name: string): number => plan.cost!.categories.find((c) => c.name === name)?.monthly ?? 0;
        cost = {
            monthlyBase: base.cost.monthlyTotal,
            monthlyHead: head.cost.monthlyTotal,
            delta: round2(head.cost.monthlyTotal - base.cost.monthlyTotal),
            categories: names.map((name) => {
                const [b, h] = [monthly(base, name), monthly(head, name)];
                return { name, base: b, head: h, delta: round2(h - b) };
            }),
        };
    }

    // A plan file that recorded no violations at all (another tool's format) says nothing new or fixed.
    const recorded = Array.isArray(base.violations) && Array.isArray(head.violations);
    const baseViolations = new Set((recorded ? base.violations : []).map(violationKey));
    const headViolations = new Set((recorded ? head.violations : []).map(violationKey));
    return {
        base: { stack: base.stack ?? head.stack, resources: base.resources.length },
        resources: { added: byType(added), changed: byType(changed), removed: byType(removed) },
        cost,
        violations: {
            new: (recorded ? head.violations : []).filter((v) => !baseViolations.has(violationKey(v))).map(violation),
            fixed: (recorded ? base.violations : []).filter((v) => !headViolations.has(violationKey(v))).map(violation),
        },
    };
}
