/**
 * Releases (seed 5): `npm run release -- --stack <prod|dr|dev> --image <workload>=[<tag>@]sha256:<digest> ... [--bake-minutes N] [--dry-run] [--json f]`
 *
 * Canary: the candidate digests into `app.release.candidate` → `pulumi up` (the candidate target group takes
 * `canaryWeight` %) → bake: every minute the candidate group's and the stable group's 5XX rate and p99
 * TargetResponseTime from CloudWatch, judged by the declared rule (model/releaseAnalysis.ts) → promote (the
 * candidate digests become `app.images`, the candidate track goes) or roll back (the candidate removed), with a
 * second `up`. Blue-green: the candidate at full size with no traffic, then `app.release.promote=true` (all
 * traffic), judged against the stable group's window before the switch. Rolling (development): the images change
 * in place, one `up`, no analysis.
 *
 * Exit codes (a contract): 0 promoted (or released, or the dry run printed); 1 rolled back, analysis failed (a
 * verdict, not enough traffic) or a release already in progress; 2 usage (bad flags, no Pulumi CLI on PATH,
 * no such stack); 3 internal error.
 */
import { Command } from "commander";
import { writeFileSync } from "node:fs";
import { appSchema, releaseStrategyFor, type AppConfig } from "../model/appConfig";
import { PROJECT } from "../model/config";
import { DEFAULTS } from "../model/defaults";
import * as ra from "../model/releaseAnalysis";
import { parseCli } from "./cli";
import { type ChangeSummary, type Clock, describeChanges, formatTimeline, type TimelineEntry } from "./failover";

export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;
export const APP_KEY = `${PROJECT}:app`;

/** The stack, as the Automation API exposes it (real: tools/releaseAdapters.ts; tests: a fake). */
export interface ReleaseWorkspace {
    readonly stackName: string;
    /** A config value; structured values as JSON. */
    getConfig(key: string): Promise<string | undefined>;
    /** `pulumi config set --path <key> <value>` (the key with the project prefix, e.g. hybrid-platform:app.images.djangoWeb.digest). */
    setConfigPath(key: string, value: string): Promise<void>;
    removeConfigPath(key: string): Promise<void>;
    up(): Promise<ChangeSummary>;
    outputs(): Promise<Record<string, unknown>>;
}

/** CloudWatch (real: GetMetricData, AWS/ApplicationELB): one target group's requests over [startMs, endMs). */
export interface ReleaseMetrics {
    targetGroupWindow(q: { region: string; loadBalancer: string; targetGroup: string; startMs: number; endMs: number }): Promise<ra.TrackWindow>;
}

export interface ReleaseOptions {
    readonly workspace: ReleaseWorkspace;
    readonly metrics: ReleaseMetrics;
    readonly clock: Clock;
    readonly sleep: (ms: number) => Promise<void>;
    readonly images: readonly ra.CandidateImage[];
    readonly bakeMinutes?: number;
    readonly dryRun?: boolean;
    readonly rule?: ra.AnalysisRule;
    readonly log: (line: string) => void;
}

export interface ReleaseResult {
    readonly code: number;
    readonly outcome: "promoted" | "released" | "rolled back" | "dry run" | "stopped";
    readonly strategy?: string;
    readonly timeline: TimelineEntry[];
    readonly judgement?: ra.Judgement;
}

class Stop extends Error {
    constructor(
        message: string,
        readonly code: number = EXIT.failed,
    ) {
        super(message);
    }
}

const MINUTE = 60_000;

