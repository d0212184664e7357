/**
 * SARIF 2.1.0 for GitHub code scanning: one run of the hybrid-guardrails pack, every policy a
 * rule (description, why, remediation as help), every diagnostic a result located at the
 * stack's config file and, logically, at the resource's URN. Waived violations are results
 * with an external suppression carrying the waiver's reason; every waiver of the config, violated
 * or not, is a rule configuration override of the run's invocation (its level, and its reason).
 */
import { createHash } from "node:crypto";
import { Guardrail } from "../policy/lib";
import { PACK_NAME } from "../policy/policies";
import { Waiver } from "../policy/waivers";
import { PolicyDiagnostic } from "./policyRunner";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

export type SarifLevel = "error" | "warning" | "note" | "none";

export interface SarifLog {
    $schema: string;
    version: "2.1.0";
    runs: Array<{
        tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
        results: SarifResult[];
        invocations?: SarifInvocation[];
    }>;
}

/** SARIF 2.1.0 §3.20 invocation, §3.51 configurationOverride: how this run configured a rule. */
export interface SarifInvocation {
    executionSuccessful: boolean;
    ruleConfigurationOverrides: Array<{
        descriptor: { id: string; index: number };
        configuration: { enabled: boolean; level: SarifLevel; parameters: { declared: string; configured: string; waiverReason: string } };
    }>;
}

export interface SarifRule {
    id: string;
    name: string;
    shortDescription: { text: string };
    fullDescription: { text: string };
    help: { text: string; markdown: string };
    defaultConfiguration: { level: SarifLevel };
    properties: { tags: string[]; "seed-section": string; concern: string };
}

export interface SarifResult {
    ruleId: string;
    ruleIndex: number;
    level: SarifLevel;
    message: { text: string };
    locations: Array<{
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
        logicalLocations?: Array<{ name: string; fullyQualifiedName: string; kind: string }>;
    }>;
    partialFingerprints: Record<string, string>;
    suppressions?: Array<{ kind: "external"; justification: string }>;
}

const levelOf = (enforcement: string): SarifLevel =>
    enforcement === "mandatory" || enforcement === "remediate" ? "error" : enforcement === "advisory" ? "warning" : "note";

const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

export function toSarif(
    diagnostics: PolicyDiagnostic[],
    policies: Guardrail[],
    options: { version: string; artifactUri: string; waivers?: readonly Waiver[] },
): SarifLog {
    const rules: SarifRule[] = policies.map((p) => ({
        id: p.name,
        name: pascal(p.name),
        shortDescription: { text: p.description },
        fullDescription: { text: `${p.description} Why: ${p.meta.why}` },
        help: {
            text: `${p.remediationSteps ?? ""} (seed section ${p.meta.seed})`,
            markdown: `**Remediation:** ${p.remediationSteps ?? ""}\n\n**Why:** ${p.meta.why}\n\n**Seed section:** ${p.meta.seed}\n\n**Resource types:** ${p.meta.types.map((t) => `\`${t}\``).join(", ")}`,
        },
        defaultConfiguration: { level: levelOf(p.enforcementLevel ?? "mandatory") },
        properties: { tags: ["security", "iac", p.meta.concern], "seed-section": p.meta.seed, concern: p.meta.concern },
    }));
    const index = new Map(rules.map((r, i) => [r.id, i]));
    const results: SarifResult[] = diagnostics.map((d) => {
        const resourceName = d.urn ? d.urn.split("::").pop()! : "";
        return {
            ruleId: d.policy,
            ruleIndex: index.get(d.policy) ?? -1,
            level: d.waiverReason ? "note" : levelOf(d.enforcementLevel),
            message: { text: d.urn ? `${resourceName}: ${d.message}` : d.message },
            locations: [
                {
                    physicalLocation: { artifactLocation: { uri: options.artifactUri }, region: { startLine: 1 } },
                    ...(d.urn ? { logicalLocations: [{ name: resourceName, fullyQualifiedName: d.urn, kind: "resource" }] } : {}),
                },
            ],
            partialFingerprints: { "hybridGuardrails/v1": createHash("sha256").update(`${d.policy}|${d.urn}|${d.message}`).digest("hex") },
            ...(d.waiverReason ? { suppressions: [{ kind: "external" as const, justification: d.waiverReason }] } : {}),
        };
    });
    return {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: PACK_NAME,
                        version: options.version,
                        informationUri: "https://www.pulumi.com/docs/iac/packages-and-automation/crossguard/",
                        rules,
                    },
                },
                results,
                ...(options.waivers?.length
                    ? {
                          invocations: [
                              {
                                  executionSuccessful: true,
                                  ruleConfigurationOverrides: options.waivers.map((w) => ({
                                      descriptor: { id: w.policy, index: index.get(w.policy) ?? -1 },
                                      configuration: {
                                          enabled: w.configured !== "disabled",
                                          level: levelOf(w.configured),
                                          parameters: { declared: w.declared, configured: w.configured, waiverReason: w.reason },
                                      },
                                  })),
                              },
                          ],
                      }
                    : {}),
            },
        ],
    };
}
