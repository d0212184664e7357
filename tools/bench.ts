/**
 * Benchmark: `npm run bench -- [--only test,plan,policy,steps] [--runs N] [--sizes 1000,10000,100000] [--max-old-space MB] [--json <file>]`
 *
 * Prints the speed rows of issue #10, each with the machine (cores, memory, node, load) and date:
 *  - test:   `npm test` wall time (type-check and every test, as a contributor runs it);
 *  - plan:   `npm run plan -- --stack prod` wall time, process start included (median of --runs);
 *  - policy: the pack on synthetic graphs of ~1k, ~10k and ~100k resources (the prod plan
 *            replicated with renamed identities, tools/syntheticPlan.ts), each size in a fresh
 *            process: resources/s, the largest/middle time ratio and the peak RSS;
 *  - report: what the review (issue #15: cost, capacity, availability, DR, critical path, diagram and
 *            the Markdown/HTML renders) adds to a prod plan, in process (median of --runs; limit 0.5 s);
 *  - steps:  (not by default) min / median / max of each step in process: planning each stack in
 *            update and preview mode, and the pack on each plan.
 * Speed is measured here, never asserted in tests (a loaded CI machine would make such tests flaky).
 * Wall times on a shared machine include waiting for a core: the load average is printed with each row.
 */
import Table from "cli-table3";
import { Command } from "commander";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { PolicySample } from "./benchPolicy";
import { REPO_ROOT, readStackConfig, runProgram, stackConfigPath } from "./offline";
import { plannedStack, primaryStackOutputs } from "./primaryOutputs";
import { evaluatePlan } from "./policyRunner";
import { copiesFor } from "./syntheticPlan";
import { reviewAndRender } from "./report";

const SECTIONS = ["test", "plan", "report", "policy", "steps"] as const;
type Section = (typeof SECTIONS)[number];

export interface BenchRow {
    readonly benchmark: string;
    readonly result: string;
    readonly machine: string;
    readonly date: string;
    readonly data: Record<string, unknown>;
}

/** Cores, memory, node version and the 1-minute load average (what a wall time on a shared machine depends on). */
export function machine(): string {
    const gib = (os.totalmem() / 2 ** 30).toFixed(1);
    return `${os.cpus().length} cores, ${gib} GiB, node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`;
}