export async function runRelease(o: ReleaseOptions): Promise<ReleaseResult> {
    const start = o.clock.now();
    const timeline: TimelineEntry[] = [];
    const step = async <T>(name: string, body: () => Promise<{ detail: string; status?: TimelineEntry["status"]; value?: T }>): Promise<T | undefined> => {
        const t0 = o.clock.now();
        o.log(`--> ${name}`);
        try {
            const { detail, status = "ok", value } = await body();
            timeline.push({ step: name, status, startedMs: t0 - start, durationMs: o.clock.now() - t0, detail });
            o.log(`    ${status}: ${detail}`);
            return value;
        } catch (e) {
            const detail = (e as Error).message;
            timeline.push({ step: name, status: "failed", startedMs: t0 - start, durationMs: o.clock.now() - t0, detail });
            o.log(`    failed: ${detail}`);
            throw e instanceof Stop ? e : new Stop(`${name}: ${detail}`, EXIT.internal);
        }
    };
    let strategy: string | undefined;
    let judgement: ra.Judgement | undefined;
    const finish = (code: number, outcome: ReleaseResult["outcome"]): ReleaseResult => {
        o.log(formatTimeline(timeline, (o.clock.now() - start) / MINUTE, undefined, false));
        o.log(`release ${outcome} on ${o.workspace.stackName} (exit ${code})`);
        return { code, outcome, strategy, timeline, judgement };
    };
    const apply = async (edits: readonly ra.ConfigEdit[]) => {
        for (const e of edits)
            if (e.op === "set") await o.workspace.setConfigPath(`${PROJECT}:${e.path}`, e.value);
            else await o.workspace.removeConfigPath(`${PROJECT}:${e.path}`);
    };
    const describe = (edits: readonly ra.ConfigEdit[]) => edits.map((e) => (e.op === "set" ? `${e.path}=${e.value}` : `rm ${e.path}`)).join(", ");

    let app!: AppConfig;
    let rule!: ra.AnalysisRule;
    const bakeMinutes = o.bakeMinutes ?? ra.RELEASE_RULE.bakeMinutes;
    try {
        await step("read the stack", async () => {
            const raw = await o.workspace.getConfig(APP_KEY);
            if (raw === undefined) throw new Stop(`${o.workspace.stackName} has no ${APP_KEY}: not a platform stack`, EXIT.usage);
            const parsed = appSchema.safeParse(JSON.parse(raw));
            if (!parsed.success) throw new Stop(`${APP_KEY} is invalid: ${parsed.error.issues[0].message}`, EXIT.usage);
            app = parsed.data;
            strategy = releaseStrategyFor(app, (await o.workspace.getConfig(`${PROJECT}:environment`)) ?? DEFAULTS.environment);
            const observability = JSON.parse((await o.workspace.getConfig(`${PROJECT}:observability`)) ?? "{}") as {
                slo?: { availabilityTargetPercent?: number };
            };
            rule = o.rule ?? ra.defaultRule(observability.slo?.availabilityTargetPercent);
            const recorded = Object.entries(app.release.candidate ?? {}).map(([w, ref]) => `${w}=${ref?.digest ?? ref?.tag}`);
            const requested = o.images.map((i) => `${i.workload}=${i.digest}`);
            // A merged release request (the app pipeline's pull request records the candidate) continues; any other candidate is a release in progress.
            if (recorded.length > 0 && recorded.sort().join(" ") !== requested.sort().join(" "))
                throw new Stop(
                    `a release is in progress on ${o.workspace.stackName} (app.release.candidate is ${recorded.join(", ")}): finish or roll it back first`,
                );
            return {
                detail: `${o.workspace.stackName}: strategy ${strategy}${strategy === "canary" ? ` at ${app.release.canaryWeight}%` : ""}, bake ${bakeMinutes} min`,
            };
        });
        const hasTag = (w: ra.ReleaseWorkload) => app.images[w].tag !== undefined;
        const blueGreen = strategy === "blueGreen";
        if (strategy === "rolling") {
            const edits = ra.rollingEdits(o.images, hasTag);
            if (o.dryRun) return (o.log(`dry run: would set ${describe(edits)} and pulumi up (rolling)`), finish(EXIT.ok, "dry run"));
            await apply(edits);
            await step("pulumi up (rolling update)", async () => ({ detail: `${describe(edits)}: ${describeChanges(await o.workspace.up())}` }));
            return finish(EXIT.ok, "released");
        }
        if (o.dryRun) {
            o.log(`dry run: would set ${describe(ra.candidateEdits(o.images))}, pulumi up, bake ${bakeMinutes} min, then promote or roll back`);
            o.log(`rule: ${JSON.stringify(rule)}`);
            return finish(EXIT.ok, "dry run");
        }
        const rollBack = async (why: string): Promise<ReleaseResult> => {
            await step("roll back", async () => {
                await apply(ra.rollbackEdits(blueGreen));
                return { status: "warn", detail: `${why}; candidate removed: ${describeChanges(await o.workspace.up())}` };
            });
            return finish(EXIT.failed, "rolled back");
        };
        try {
            await apply(ra.candidateEdits(o.images));
            await step(`pulumi up (candidate${blueGreen ? " at full size, no traffic" : ` at ${app.release.canaryWeight}%`})`, async () => ({
                detail: describeChanges(await o.workspace.up()),
            }));
        } catch (e) {
            return await rollBack(`the candidate's up failed (${(e as Error).message})`);
        }
        const served = o.images.filter((i) => ra.SERVED_WORKLOAD[i.workload] !== undefined).map((i) => ra.SERVED_WORKLOAD[i.workload]!);
        const outputs = await o.workspace.outputs();
        const region = (await o.workspace.getConfig("aws:region")) ?? "";
        const loadBalancer = String(outputs.albArnSuffix ?? "");
        const groups = (outputs.releaseTargetGroups ?? {}) as Record<string, string>;
        const group = (s: string, track: string) => {
            const tg = groups[`${s}:${track}`];
            if (!tg || !loadBalancer) throw new Stop(`the stack has no target group ${s}:${track} (outputs albArnSuffix, releaseTargetGroups)`);
            return tg;
        };
        const read = (s: string, track: string, startMs: number, endMs: number) =>
            o.metrics.targetGroupWindow({ region, loadBalancer, targetGroup: group(s, track), startMs, endMs });
        let bakeStart = o.clock.now();
        const baselines = new Map<string, ra.TrackWindow>();
        try {
            if (blueGreen) {
                await step("baseline: the stable groups before the switch", async () => {
                    for (const s of served) baselines.set(s, await read(s, "stable", bakeStart - bakeMinutes * MINUTE, bakeStart));
                    return { detail: served.map((s) => `${s} ${baselines.get(s)!.requests} requests`).join(", ") || "no served workload" };
                });
                await apply(ra.switchEdits(true));
                await step("pulumi up (switch: all traffic to the candidate)", async () => ({ detail: describeChanges(await o.workspace.up()) }));
                bakeStart = o.clock.now();
            }
            for (let minute = 1; minute <= bakeMinutes; minute++) {
                await o.sleep(MINUTE);
                const now = o.clock.now();
                const judgements: ra.Judgement[] = [];
                for (const s of served) {
                    const candidate = await read(s, "candidate", bakeStart, now);
                    const baseline = blueGreen ? baselines.get(s)! : await read(s, "stable", bakeStart, now);
                    judgements.push(ra.judge(s, candidate, baseline, rule));
                }
                judgement =
                    served.length > 0
                        ? ra.combine(judgements)
                        : { verdict: "pass", reasons: ["no workload behind the ALB (celeryWorker): no request metrics to judge"] };
                const current = judgement;
                await step(`bake minute ${minute}/${bakeMinutes}`, async () => ({
                    status: current.verdict === "pass" && served.length > 0 ? "ok" : "warn",
                    detail: `${current.verdict}: ${current.reasons.join("; ")}`,
                }));
                // A failing window with enough requests rolls back at once: the canary's users are real citizens.
                if (current.verdict === "fail") return await rollBack(`analysis failed: ${current.reasons.join("; ")}`);
            }
        } catch (e) {
            if (e instanceof Stop && e.code === EXIT.internal) throw e;
            return await rollBack(`analysis failed: ${(e as Error).message}`);
        }
        if (judgement?.verdict !== "pass")
            return await rollBack(`${judgement?.verdict === "fail" ? "analysis failed" : "not enough traffic to judge"}: ${judgement?.reasons.join("; ")}`);
        const edits = ra.promoteEdits(o.images, hasTag, blueGreen);
        await apply(edits);
        await step("promote", async () => ({ detail: `${describe(edits)}: ${describeChanges(await o.workspace.up())}` }));
        return finish(EXIT.ok, "promoted");
    } catch (e) {
        return finish(e instanceof Stop ? e.code : EXIT.internal, "stopped");
    }
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** What main wires in: the real adapters by default; tests pass fakes to check the CLI end to end. */
export interface ReleasePorts {
    workspace(stack: string): Promise<ReleaseWorkspace>;
    metrics(): ReleaseMetrics;
    clock?: Clock;
    sleep?: (ms: number) => Promise<void>;
    log?: (line: string) => void;
}

export async function main(argv: string[], err: (line: string) => void = console.error, ports?: ReleasePorts): Promise<number> {
    const program = new Command("release")
        .description("Release new image digests: candidate → pulumi up → bake on CloudWatch metrics → promote or roll back")
        .requiredOption("--stack <name>", "the stack (prod, dr, dev or org/hybrid-platform/<stack>)")
        .option("--image <workload=[tag@]digest>", "a candidate image, e.g. djangoWeb=1.4.2@sha256:<64 hex> (repeatable)", collect, [])
        .option("--bake-minutes <n>", `minutes of analysis before promotion (default ${ra.RELEASE_RULE.bakeMinutes})`)
        .option("--dry-run", "print the config edits and the rule, change nothing")
        .option("--json <file>", "write the timeline and the verdict as JSON")
        .addHelpText(
            "after",
            "\nExit codes: 0 promoted (or released, or dry run); 1 rolled back, analysis failed or a release in progress; 2 usage; 3 internal error.",
        );
    const parsed = parseCli<{ stack: string; image: string[]; bakeMinutes?: string; dryRun?: boolean; json?: string }>(program, argv, EXIT.usage, err);
    if ("code" in parsed) return parsed.code;
    const opts = parsed.opts;
    const images: ra.CandidateImage[] = [];
    for (const arg of opts.image) {
        const image = ra.parseImageArg(arg);
        if (typeof image === "string") return (err(`error: ${image}`), EXIT.usage);
        if (images.some((i) => i.workload === image.workload)) return (err(`error: --image ${image.workload} given twice`), EXIT.usage);
        images.push(image);
    }
    if (images.length === 0) return (err("error: --image <workload>=[<tag>@]sha256:<64 hex> is required (at least one)"), EXIT.usage);
    const bake = opts.bakeMinutes === undefined ? undefined : Number(opts.bakeMinutes);
    if (bake !== undefined && !(Number.isInteger(bake) && bake >= 1 && bake <= 120))
        return (err(`error: --bake-minutes ${opts.bakeMinutes}: a whole number of minutes from 1 to 120`), EXIT.usage);
    try {
        // Loaded here so that tests need neither the Automation API nor the AWS SDK (see tools/failover.ts).
        const real = (): ReleasePorts => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const adapters = require("./releaseAdapters") as typeof import("./releaseAdapters");
            return { workspace: adapters.automationWorkspace, metrics: adapters.cloudWatchMetrics };
        };
        const p = ports ?? real();
        const result = await runRelease({
            workspace: await p.workspace(opts.stack),
            metrics: p.metrics(),
            clock: p.clock ?? { now: () => Date.now() },
            sleep: p.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
            images,
            bakeMinutes: bake,
            dryRun: opts.dryRun,
            log: p.log ?? ((line) => console.log(line)),
        });
        if (opts.json) writeFileSync(opts.json, `${JSON.stringify(result, null, 2)}\n`);
        return result.code;
    } catch (e) {
        const message = String((e as Error).message ?? e);
        if (/ENOENT: pulumi|spawn pulumi ENOENT/.test(message)) {
            err(
                "error: the Pulumi CLI is not installed or not on PATH (the release drives it through the Automation API; see https://www.pulumi.com/docs/install/)",
            );
            return EXIT.usage;
        }
        const cliError = /^error: (.+)$/m.exec(message)?.[1];
        if ((e as Error).name === "StackNotFoundError") {
            err(`error: ${cliError ?? `no stack ${opts.stack}`} (\`pulumi stack ls\` lists the stacks of the backend you are logged in to)`);
            return EXIT.usage;
        }
        err(`error: ${cliError ?? message.split("\n").find((l) => l.trim() !== "")}`);
        return EXIT.internal;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => process.exit(code));
}
