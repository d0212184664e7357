/**
 * Benchmark: `npm run bench -- [--runs N] [--json <file>]`
 *
 * Times the offline path the way users and CI exercise it: loading the program's modules,
 * then planning each stack in update and preview mode, then evaluating the policy pack
 * on each plan. Reports min / median / max wall time per step. Speed is measured here,
 * never asserted in tests (a loaded CI machine would make such tests flaky).
 */
import Table from "cli-table3";
import { Command } from "commander";
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { readStackConfig, runProgram, stackConfigPath } from "./offline";
import { primaryStackOutputs } from "./primaryOutputs";
import { evaluatePlan } from "./policyRunner";

interface Row {
    step: string;
    runs: number;
    minMs: number;
    medianMs: number;
    maxMs: number;
}

async function time(step: string, runs: number, fn: () => Promise<unknown>): Promise<Row> {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
        const start = performance.now();
        await fn();
        samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return { step, runs, minMs: round(samples[0]), medianMs: round(samples[Math.floor(samples.length / 2)]), maxMs: round(samples[samples.length - 1]) };
}

async function main(): Promise<void> {
    const options = new Command("bench")
        .option("--runs <n>", "timed runs per step", (v) => Number.parseInt(v, 10), 5)
        .option("--json <file>", "also write the rows as JSON")
        .parse(process.argv.slice(2), { from: "user" })
        .opts<{ runs: number; json?: string }>();
    const rows: Row[] = [];
    // First run pays for loading @pulumi/aws and the program: reported on its own.
    rows.push(await time("first plan (prod, incl. module load)", 1, () => runProgram({ stack: "prod" })));
    for (const stack of ["prod", "dr"]) {
        const config = readStackConfig(stackConfigPath(stack));
        // dr reads prod through a StackReference: fed from prod's offline plan, as `npm run plan` does (timed separately).
        const stackOutputs = await primaryStackOutputs(config);
        for (const preview of [false, true]) {
            rows.push(await time(`plan ${stack} (${preview ? "preview" : "update"})`, options.runs, () => runProgram({ stack, config, preview, stackOutputs })));
        }
        const plan = await runProgram({ stack, config, stackOutputs });
        rows.push(await time(`policy pack on ${stack} plan (${plan.resources.length} resources)`, options.runs, () => evaluatePlan(plan)));
    }
    const table = new Table({ head: ["step", "runs", "min ms", "median ms", "max ms"], style: { head: [], border: [] } });
    for (const r of rows) table.push([r.step, r.runs, r.minMs, r.medianMs, r.maxMs]);
    console.log(table.toString());
    if (options.json) writeFileSync(options.json, JSON.stringify(rows, null, 2) + "\n");
}

main().catch((e) => {
    console.error(`error: ${(e as Error).message}`);
    process.exit(3);
});
