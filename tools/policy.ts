/**
 * Offline policy run: `npm run policy -- --resources <plan.json> [--sarif <file>] [--policy-config <file>]`
 *
 * Runs every policy of the pack against the `resources` of a plan JSON (the
 * `npm run plan -- --json` format, possibly edited by hand), prints each violation
 * (policy, level, resource, message) and, on request, writes SARIF 2.1.0.
 * Exit codes (a contract): 0 no mandatory violation; 1 mandatory violations;
 * 2 unreadable input (missing or malformed plan or policy config, bad usage).
 * The stack's policy config (policy/config/<stack>.json) applies unless --policy-config names another.
 */
import Table from "cli-table3";
import { Command } from "commander";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { allPolicies } from "../policy/policies";
import { PackConfig, Waiver, waiversOf } from "../policy/waivers";
import { PlannedResource, REPO_ROOT, UsageError } from "./offline";
import { PACK_VERSION, PolicyDiagnostic, analyzeResources, loadPolicyConfig, stackPolicyConfigPath } from "./policyRunner";
import { toSarif } from "./sarif";
import { parseCli } from "./cli";
import { checkOutputFolder, invocationDir, resolvePaths, writeOutput } from "./cliInput";

export const EXIT = { ok: 0, violations: 1, input: 2 } as const;

export interface PolicyOptions {
    resources: string;
    sarif?: string;
    policyConfig?: string;
}

/** Reads a plan JSON and checks the shape the analyzer needs; throws UsageError naming the problem. */
export function readPlanResources(file: string): { stack?: string; resources: PlannedResource[] } {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch {
        throw new UsageError(`cannot read ${file}`);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new UsageError(`${file} is not valid JSON: ${(e as Error).message.split("\n")[0]}`);
    }
    const resources = (doc as { resources?: unknown } | null)?.resources;
    if (!Array.isArray(resources)) throw new UsageError(`${file}: expected a plan with a "resources" array (npm run plan -- --json)`);
    resources.forEach((r, i) => {
        const bad = ["urn", "type", "name"].find((k) => typeof (r as Record<string, unknown>)?.[k] !== "string");
        if (bad) throw new UsageError(`${file}: resources[${i}].${bad} must be a string`);
        const props = (r as Record<string, unknown>).props;
        if (props !== undefined && (props === null || typeof props !== "object" || Array.isArray(props)))
            throw new UsageError(`${file}: resources[${i}].props must be an object`);
    });
    const stack = (doc as { stack?: unknown }).stack;
    return {
        stack: typeof stack === "string" ? stack : undefined,
        resources: (resources as PlannedResource[]).map((r) => ({
            ...r,
            props: r.props ?? {},
            dependencies: r.dependencies ?? [],
            propertyDependencies: r.propertyDependencies ?? {},
        })),
    };
}

/**
 * The table and the summary. `waivers` (the config's, violated or not) follow the summary, one line
 * each with its reason: a waiver stays on the record even when the policy finds nothing.
 */
export function report(diagnostics: PolicyDiagnostic[], waivers: readonly Waiver[] = []): string {
    const mandatory = diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
    const advisory = diagnostics.filter((d) => d.enforcementLevel === "advisory").length;
    const waived = diagnostics.filter((d) => d.waiverReason).length;
    const summary =
        `policy: ${mandatory} mandatory, ${advisory} advisory violation(s)${waived ? `, ${waived} under a waiver` : ""} (${allPolicies.length} policies)` +
        waivers.map((w) => `\nwaiver: ${w.policy} ${w.declared} -> ${w.configured}: ${w.reason || "(no reason)"}`).join("");
    if (diagnostics.length === 0) return summary;
    const colour = process.stdout.isTTY === true;
    const table = new Table({
        head: ["policy", "level", "resource", "message"],
        colWidths: [38, 19, 40, 80],
        wordWrap: true,
        style: { compact: true, head: colour ? ["cyan"] : [], border: colour ? ["grey"] : [] },
    });
    for (const d of diagnostics) {
        // The first line of a message is the policy's description; the table shows what is wrong.
        const detail = d.message.includes("\n") ? d.message.slice(d.message.indexOf("\n") + 1) : d.message;
        table.push([d.policy, d.waiverReason ? `${d.enforcementLevel} (waived)` : d.enforcementLevel, d.urn ? d.urn.split("::").pop()! : "(stack)", detail]);
    }
    return `${table.toString()}\n${summary}`;
}

/** The CLI's work, for the CLI and tests: returns the exit code, writes the report to `out`. */
export async function runPolicy(options: PolicyOptions, out: (line: string) => void = console.log): Promise<number> {
    if (options.sarif) checkOutputFolder("--sarif", options.sarif);
    const plan = readPlanResources(options.resources);
    let config: PackConfig = {};
    if (options.policyConfig) config = loadPolicyConfig(options.policyConfig);
    else if (plan.stack && existsSync(stackPolicyConfigPath(plan.stack))) config = loadPolicyConfig(stackPolicyConfigPath(plan.stack));
    let diagnostics: PolicyDiagnostic[];
    try {
        diagnostics = await analyzeResources(plan.resources, { config });
    } catch (e) {
        // Hand-edited props of a shape no provider produces can make a policy throw.
        throw new UsageError(`${options.resources}: the policies could not read the resources: ${(e as Error).message.split("\n")[0]}`);
    }
    const waivers = waiversOf(config, allPolicies);
    out(report(diagnostics, waivers));
    if (options.sarif) {
        const stackFile = plan.stack ? `Pulumi.${plan.stack}.yaml` : undefined;
        const artifactUri = stackFile && existsSync(path.join(REPO_ROOT, stackFile)) ? stackFile : path.relative(REPO_ROOT, path.resolve(options.resources));
        writeOutput(
            "--sarif",
            options.sarif,
            JSON.stringify(toSarif(diagnostics, allPolicies, { version: PACK_VERSION, artifactUri, waivers }), null, 2) + "\n",
        );
    }
    return diagnostics.some((d) => d.enforcementLevel === "mandatory") ? EXIT.violations : EXIT.ok;
}

export async function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
    const program = new Command("policy")
        .description("Run the hybrid-guardrails policy pack offline against a plan's resources")
        .requiredOption("--resources <plan.json>", "plan JSON (npm run plan -- --json <file>) whose resources are checked")
        .option("--sarif <file>", "also write the results as SARIF 2.1.0 (GitHub code scanning)")
        .option("--policy-config <file>", "policy config (--policy-pack-config format); default policy/config/<stack>.json if present")
        .configureOutput({ writeOut: (s) => out(s.trimEnd()) });
    const parsed = parseCli<PolicyOptions>(program, argv, EXIT.input, err);
    if ("code" in parsed) return parsed.code;
    try {
        return await runPolicy(resolvePaths(parsed.opts, ["resources", "sarif", "policyConfig"], invocationDir("policy")), out);
    } catch (e) {
        err(`error: ${e instanceof UsageError ? e.message : (e as Error).message.split("\n")[0]}`);
        return EXIT.input;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => process.exit(code));
}