const row = (benchmark: string, result: string, data: Record<string, unknown>): BenchRow => ({
    benchmark,
    result,
    machine: machine(),
    date: new Date().toISOString().slice(0, 16) + "Z",
    data,
});
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Wall time of a command run from the repository root; throws with its output's tail if it fails. */
function timeCommand(command: string, args: string[]): number {
    const start = performance.now();
    const result = spawnSync(command, args, { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
    const ms = performance.now() - start;
    if (result.status !== 0) {
        const tail = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
        throw new Error(`${command} ${args.join(" ")} exited with ${result.status ?? result.signal}:\n${tail}`);
    }
    return ms;
}

function benchTest(): BenchRow {
    const ms = timeCommand(npm, ["test", "--silent"]);
    return row("npm test", `${seconds(ms)} wall (passed)`, { wallMs: Math.round(ms) });
}

function benchPlan(runs: number): BenchRow {
    const samples = Array.from({ length: runs }, () => timeCommand(npm, ["run", "--silent", "plan", "--", "--stack", "prod"]));
    const [min, max] = [Math.min(...samples), Math.max(...samples)];
    return row("npm run plan -- --stack prod", `${seconds(median(samples))} wall (median of ${runs}; min ${seconds(min)}, max ${seconds(max)})`, {
        wallMs: samples.map(Math.round),
    });
}

async function benchPolicy(sizes: number[], heapMb?: number): Promise<BenchRow> {
    const dir = mkdtempSync(path.join(os.tmpdir(), "hybrid-bench-"));
    try {
        const base = await plannedStack("prod");
        const planFile = path.join(dir, "prod.json");
        writeFileSync(planFile, JSON.stringify(base));
        const samples: PolicySample[] = [];
        for (const size of sizes) {
            // A fresh process per size: its peak RSS is that size's alone.
            const heap = heapMb ? [`--max-old-space-size=${heapMb}`] : [];
            const child = spawnSync(
                process.execPath,
                [
                    ...heap,
                    "--require",
                    "tsx/cjs",
                    path.join(__dirname, "benchPolicy.ts"),
                    "--plan",
                    planFile,
                    "--copies",
                    String(copiesFor(base.resources, size)),
                ],
                {
                    cwd: REPO_ROOT,
                    encoding: "utf8",
                    maxBuffer: 64 * 2 ** 20,
                },
            );
            if (child.status !== 0) throw new Error(`policy sample of ${size} resources failed: ${child.stderr.trim().split("\n").slice(-5).join("\n")}`);
            samples.push(JSON.parse(child.stdout.trim().split("\n").pop()!) as PolicySample);
        }
        const rate = (s: PolicySample) => Math.round(s.resources / (s.wallMs / 1000));
        const parts = samples.map(
            (s) => `${s.resources.toLocaleString("en")}: ${seconds(s.wallMs)} (${rate(s).toLocaleString("en")}/s, cpu ${seconds(s.cpuMs)})`,
        );
        const [middle, largest] = samples.slice(-2);
        const ratio =
            samples.length >= 2
                ? `; ${largest.resources.toLocaleString("en")}/${middle.resources.toLocaleString("en")} time ${(largest.wallMs / middle.wallMs).toFixed(1)}x`
                : "";
        const peak = Math.max(...samples.map((s) => s.peakRssBytes));
        const limit = heapMb ? ` (heap limit ${heapMb} MB)` : "";
        return row(
            `policy evaluation (prod plan x copies, ${base.resources.length} each)`,
            `${parts.join("; ")}${ratio}; peak RSS ${(peak / 2 ** 30).toFixed(2)} GiB${limit}`,
            { samples, heapMb },
        );
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

interface StepRow {
    step: string;
    runs: number;
    minMs: number;
    medianMs: number;
    maxMs: number;
}

async function time(step: string, runs: number, fn: () => Promise<unknown>): Promise<StepRow> {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
        const start = performance.now();
        await fn();
        samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return { step, runs, minMs: round(samples[0]), medianMs: round(median(samples)), maxMs: round(samples[samples.length - 1]) };
}

/** The in-process steps (what the tests pay for): each stack planned in both modes, and the pack on each plan. */
async function benchSteps(runs: number): Promise<BenchRow> {
    const steps: StepRow[] = [];
    for (const stack of ["prod", "dr"]) {
        const config = readStackConfig(stackConfigPath(stack));
        // prod and dr read bootstrap, dr reads prod, through StackReferences: fed from their offline plans, as `npm run plan` does (timed separately).
        const stackOutputs = await primaryStackOutputs(config, undefined, { stack });
        for (const preview of [false, true]) {
            steps.push(await time(`plan ${stack} (${preview ? "preview" : "update"})`, runs, () => runProgram({ stack, config, preview, stackOutputs })));
        }
        const plan = await runProgram({ stack, config, stackOutputs });
        steps.push(await time(`policy pack on ${stack} plan (${plan.resources.length} resources)`, runs, () => evaluatePlan(plan)));
    }
    const result = steps.map((s) => `${s.step}: median ${s.medianMs} ms (min ${s.minMs}, max ${s.maxMs})`).join("; ");
    return row(`in-process steps (${runs} runs each, after a first plan)`, result, { steps });
}

/** What the review adds to `npm run plan -- --stack prod`: the same function the CLI calls, on the same plan. */
async function benchReport(runs: number): Promise<BenchRow> {
    const plan = await plannedStack("prod");
    plan.violations = await evaluatePlan(plan);
    const config = readStackConfig(stackConfigPath("prod"));
    // The CLI pays the first run (its modules load then, e.g. Mermaid's bundle read for --html): that is the figure held to 0.5 s.
    const first = await time("first review", 1, async () => reviewAndRender(plan, { config, date: "2026-12-01", markdown: true, html: true }));
    const step = await time("review", runs, async () => reviewAndRender(plan, { config, date: "2026-12-01", markdown: true, html: true }));
    const verdict = first.medianMs <= 500 ? "within" : "OVER";
    return row(
        `review of the prod plan (${plan.resources.length} resources)`,
        `${first.medianMs} ms first run, module loads included: ${verdict} the 500 ms limit; then ${step.medianMs} ms median of ${runs} (min ${step.minMs}, max ${step.maxMs})`,
        { firstMs: first.medianMs, ...step },
    );
}

/** Parses `--only` (a comma list of sections). */
export function parseSections(value: string): Section[] {
    const wanted = value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    const unknown = wanted.find((s) => !(SECTIONS as readonly string[]).includes(s));
    if (unknown !== undefined) throw new Error(`--only: unknown section "${unknown}" (known: ${SECTIONS.join(", ")})`);
    return wanted as Section[];
}

async function main(): Promise<void> {
    const options = new Command("bench")
        .option("--only <sections>", `comma list of ${SECTIONS.join(", ")}`, parseSections, ["test", "plan", "report", "policy"] as Section[])
        .option("--runs <n>", "runs of `npm run plan` (and of each in-process step)", (v) => Number.parseInt(v, 10), 3)
        .option("--sizes <list>", "synthetic graph sizes for the policy row", (v) => v.split(",").map((s) => Number.parseInt(s, 10)), [1000, 10000, 100000])
        .option(
            "--max-old-space <mb>",
            "policy row: V8 heap limit of each sample (node's default lets a 100k-resource heap grow well past its live size)",
            (v) => Number.parseInt(v, 10),
        )
        .option("--json <file>", "also write the rows as JSON")
        .parse(process.argv.slice(2), { from: "user" })
        .opts<{ only: Section[]; runs: number; sizes: number[]; maxOldSpace?: number; json?: string }>();
    const rows: BenchRow[] = [];
    // Slowest last: a quick row is not lost to a long one being interrupted.
    if (options.only.includes("plan")) rows.push(benchPlan(options.runs));
    if (options.only.includes("report")) rows.push(await benchReport(options.runs));
    if (options.only.includes("steps")) {
        await plannedStack("prod"); // loads @pulumi/aws and the program once, outside the timings
        rows.push(await benchSteps(options.runs));
    }
    if (options.only.includes("policy")) rows.push(await benchPolicy(options.sizes, options.maxOldSpace));
    if (options.only.includes("test")) rows.push(benchTest());
    const table = new Table({ head: ["benchmark", "result", "machine", "date"], colWidths: [30, 70, 26, 19], wordWrap: true, style: { head: [], border: [] } });
    for (const r of rows) table.push([r.benchmark, r.result, r.machine, r.date]);
    console.log(table.toString());
    if (options.json) writeFileSync(options.json, JSON.stringify(rows, null, 2) + "\n");
}

if (require.main === module) {
    main().catch((e) => {
        console.error(`error: ${(e as Error).message}`);
        process.exit(3);
    });
}
