/**
 * Per-stack policy configuration (the `--policy-pack-config` JSON format) and its rules:
 * lowering a mandatory guardrail's enforcement requires a written `waiverReason`, and a
 * mandatory guardrail cannot be disabled at all (waive it to advisory instead).
 * Used by the pack at load time (HYBRID_POLICY_CONFIG) and when the CLI configures it, and by
 * the offline runner.
 *
 * Why refuse rather than report a disabled mandatory policy "as waived": the analyzer never
 * runs a policy whose configured level is "disabled" (@pulumi/policy server.js skips it before
 * calling it), so under `pulumi preview --policy-pack-config` its violations cannot be reported
 * by anyone: they would vanish from the CLI's output, the summary and SARIF. A waiver to
 * "advisory" with a waiverReason keeps every violation visible (with the reason) and unblocking.
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
        if (setting.enforcementLevel === "disabled" && rank(declared) === 2) throw new PolicyConfigError(disabledMandatoryMessage(name, source));
        if (setting.enforcementLevel && rank(setting.enforcementLevel) < rank(declared) && reason === undefined) {
            throw new PolicyConfigError(`${source}: "${name}" lowers enforcement from ${declared} to ${setting.enforcementLevel} without a waiverReason`);
        }
        result[name] = setting;
    }
    return result;
}

/** The one-line refusal of a disabled mandatory policy: what to write instead. */
function disabledMandatoryMessage(name: string, source: string): string {
    return (
        `${source}: "${name}" is mandatory and cannot be disabled (a disabled policy never runs, so its violations would vanish from every report); ` +
        `waive it instead with {"enforcementLevel": "advisory", "waiverReason": "<why>"}: still reported, with the reason, without blocking`
    );
}

/** A policy config as the analyzer holds it after the CLI's Configure call: every policy's level and settings. */
export type AnalyzerConfig = Record<string, { enforcementLevel?: string } & Record<string, unknown>>;

/**
 * Throws PolicyConfigError if a config the analyzer is about to apply disables a mandatory policy.
 * For configs that never went through validatePackConfig: the one the Pulumi CLI sends to the
 * served pack (its Configure RPC, policy/index.ts) and one handed to the offline runner directly.
 */
export function refuseDisabledMandatory(config: AnalyzerConfig | PackConfig, policies: Guardrail[], source = "policy config"): void {
    for (const p of policies) {
        const level = config[p.name]?.enforcementLevel ?? config.all?.enforcementLevel;
        if (level === "disabled" && rank(p.enforcementLevel ?? "mandatory") === 2) throw new PolicyConfigError(disabledMandatoryMessage(p.name, source));
    }
}

/** A waiver in a validated config: a policy run below its declared level (or not at all), and why. */
export interface Waiver {
    readonly policy: string;
    readonly declared: EnforcementLevel;
    readonly configured: EnforcementLevel;
    readonly reason: string;
}

/** Every waiver a config declares, in the pack's order: what the runner's summary and SARIF list, violated or not. */
export function waiversOf(config: PackConfig, policies: Guardrail[]): Waiver[] {
    return policies.flatMap((p) => {
        const setting = config[p.name];
        const declared = p.enforcementLevel ?? "mandatory";
        const configured = setting?.enforcementLevel;
        if (!configured || rank(configured) >= rank(declared)) return [];
        return [{ policy: p.name, declared, configured, reason: (setting.waiverReason ?? "").trim() }];
    });
}
