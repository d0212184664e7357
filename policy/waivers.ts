/**
 * Per-stack policy configuration (the `--policy-pack-config` JSON format) and its rule:
 * lowering a mandatory guardrail's enforcement requires a written `waiverReason`.
 * Used by the pack at load time (HYBRID_POLICY_CONFIG) and by the offline runner.
 */
import { EnforcementLevel } from "@pulumi/policy";
import { didYouMean } from "../model/suggest";
import { Guardrail, WAIVER_REASON_MIN_LENGTH } from "./lib";

export interface PolicySetting {
    enforcementLevel?: EnforcementLevel;
    waiverReason?: string;
    [key: string]: unknown;
}

export type PackConfig = Record<string, PolicySetting>;

export class PolicyConfigError extends Error {}

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
const rank = (l: EnforcementLevel): number => ({ disabled: 0, advisory: 1, mandatory: 2, remediate: 2 })[l];

/**
 * Validates a policy config document against the pack and returns it normalised (string
 * values become { enforcementLevel }). Throws PolicyConfigError naming the first problem.
 */
export function validatePackConfig(doc: unknown, policies: Guardrail[], source = "policy config"): PackConfig {
    if (doc === null || typeof doc !== "object" || Array.isArray(doc))
        throw new PolicyConfigError(`${source}: expected a JSON object of policy names to settings`);
    const byName = new Map(policies.map((p) => [p.name, p]));
    const result: PackConfig = {};
    for (const [name, raw] of Object.entries(doc as Record<string, unknown>)) {
        const setting: PolicySetting = typeof raw === "string" ? { enforcementLevel: raw as EnforcementLevel } : (raw as PolicySetting);
        if (setting === null || typeof setting !== "object" || Array.isArray(setting))
            throw new PolicyConfigError(`${source}: "${name}" must be an enforcement level or an object`);
        if (setting.enforcementLevel !== undefined && !LEVELS.includes(setting.enforcementLevel)) {
            throw new PolicyConfigError(`${source}: "${name}".enforcementLevel must be one of ${LEVELS.join(", ")}`);
        }
        if (name === "all") {
            if (setting.enforcementLevel && rank(setting.enforcementLevel) < 2)
                throw new PolicyConfigError(`${source}: "all" cannot lower every policy; waive policies one by one with a waiverReason`);
            result[name] = setting;
            continue;
        }
        const policy = byName.get(name);
        if (!policy) {
            const hint = didYouMean(name, [...byName.keys()]);
            throw new PolicyConfigError(
                `${source}: unknown policy "${name}"${hint ? ` (did you mean "${hint}"?)` : " (the pack's policies are listed in policy/README.md)"}`,
            );
        }
        const known = new Set(["enforcementLevel", ...Object.keys(policy.configSchema?.properties ?? {})]);
        const stray = Object.keys(setting).find((k) => !known.has(k));
        if (stray) {
            const hint = didYouMean(stray, [...known, "waiverReason"]);
            throw new PolicyConfigError(
                `${source}: "${name}" has no setting "${stray}" (${hint ? `did you mean "${hint}"?` : `known: ${[...known].join(", ")}`})`,
            );
        }
        const declared = policy.enforcementLevel ?? "mandatory";
        const reason = setting.waiverReason;
        if (reason !== undefined && (typeof reason !== "string" || reason.trim().length < WAIVER_REASON_MIN_LENGTH)) {
            throw new PolicyConfigError(`${source}: "${name}".waiverReason must be a sentence (at least ${WAIVER_REASON_MIN_LENGTH} characters)`);
        }
        if (setting.enforcementLevel && rank(setting.enforcementLevel) < rank(declared) && reason === undefined) {
            throw new PolicyConfigError(`${source}: "${name}" lowers enforcement from ${declared} to ${setting.enforcementLevel} without a waiverReason`);
        }
        result[name] = setting;
    }
    return result;
}
