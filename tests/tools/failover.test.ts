import assert from "node:assert/strict";
import { describe, it } from "mocha";
import {
    ChangeSummary,
    DR_KEY,
    DR_MODE_KEY,
    EXIT,
    FailoverMetrics,
    FailoverOptions,
    FailoverWorkspace,
    formatTimeline,
    main,
    runFailover,
} from "../../tools/failover";

const DR_CONFIG = { primaryStack: "prod", primaryRegion: "eu-west-2", rpoMinutes: 15, rtoMinutes: 240 };
const OUTPUTS = {
    drMode: "standby",
    databaseIdentifier: "hybrid-platform-dr-database",
    documentsBucketName: "hybrid-platform-dr-documents-eu-west-1",
    primaryDocumentsBucketName: "hybrid-platform-prod-documents-eu-west-2",
    replicationRuleId: "documents-to-dr",
    secondaryHealthCheckId: "hc-secondary",
    databaseSecretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:data-postgres-prod/master-AbCdEf",
};

/** An in-memory dr stack: records every call; `up` applies drMode to the outputs as a deployment would. */
class FakeWorkspace implements FailoverWorkspace {
    readonly stackName = "dr";
    readonly calls: string[] = [];
    readonly config = new Map<string, string>([
        [DR_KEY, JSON.stringify(DR_CONFIG)],
        ["aws:region", "eu-west-1"],
        [DR_MODE_KEY, "standby"],
    ]);
    outputsNow: Record<string, unknown> = { ...OUTPUTS };
    modeSeenByPreview?: string;
    previewFails = false;

    async getConfig(key: string) {
        this.calls.push(`getConfig ${key}`);
        return this.config.get(key);
    }
    async setConfig(key: string, value: string) {
        this.calls.push(`setConfig ${key}=${value}`);
        this.config.set(key, value);
    }
    async removeConfig(key: string) {
        this.calls.push(`removeConfig ${key}`);
        this.config.delete(key);
    }
    async preview(): Promise<ChangeSummary> {
        this.calls.push("preview");
        this.modeSeenByPreview = this.config.get(DR_MODE_KEY);
        if (this.previewFails) throw new Error("preview crashed");
        return { same: 120, update: 4, delete: 2 };
    }
    async up(): Promise<ChangeSummary> {
        this.calls.push("up");
        this.outputsNow = { ...this.outputsNow, drMode: this.config.get(DR_MODE_KEY) };
        return { same: 120, update: 4, delete: 2 };
    }
    async outputs() {
        this.calls.push("outputs");
        return { ...this.outputsNow };
    }
}

class FakeMetrics implements FailoverMetrics {
    lag: number | undefined = 42;
    latency: number | undefined = 60;
    /** Health reported before and after the up, in order of the calls. */
    health: (boolean | undefined)[] = [true, true];
    readonly queries: unknown[] = [];
    async replicaLagSeconds(q: { region: string; dbInstanceIdentifier: string }) {
        this.queries.push({ lag: q });
        return this.lag;
    }
    async replicationLatencySeconds(q: { region: string; sourceBucket: string; destinationBucket: string; ruleId: string }) {
        this.queries.push({ latency: q });
        return this.latency;
    }
    async healthCheckHealthy(id: string) {
        this.queries.push({ health: id });
        return this.health.length > 1 ? this.health.shift() : this.health[0];
    }
    secret: { deletionScheduled: boolean; primaryRegion?: string } | undefined = { deletionScheduled: false, primaryRegion: "eu-west-2" };
    async secretState(q: { region: string; secretId: string }) {
        this.queries.push({ secret: q });
        return this.secret;
    }
}

/** Every reading of the clock advances it by one minute. */
const steppingClock = () => {
    let t = 0;
    return { now: () => (t += 60_000) };
};

function setup(overrides: Partial<FailoverOptions> = {}) {
    const workspace = new FakeWorkspace();
    const metrics = new FakeMetrics();
    const lines: string[] = [];
    const options = (extra: Partial<FailoverOptions> = {}): FailoverOptions => ({
        workspace,
        metrics,
        clock: steppingClock(),
        log: (l) => lines.push(l),
        yes: true,
        ...overrides,
        ...extra,
    });
    return { workspace, metrics, lines, options, run: (extra: Partial<FailoverOptions> = {}) => runFailover(options(extra)) };
}

const mutations = (w: FakeWorkspace) => w.calls.filter((c) => /^(setConfig|removeConfig|up)/.test(c));

