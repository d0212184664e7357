/**
 * Offline plan: `npm run plan -- --stack <name> [--config <file>] [--json <file>] [--preview]
 *   [--report <file.md>] [--html <file.html>] [--usage <file.yaml>] [--compare <base-plan.json>] [--as-of <date>]`
 *
 * Runs the program for a stack under Pulumi mocks with that stack's config, prints what it would
 * create and reviews it as an architect would (issue #15, tools/report): cost, capacity,
 * availability, DR objectives, the deploy critical path, a diagram, and a diff against a base plan. Exit codes (a contract): 0 planned with no mandatory violation;
 * 1 mandatory violations; 2 invalid config or usage (one line, no stack trace);
 * 3 the program itself failed (a bug, not bad input).
 */
import "./lazyModules";
import * as pulumi from "@pulumi/pulumi";
import { Command } from "commander";
import { Plan, RunOptions, UsageError, readStackConfig, runProgram, stackConfigPath } from "./offline";
import { reviewAndRender, today } from "./report";
import { checkUsageResources, loadUsage } from "./report/usage";
import { readFileSync } from "node:fs";
import { evaluatePlan } from "./policyRunner";
import { primaryStackOutputs } from "./primaryOutputs";
import { parseCli } from "./cli";
import { checkConfigFitsStack, checkOutputFolder, existingStackFile, invocationDir, resolvePaths, writeOutput } from "./cliInput";
import { siteValuesReport } from "../model/siteValues";
import { runnerTargetArgs } from "./runnerTargets";
import { flowTable, flowsOf } from "./flows";
import { terminalSummary } from "./report/terminal";
import type { PlanReview } from "./report/types";

export const EXIT = { ok: 0, violations: 1, usage: 2, internal: 3 } as const;

interface PlanOptions {
    stack: string;
    config?: string;
    json?: string;
    preview?: boolean;
    stackOutputs?: Record<string, Record<string, unknown>>;
    /** dr stacks: outputs of the primary stack from this JSON file instead of its offline plan. */
    primaryOutputs?: string;
    /** Writes phase 1's `--target <urn>` lines (the deploy runner and what it needs) to this file. */
    runnerTargets?: string;
    /** prod and dr stacks: outputs of the bootstrap stack from this JSON file instead of its offline plan. */
    bootstrapOutputs?: string;
    /** Prints the flow matrix (every declared flow through every network layer: tools/flows.ts). */
    flows?: boolean;
    /** Writes the review as Markdown (GitHub-flavoured, the diagram as a Mermaid block): the PR comment with --compare. */
    report?: string;
    /** Writes the review as one self-contained HTML page (the diagram rendered, a cost chart). */
    html?: string;
    /** Usage file (YAML) overriding the default assumptions of usage-based cost lines (docs/usage.example.yaml). */
    usage?: string;
    /** A base plan JSON (`--json` of the base branch): the review gains `diff`. */
    compare?: string;
    /** The plan date (YYYY-MM-DD) prices and support windows are read at. Default: today (UTC). */
    asOf?: string;
    /** Tests: a program to plan instead of index.ts. */
    program?: RunOptions["program"];
}

/**
 * Runs `fn` with source-mapped stack traces off. The Pulumi SDK records a stack trace for every
 * output it creates (debuggablePromise, for its leak report), and mapping each one through tsx's
 * source maps is about a quarter of a plan. An error the program throws keeps mapped frames: V8
 * formats a stack when it is first read, which is when the CLI prints it, after this returns.
 */
export async function withoutSourceMaps<T>(fn: () => Promise<T>): Promise<T> {
    const enabled = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(false);
    try {
        return await fn();
    } finally {
        process.setSourceMapsEnabled(enabled);
    }
}

/** Runs the plan for the CLI or a test; returns the exit code and writes the report to `out`. */
export async function plan(options: PlanOptions, out: (line: string) => void = console.log): Promise<{ code: number; plan?: Plan }> {
    return withoutSourceMaps(() => planWithSourceMapsOff(options, out));
}

async function planWithSourceMapsOff(options: PlanOptions, out: (line: string) => void): Promise<{ code: number; plan?: Plan }> {
    if (options.json) checkOutputFolder("--json", options.json);
    if (options.runnerTargets) checkOutputFolder("--runner-targets", options.runnerTargets);
    if (options.report) checkOutputFolder("--report", options.report);
    if (options.html) checkOutputFolder("--html", options.html);
    const asOf = checkAsOf(options.asOf);
    // Read and checked before any work: a bad usage file or base plan is exit 2 with nothing written.
    const usage = options.usage ? loadUsage(options.usage) : undefined;
    const base = options.compare ? readBasePlan(options.compare, options.stack) : undefined;
    const config = readStackConfig(options.config ?? existingStackFile(options.stack));
    if (options.config) checkConfigFitsStack(options.stack, config, options.config);
    // StackReferences: prod and dr read the bootstrap stack, dr its primary; fed from their offline plans (or the files given).
    const primaryPlans = new Map<string, Plan>();
    const stackOutputs =
        options.stackOutputs ??
        (await primaryStackOutputs(config, options.primaryOutputs, { stack: options.stack, outputsFile: options.bootstrapOutputs, primaryPlans }));
    let result: Plan;
    try {
        result = await runProgram({ stack: options.stack, config, preview: options.preview, stackOutputs, program: options.program });
    } catch (e) {
        // Bad input, not a bug: the config (RunError) or a component's argument check, up front or inside an apply.
        if (pulumi.RunError.isInstance(e as Error) || pulumi.InputPropertiesError.isInstance(e) || pulumi.ResourceError.isInstance(e as Error))
            throw new UsageError((e as Error).message);
        throw e;
    }
    result.violations = await evaluatePlan(result);
    result.siteValues = siteValuesReport(config, config["hybrid-platform:role"] ?? "");
    result.flows = await flowsOf(result.resources);
    if (usage) checkUsageResources(usage, result);
    const otherSites = [...primaryPlans].map(([stack, p]) => ({ plan: p, config: readStackConfig(stackConfigPath(stack)) }));
    const { review, markdown, html } = reviewAndRender(result, {
        config,
        date: asOf,
        otherSites,
        usage,
        base,
        markdown: options.report !== undefined,
        html: options.html !== undefined,
    });
    Object.assign(result, review);
    if (options.report && markdown !== undefined) writeOutput("--report", options.report, markdown);
    if (options.html && html !== undefined) writeOutput("--html", options.html, html);
    if (options.runnerTargets) writeOutput("--runner-targets", options.runnerTargets, runnerTargetArgs(result) + "\n");
    if (options.json) writeOutput("--json", options.json, JSON.stringify(result, null, 2) + "\n");
    out(summarise(result));
    if (options.flows) out(flowTable(result.flows));
    const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory");
    return { code: mandatory.length > 0 ? EXIT.violations : EXIT.ok, plan: result };
}

