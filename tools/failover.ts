/**
 * Failover orchestration (seed 3.2): `npm run failover -- --stack dr [--drill] [--yes] [--accept-rpo-breach]`
 *
 * Preflight (replica lag and S3 replication latency under the RPO, the database secret's DR replica
 * present, DR health check healthy), then
 * `drMode=active` and one `pulumi up` of the dr stack (promotes the replica, scales the pilot light,
 * points the public hostname at DR), then verification, and a timeline with the RTO budget used.
 * `--drill` runs the preflight and a preview with drMode=active, restores the config and changes nothing.
 *
 * Exit codes (a contract): 0 done (or drill reported); 1 preflight or verification failed, or not confirmed;
 * 2 usage (bad flags, no --yes without a terminal to confirm on, no Pulumi CLI on PATH); 3 internal error.
 */
import { Command } from "commander";
import { PROJECT } from "../model/config";
import { DrConfig, drSchema } from "../model/drConfig";
import { parseCli } from "./cli";

export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;
export const DR_MODE_KEY = `${PROJECT}:drMode`;
export const DR_KEY = `${PROJECT}:dr`;

/** Resource operations of a preview or update, e.g. { create: 1, update: 3, same: 120 }. */
export type ChangeSummary = Record<string, number>;

/** The dr stack, as the Automation API exposes it (real: LocalWorkspace.selectStack; tests: a fake). */
export interface FailoverWorkspace {
    readonly stackName: string;
    /** A config value ("hybrid-platform:drMode"), undefined if not set; structured values as JSON. */
    getConfig(key: string): Promise<string | undefined>;
    setConfig(key: string, value: string): Promise<void>;
    removeConfig(key: string): Promise<void>;
    preview(): Promise<ChangeSummary>;
    up(): Promise<ChangeSummary>;
    outputs(): Promise<Record<string, unknown>>;
}

/** Live measurements (real: CloudWatch). Undefined means no recent datapoint. */
export interface FailoverMetrics {
    /** Latest RDS ReplicaLag of the DR replica, seconds (AWS/RDS, DR region). */
    replicaLagSeconds(q: { region: string; dbInstanceIdentifier: string }): Promise<number | undefined>;
    /** Latest S3 ReplicationLatency of the documents rule, seconds (AWS/S3, published in the source region). */
    replicationLatencySeconds(q: { region: string; sourceBucket: string; destinationBucket: string; ruleId: string }): Promise<number | undefined>;
    /** Route53 HealthCheckStatus (AWS/Route53, us-east-1): true healthy, false unhealthy. */
    healthCheckHealthy(healthCheckId: string): Promise<boolean | undefined>;
    /** Secrets Manager DescribeSecret in the DR region (metadata only, never the value): undefined if there is no such secret. */
    secretState(q: { region: string; secretId: string }): Promise<{ deletionScheduled: boolean; primaryRegion?: string } | undefined>;
}

export interface Clock {
    now(): number;
}

export interface FailoverOptions {
    readonly workspace: FailoverWorkspace;
    readonly metrics: FailoverMetrics;
    readonly clock: Clock;
    /** Preflight + preview with drMode=active; nothing changes. */
    readonly drill?: boolean;
    /** Skip the interactive confirmation. */
    readonly yes?: boolean;
    /** Proceed although the data loss would exceed the RPO (a disaster in which the primary is gone). */
    readonly acceptRpoBreach?: boolean;
    /** Whether a human can answer a confirmation (stdin is a terminal). */
    readonly interactive?: boolean;
    /** Asks the operator; resolves true to proceed. */
    readonly confirm?: (question: string) => Promise<boolean>;
    readonly log: (line: string) => void;
}

export interface TimelineEntry {
    readonly step: string;
    readonly status: "ok" | "warn" | "failed" | "skipped";
    readonly startedMs: number;
    readonly durationMs: number;
    readonly detail: string;
}

export interface FailoverResult {
    readonly code: number;
    readonly timeline: TimelineEntry[];
    /** Minutes of the RTO budget the run used. */
    readonly elapsedMinutes: number;
    readonly rtoMinutes?: number;
}

class StepFailed extends Error {
    constructor(
        message: string,
        readonly code: number = EXIT.failed,
    ) {
        super(message);
    }
}

const str = (outputs: Record<string, unknown>, key: string): string => {
    const value = outputs[key];
    if (typeof value !== "string" || value === "")
        throw new StepFailed(`the dr stack has no output ${key}: run \`pulumi up\` of the dr stack in standby first`);
    return value;
};