describe("failover", () => {
    it("runs preflight, sets drMode=active, runs up, verifies, in that order", async () => {
        const { workspace, metrics, run } = setup();
        const result = await run();
        assert.equal(result.code, EXIT.ok);
        assert.deepEqual(
            result.timeline.map((t) => t.step),
            [
                "read the dr stack",
                "preflight: database replica lag",
                "preflight: document replication latency",
                "preflight: database credentials at the DR site",
                "preflight: DR site health",
                "confirm",
                "set drMode=active",
                "pulumi up (promote replica, scale up, take traffic)",
                "verify",
            ],
        );
        assert.deepEqual(mutations(workspace), [`setConfig ${DR_MODE_KEY}=active`, "up"]);
        assert.ok(workspace.calls.indexOf("up") < workspace.calls.lastIndexOf("outputs"), "verifies the outputs after the up");
        assert.equal(workspace.config.get(DR_MODE_KEY), "active");
        assert.deepEqual(metrics.queries.slice(0, 4), [
            { lag: { region: "eu-west-1", dbInstanceIdentifier: "hybrid-platform-dr-database" } },
            {
                latency: {
                    region: "eu-west-2",
                    sourceBucket: "hybrid-platform-prod-documents-eu-west-2",
                    destinationBucket: "hybrid-platform-dr-documents-eu-west-1",
                    ruleId: "documents-to-dr",
                },
            },
            { secret: { region: "eu-west-1", secretId: OUTPUTS.databaseSecretArn } },
            { health: "hc-secondary" },
        ]);
    });

    it("prints a timeline with every step and the RTO budget used", async () => {
        const { lines, run } = setup();
        const result = await run();
        const text = lines.join("\n");
        assert.match(text, /^timeline:/m);
        for (const t of result.timeline) assert.ok(text.includes(`${t.step}: ${t.detail}`), t.step);
        // The stepping clock: each step reads it twice, one minute apart.
        assert.equal(result.timeline[1].durationMs, 60_000);
        assert.match(
            text,
            new RegExp(`elapsed ${result.elapsedMinutes.toFixed(1)} min of the 240 min RTO \\(${((result.elapsedMinutes / 240) * 100).toFixed(1)}%\\)`),
        );
        assert.match(text, /failover complete/);
    });

    it("drill: previews with drMode=active, restores the config, never runs up", async () => {
        const { workspace, lines, run } = setup({ yes: false });
        const result = await run({ drill: true });
        assert.equal(result.code, EXIT.ok);
        assert.equal(workspace.modeSeenByPreview, "active");
        assert.equal(workspace.config.get(DR_MODE_KEY), "standby");
        assert.ok(!workspace.calls.includes("up"));
        assert.deepEqual(mutations(workspace), [`setConfig ${DR_MODE_KEY}=active`, `setConfig ${DR_MODE_KEY}=standby`]);
        assert.match(lines.join("\n"), /a failover would update 4, delete 2/);
        assert.match(lines.join("\n"), /timeline \(drill\):/);
        assert.match(lines.join("\n"), /nothing was changed/);
    });

    it("drill: removes drMode again when it was not set, and restores it even if the preview fails", async () => {
        const unset = setup();
        unset.workspace.config.delete(DR_MODE_KEY);
        assert.equal((await unset.run({ drill: true })).code, EXIT.ok);
        assert.equal(unset.workspace.config.has(DR_MODE_KEY), false);

        const failing = setup();
        failing.workspace.previewFails = true;
        const result = await failing.run({ drill: true });
        assert.equal(result.code, EXIT.internal);
        assert.equal(failing.workspace.config.get(DR_MODE_KEY), "standby");
        assert.match(result.timeline.at(-1)!.detail, /preview crashed/);
    });

    it("aborts before any change when the replica lag exceeds the RPO", async () => {
        const { workspace, metrics, lines, run } = setup();
        metrics.lag = 1200;
        const result = await run();
        assert.equal(result.code, EXIT.failed);
        assert.deepEqual(mutations(workspace), []);
        const lag = result.timeline.find((t) => t.step === "preflight: database replica lag")!;
        assert.equal(lag.status, "failed");
        assert.match(lag.detail, /replica lag is 1200 s, over the RPO of 900 s/);
        assert.match(lines.join("\n"), /preflight failed: nothing was changed/);
    });

    it("proceeds past an RPO breach only with --accept-rpo-breach, recording it as a warning", async () => {
        const { workspace, metrics, run } = setup();
        metrics.lag = 1200;
        const result = await run({ acceptRpoBreach: true });
        assert.equal(result.code, EXIT.ok);
        assert.equal(result.timeline.find((t) => t.step === "preflight: database replica lag")!.status, "warn");
        assert.ok(workspace.calls.includes("up"));
    });

    it("aborts when the replica reports no lag at all; a missing S3 metric (primary region down) only warns", async () => {
        const noLag = setup();
        noLag.metrics.lag = undefined;
        assert.equal((await noLag.run()).code, EXIT.failed);
        assert.deepEqual(mutations(noLag.workspace), []);

        const noLatency = setup();
        noLatency.metrics.latency = undefined;
        const result = await noLatency.run();
        assert.equal(result.code, EXIT.ok);
        assert.equal(result.timeline.find((t) => t.step === "preflight: document replication latency")!.status, "warn");
    });

    it("aborts before any change when the DR region has no usable copy of the database secret", async () => {
        for (const [secret, expected] of [
            [undefined, /does not exist in eu-west-1: the DR app could not connect/],
            [{ deletionScheduled: true, primaryRegion: "eu-west-2" }, /scheduled for deletion/],
        ] as const) {
            const { workspace, metrics, run } = setup();
            metrics.secret = secret;
            const result = await run();
            assert.equal(result.code, EXIT.failed);
            assert.deepEqual(mutations(workspace), []);
            const step = result.timeline.find((t) => t.step === "preflight: database credentials at the DR site")!;
            assert.equal(step.status, "failed");
            assert.match(step.detail, expected);
        }
        const standalone = setup();
        standalone.metrics.secret = { deletionScheduled: false };
        const result = await standalone.run();
        assert.equal(result.code, EXIT.ok, "a replica made standalone after a long outage still serves");
        assert.match(result.timeline.find((t) => t.step === "preflight: database credentials at the DR site")!.detail, /standalone/);
    });

    it("aborts when the DR site is unhealthy; a drill still previews and reports every finding", async () => {
        const real = setup();
        real.metrics.health = [false];
        assert.equal((await real.run()).code, EXIT.failed);
        assert.deepEqual(mutations(real.workspace), []);

        const drill = setup();
        drill.metrics.health = [false];
        drill.metrics.lag = 1000;
        const result = await drill.run({ drill: true });
        assert.equal(result.code, EXIT.failed);
        assert.deepEqual(
            result.timeline.filter((t) => t.status === "failed").map((t) => t.step),
            ["preflight: database replica lag", "preflight: DR site health"],
        );
        assert.ok(drill.workspace.calls.includes("preview"));
        assert.equal(drill.workspace.config.get(DR_MODE_KEY), "standby");
        assert.match(drill.lines.join("\n"), /would NOT pass its preflight/);
    });

    it("reports a verification failure after the up", async () => {
        const { metrics, lines, run } = setup();
        metrics.health = [true, false];
        const result = await run();
        assert.equal(result.code, EXIT.failed);
        const verify = result.timeline.at(-1)!;
        assert.equal(verify.step, "verify");
        assert.equal(verify.status, "failed");
        assert.match(verify.detail, /DR health check is unhealthy/);
        assert.match(lines.join("\n"), /failover stopped \(exit 1\)/);
    });

    it("reports when the stack still says standby after the up", async () => {
        const { workspace, run } = setup();
        workspace.up = async () => ({ same: 1 });
        const result = await run();
        assert.equal(result.code, EXIT.failed);
        assert.match(result.timeline.at(-1)!.detail, /reports drMode standby/);
    });

    it("refuses without --yes when nobody can confirm; asks when interactive", async () => {
        const unattended = setup({ yes: false });
        assert.equal((await unattended.run({ interactive: false })).code, EXIT.usage);
        assert.deepEqual(mutations(unattended.workspace), []);

        const declined = setup({ yes: false });
        const questions: string[] = [];
        const result = await declined.run({ interactive: true, confirm: async (q) => (questions.push(q), false) });
        assert.equal(result.code, EXIT.failed);
        assert.deepEqual(mutations(declined.workspace), []);
        assert.match(questions[0], /Promote dr to active/);

        const accepted = setup({ yes: false });
        assert.equal((await accepted.run({ interactive: true, confirm: async () => true })).code, EXIT.ok);
        assert.ok(accepted.workspace.calls.includes("up"));
    });

    it("does nothing on a stack that is already active, or that is not a dr stack", async () => {
        const active = setup();
        active.workspace.config.set(DR_MODE_KEY, "active");
        assert.equal((await active.run()).code, EXIT.failed);
        assert.deepEqual(mutations(active.workspace), []);

        const notDr = setup();
        notDr.workspace.config.delete(DR_KEY);
        assert.equal((await notDr.run()).code, EXIT.usage);
    });

    it("formats the timeline as offsets and durations", () => {
        const text = formatTimeline([{ step: "up", status: "ok", startedMs: 65_000, durationMs: 600_000, detail: "update 4" }], 12, 240, false);
        assert.equal(text, "timeline:\n  +01:05  10:00  ok      up: update 4\n  elapsed 12.0 min of the 240 min RTO (5.0%)");
    });

    it("CLI: usage errors exit 2 before touching any stack", async () => {
        assert.equal(await main([]), EXIT.usage);
        assert.equal(await main(["--stack", "dr", "--bogus"]), EXIT.usage);
    });
});
