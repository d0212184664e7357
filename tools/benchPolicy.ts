/**
 * One policy benchmark sample, in a process of its own so that its peak memory is its own:
 * `node --require tsx/cjs tools/benchPolicy.ts --copies <n> [--plan <plan.json>]`
 *
 * Replicates the prod plan (or the plan JSON given) into `n` copies that join among themselves
 * (tools/syntheticPlan.ts), evaluates the whole pack on them with the prod policy config, and
 * prints one JSON line: resources, diagnostics, wall and CPU milliseconds, peak RSS in bytes.
 */
import { Command } from "commander";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Plan, PlannedResource } from "./offline";
import { plannedStack } from "./primaryOutputs";
import { evaluatePlan } from "./policyRunner";
import { replicateResources } from "./syntheticPlan";

export interface PolicySample {
    readonly resources: number;
    readonly diagnostics: number;
    readonly wallMs: number;
    readonly cpuMs: number;
    readonly peakRssBytes: number;
}

/** Evaluates the pack on `copies` copies of a plan's resources (prod's policy config applies). */
export async function samplePolicy(base: PlannedResource[], copies: number): Promise<PolicySample> {
    const plan: Plan = { stack: "prod", resources: replicateResources(base, copies), outputs: {}, violations: [] };
    const cpu = process.cpuUsage();
    const start = performance.now();
    const diagnostics = await evaluatePlan(plan);
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return {
        resources: plan.resources.length,
        diagnostics: diagnostics.length,
        wallMs: Math.round(wallMs),
        cpuMs: Math.round((used.user + used.system) / 1000),
        // maxRSS is in kilobytes: the process's peak, replicated plan included.
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
}

async function main(): Promise<void> {
    const options = new Command("bench-policy")
        .requiredOption("--copies <n>", "copies of the plan to evaluate at once", (v) => Number.parseInt(v, 10))
        .option("--plan <file>", "plan JSON (npm run plan -- --json); default the prod plan, computed offline")
        .parse(process.argv.slice(2), { from: "user" })
        .opts<{ copies: number; plan?: string }>();
    const base = options.plan ? (JSON.parse(readFileSync(options.plan, "utf8")) as Plan).resources : (await plannedStack("prod")).resources;
    console.log(JSON.stringify(await samplePolicy(base, options.copies)));
}

if (require.main === module) {
    main().catch((e) => {
        console.error(`error: ${(e as Error).message}`);
        process.exit(3);
    });
}