/** A base plan for --compare: the `--json` of `npm run plan` for the same stack (an older one may lack the review's fields). */
function readBasePlan(file: string, stack: string): Plan & Partial<PlanReview> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`cannot read --compare ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split("\n")[0]}`);
    }
    const plan = parsed as Partial<Plan> | null;
    if (typeof plan !== "object" || plan === null || typeof plan.stack !== "string" || !Array.isArray(plan.resources))
        throw new UsageError(`invalid --compare ${file}: expected a plan JSON (npm run plan -- --json <file>) with stack and resources`);
    if (plan.stack !== stack) throw new UsageError(`invalid --compare ${file}: it is a plan of stack ${plan.stack}, not ${stack}`);
    return { outputs: {}, violations: [], ...plan } as Plan & Partial<PlanReview>;
}

/** The plan date: YYYY-MM-DD, a real calendar day; default today (UTC). */
function checkAsOf(asOf: string | undefined): string {
    if (asOf === undefined) return today();
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(asOf) && new Date(`${asOf}T00:00:00Z`).toISOString().slice(0, 10) === asOf;
    if (!valid) throw new UsageError(`invalid --as-of ${asOf}: expected a date YYYY-MM-DD`);
    return asOf;
}

/** The terminal summary (tools/report/terminal.ts): 100 columns at most, the verdict last. */
export function summarise(result: Plan & Partial<PlanReview>): string {
    return terminalSummary(result);
}

export async function main(argv: string[]): Promise<number> {
    const program = new Command("plan")
        .description("Plan a stack offline: run the program under Pulumi mocks and report what it would create")
        .requiredOption("--stack <name>", "stack name; reads Pulumi.<name>.yaml")
        .option("--config <file>", "read this stack config file instead of Pulumi.<name>.yaml")
        .option("--json <file>", "write the plan (resources, outputs, violations) as JSON")
        .option("--preview", "preview mode: IDs and computed outputs are unknown, as in `pulumi preview`")
        .option("--flows", "print the flow matrix: each declared flow (model/flows.ts) through NetworkPolicies, security groups, NACLs and routes")
        .option("--primary-outputs <file>", "dr stacks: the primary stack's outputs (`pulumi stack output --json`) instead of its offline plan")
        .option("--runner-targets <file>", "write the `--target <urn>` lines of the first up's phase 1 (the deploy runner and what it needs)")
        .option("--bootstrap-outputs <file>", "prod and dr stacks: the bootstrap stack's outputs (`pulumi stack output --json`) instead of its offline plan")
        .option("--report <file.md>", "write the review as Markdown (GitHub-flavoured, the diagram in a Mermaid block; with --compare, the PR comment)")
        .option("--html <file.html>", "write the review as one self-contained HTML page (the diagram rendered, a cost chart)")
        .option("--usage <file.yaml>", "override the default assumptions of usage-based cost lines (docs/usage.example.yaml)")
        .option("--compare <base-plan.json>", "compare with a base plan (--json of the base branch): resources, cost and violations added, changed, removed")
        .option("--as-of <date>", "the plan date (YYYY-MM-DD) prices and support windows are read at; default today (UTC)");
    const parsed = parseCli<PlanOptions>(program, argv, EXIT.usage);
    if ("code" in parsed) return parsed.code;
    try {
        const { code } = await plan(
            resolvePaths(
                parsed.opts,
                ["config", "json", "primaryOutputs", "runnerTargets", "bootstrapOutputs", "report", "html", "usage", "compare"],
                invocationDir("plan"),
            ),
        );
        return code;
    } catch (e) {
        return reportFailure(e);
    }
}

/** How the CLI reports a plan that did not finish: bad input exits 2, a failing program 3; one line either way. */
export function reportFailure(e: unknown, err: (line: string) => void = console.error): number {
    if (e instanceof UsageError) {
        err(`error: ${e.message}`);
        return EXIT.usage;
    }
    // The message names what failed (an apply's error keeps its own); a stack trace would say less to a user.
    err(`error: the program failed: ${String((e as Error | undefined)?.message ?? e).split("\n")[0]}`);
    return EXIT.internal;
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => process.exit(code));
}