/** Runs the failover (or the drill) step by step; never throws for an expected failure, always returns the timeline. */
export async function runFailover(o: FailoverOptions): Promise<FailoverResult> {
    const start = o.clock.now();
    const timeline: TimelineEntry[] = [];
    let rtoMinutes: number | undefined;
    const step = async (name: string, body: () => Promise<{ detail: string; status?: "ok" | "warn" }>): Promise<void> => {
        await record(name, body, true);
    };
    /** Runs a step and records it; a failure throws when `fatal`, else is returned as false (preflight checks all run). */
    const record = async (name: string, body: () => Promise<{ detail: string; status?: "ok" | "warn" }>, fatal: boolean): Promise<boolean> => {
        const t0 = o.clock.now();
        o.log(`--> ${name}`);
        try {
            const { detail, status = "ok" } = await body();
            timeline.push({ step: name, status, startedMs: t0 - start, durationMs: o.clock.now() - t0, detail });
            o.log(`    ${status}: ${detail}`);
            return true;
        } catch (e) {
            const detail = (e as Error).message;
            timeline.push({ step: name, status: "failed", startedMs: t0 - start, durationMs: o.clock.now() - t0, detail });
            o.log(`    failed: ${detail}`);
            if (!(e instanceof StepFailed)) throw new StepFailed(`${name}: ${detail}`, EXIT.internal);
            if (fatal || e.code !== EXIT.failed) throw e;
            return false;
        }
    };
    /** A stop outside any step: said once, then reported by its exit code. */
    const abort = (message: string): StepFailed => {
        o.log(`stop: ${message}`);
        return new StepFailed(message);
    };
    const finish = (code: number): FailoverResult => {
        const elapsedMinutes = (o.clock.now() - start) / 60_000;
        o.log(formatTimeline(timeline, elapsedMinutes, rtoMinutes, o.drill === true));
        const verdict = o.drill
            ? `drill complete, nothing was changed: ${code === EXIT.ok ? "a failover would pass its preflight" : "a failover would NOT pass its preflight"} (exit ${code})`
            : code === EXIT.ok
              ? "failover complete: the DR site is active"
              : `failover stopped (exit ${code})`;
        o.log(verdict);
        return { code, timeline, elapsedMinutes, rtoMinutes };
    };

    let dr!: DrConfig;
    let region = "";
    let outputs: Record<string, unknown> = {};
    let originalMode: string | undefined;
    try {
        await step("read the dr stack", async () => {
            const raw = await o.workspace.getConfig(DR_KEY);
            if (raw === undefined) throw new StepFailed(`${o.workspace.stackName} has no ${DR_KEY}: not a dr stack`, EXIT.usage);
            const parsed = drSchema.safeParse(JSON.parse(raw));
            if (!parsed.success) throw new StepFailed(`${DR_KEY} is invalid: ${parsed.error.issues[0].message}`, EXIT.usage);
            dr = parsed.data;
            rtoMinutes = dr.rtoMinutes;
            region = (await o.workspace.getConfig("aws:region")) ?? "";
            originalMode = await o.workspace.getConfig(DR_MODE_KEY);
            outputs = await o.workspace.outputs();
            return {
                detail: `${o.workspace.stackName} in ${region}, drMode ${originalMode ?? "standby"}, primary ${dr.primaryStack} in ${dr.primaryRegion}, RPO ${dr.rpoMinutes} min, RTO ${dr.rtoMinutes} min`,
            };
        });
        if (originalMode === "active" && !o.drill)
            throw abort(`drMode is already active on ${o.workspace.stackName}: nothing to fail over (see the fail-back runbook)`);

        const rpoSeconds = dr.rpoMinutes * 60;
        const overRpo = (what: string, seconds: number) => {
            const message = `${what} is ${Math.round(seconds)} s, over the RPO of ${rpoSeconds} s`;
            if (!o.acceptRpoBreach) throw new StepFailed(`${message}: fix replication, or rerun with --accept-rpo-breach to accept the data loss`);
            return { status: "warn" as const, detail: `${message} (accepted with --accept-rpo-breach)` };
        };
        const preflight: boolean[] = [];
        preflight.push(
            await record(
                "preflight: database replica lag",
                async () => {
                    const lag = await o.metrics.replicaLagSeconds({ region, dbInstanceIdentifier: str(outputs, "databaseIdentifier") });
                    if (lag === undefined) {
                        if (!o.acceptRpoBreach)
                            throw new StepFailed(
                                "no recent ReplicaLag datapoint for the DR replica: replication state unknown (--accept-rpo-breach to proceed)",
                            );
                        return { status: "warn", detail: "no recent ReplicaLag datapoint (accepted with --accept-rpo-breach)" };
                    }
                    return lag > rpoSeconds ? overRpo("replica lag", lag) : { detail: `replica lag ${Math.round(lag)} s (RPO ${rpoSeconds} s)` };
                },
                false,
            ),
        );
        preflight.push(
            await record(
                "preflight: document replication latency",
                async () => {
                    const latency = await o.metrics.replicationLatencySeconds({
                        region: dr.primaryRegion,
                        sourceBucket: str(outputs, "primaryDocumentsBucketName"),
                        destinationBucket: str(outputs, "documentsBucketName"),
                        ruleId: str(outputs, "replicationRuleId"),
                    });
                    // Published in the primary region: during a regional outage there is none, which must not block the failover.
                    if (latency === undefined)
                        return {
                            status: "warn",
                            detail: `no recent ReplicationLatency datapoint (published in ${dr.primaryRegion}: unavailable if that region is down)`,
                        };
                    return latency > rpoSeconds
                        ? overRpo("S3 replication latency", latency)
                        : { detail: `S3 replication latency ${Math.round(latency)} s (RPO ${rpoSeconds} s)` };
                },
                false,
            ),
        );
        preflight.push(
            await record(
                "preflight: database credentials at the DR site",
                async () => {
                    const secretId = str(outputs, "databaseSecretArn");
                    const state = await o.metrics.secretState({ region, secretId });
                    if (state === undefined)
                        throw new StepFailed(
                            `the DR replica of the database master secret (${secretId}) does not exist in ${region}: the DR app could not connect (prod's data.postgres.secretReplicaRegions)`,
                        );
                    if (state.deletionScheduled)
                        throw new StepFailed(
                            `the database master secret in ${region} is scheduled for deletion: restore it first (aws secretsmanager restore-secret)`,
                        );
                    return { detail: `master secret present in ${region}${state.primaryRegion ? ` (replica of ${state.primaryRegion})` : " (standalone)"}` };
                },
                false,
            ),
        );
        preflight.push(
            await record(
                "preflight: DR site health",
                async () => {
                    const healthy = await o.metrics.healthCheckHealthy(str(outputs, "secondaryHealthCheckId"));
                    if (healthy !== true)
                        throw new StepFailed(
                            `the DR load balancer's health check is ${healthy === false ? "unhealthy" : "not reporting"}: the DR site could not take traffic`,
                        );
                    return { detail: "DR load balancer healthy" };
                },
                false,
            ),
        );
        const preflightPassed = preflight.every(Boolean);
        // A drill still previews after a failed preflight, to report everything a drill should find.
        if (!preflightPassed && !o.drill) throw abort("preflight failed: nothing was changed");

        if (o.drill) {
            await step("drill: preview with drMode=active", async () => {
                await o.workspace.setConfig(DR_MODE_KEY, "active");
                try {
                    const changes = await o.workspace.preview();
                    return { detail: `a failover would ${describeChanges(changes)}` };
                } finally {
                    if (originalMode === undefined) await o.workspace.removeConfig(DR_MODE_KEY);
                    else await o.workspace.setConfig(DR_MODE_KEY, originalMode);
                }
            });
            return finish(preflightPassed ? EXIT.ok : EXIT.failed);
        }

        await step("confirm", async () => {
            if (o.yes) return { detail: "confirmed with --yes" };
            if (!o.interactive || !o.confirm) throw new StepFailed("no terminal to confirm on: rerun with --yes to fail over unattended", EXIT.usage);
            const ok = await o.confirm(
                `Promote ${o.workspace.stackName} to active: its database stops replicating from ${dr.primaryStack} and the public hostname moves to DR. Proceed?`,
            );
            if (!ok) throw new StepFailed("not confirmed: nothing was changed");
            return { detail: "confirmed by the operator" };
        });
        await step("set drMode=active", async () => {
            await o.workspace.setConfig(DR_MODE_KEY, "active");
            return { detail: `${DR_MODE_KEY} = active` };
        });
        await step("pulumi up (promote replica, scale up, take traffic)", async () => ({ detail: describeChanges(await o.workspace.up()) }));
        await step("verify", async () => {
            const after = await o.workspace.outputs();
            const problems: string[] = [];
            if (after.drMode !== "active") problems.push(`the stack reports drMode ${String(after.drMode)}`);
            const healthy = await o.metrics.healthCheckHealthy(str(after, "secondaryHealthCheckId"));
            if (healthy !== true) problems.push(`the DR health check is ${healthy === false ? "unhealthy" : "not reporting"}`);
            if (problems.length > 0) throw new StepFailed(`verification failed: ${problems.join("; ")}`);
            return { detail: "drMode active, DR site healthy and serving the public hostname" };
        });
        return finish(EXIT.ok);
    } catch (e) {
        return finish(e instanceof StepFailed ? e.code : EXIT.internal);
    }
}

export function describeChanges(changes: ChangeSummary): string {
    const parts = Object.entries(changes)
        .filter(([op, n]) => op !== "same" && n > 0)
        .map(([op, n]) => `${op} ${n}`);
    return parts.length > 0 ? parts.join(", ") : "change nothing";
}

const mmss = (ms: number) => {
    const s = Math.round(ms / 1000);
    return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
};

export function formatTimeline(timeline: readonly TimelineEntry[], elapsedMinutes: number, rtoMinutes: number | undefined, drill: boolean): string {
    const lines = [`timeline${drill ? " (drill)" : ""}:`];
    for (const t of timeline) lines.push(`  +${mmss(t.startedMs)}  ${mmss(t.durationMs)}  ${t.status.padEnd(7)} ${t.step}: ${t.detail}`);
    const budget = rtoMinutes === undefined ? "" : ` of the ${rtoMinutes} min RTO (${((elapsedMinutes / rtoMinutes) * 100).toFixed(1)}%)`;
    lines.push(
        `  elapsed ${elapsedMinutes.toFixed(1)} min${budget}${drill ? "; a real failover adds the pulumi up (replica promotion typically 5-15 min) and DNS TTLs" : ""}`,
    );
    return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
    const program = new Command("failover")
        .description("Fail the platform over to the DR stack: preflight, drMode=active, pulumi up, verify")
        .requiredOption("--stack <name>", "the dr stack (e.g. dr or org/hybrid-platform/dr)")
        .option("--drill", "preflight and preview only: report what a failover would do, change nothing")
        .option("--yes", "do not ask for confirmation (required without a terminal)")
        .option("--accept-rpo-breach", "proceed even if replication lag exceeds the RPO (accepts data loss)");
    const parsed = parseCli<{ stack: string; drill?: boolean; yes?: boolean; acceptRpoBreach?: boolean }>(program, argv, EXIT.usage);
    if ("code" in parsed) return parsed.code;
    const opts = parsed.opts;
    try {
        // Loaded here so that tests of runFailover need neither the Automation API nor the AWS SDK; require, not
        // import(), because a dynamic import bypasses the TypeScript require hook the tests run under (tsx/cjs).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const adapters = require("./failoverAdapters") as typeof import("./failoverAdapters");
        const workspace = await adapters.automationWorkspace(opts.stack);
        const result = await runFailover({
            workspace,
            metrics: adapters.cloudWatchMetrics(),
            clock: { now: () => Date.now() },
            drill: opts.drill,
            yes: opts.yes,
            acceptRpoBreach: opts.acceptRpoBreach,
            interactive: process.stdin.isTTY === true,
            confirm: adapters.askOnTerminal,
            log: (line) => console.log(line),
        });
        return result.code;
    } catch (e) {
        const message = String((e as Error).message ?? e);
        // A missing CLI or stack is the machine's set-up, not a bug: a usage error like a bad flag.
        if (/ENOENT: pulumi|spawn pulumi ENOENT/.test(message)) {
            console.error(
                "error: the Pulumi CLI is not installed or not on PATH (the failover drives it through the Automation API; see https://www.pulumi.com/docs/install/)",
            );
            return EXIT.usage;
        }
        // The Automation API wraps the CLI's own "error: ..." line in a dump of the command's output.
        const cliError = /^error: (.+)$/m.exec(message)?.[1];
        if ((e as Error).name === "StackNotFoundError") {
            console.error(`error: ${cliError ?? `no stack ${opts.stack}`} (\`pulumi stack ls\` lists the stacks of the backend you are logged in to)`);
            return EXIT.usage;
        }
        console.error(`error: ${cliError ?? message.split("\n").find((l) => l.trim() !== "")}`);
        return EXIT.internal;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => process.exit(code));
}
