import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "mocha";
import { parseImageArg, type TrackWindow } from "../../model/releaseAnalysis";
import { APP_KEY, EXIT, main, type ReleaseMetrics, type ReleaseOptions, type ReleaseWorkspace, runRelease } from "../../tools/release";
import type { ChangeSummary } from "../../tools/failover";

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
const STABLE_APP = {
    kubernetesVersion: "1.35",
    instanceType: "m5.xlarge",
    images: {
        djangoWeb: { tag: "1.0.0", digest: digest(1) },
        fastapiApi: { tag: "1.0.0", digest: digest(2) },
        celeryWorker: { tag: "1.0.0", digest: digest(3) },
    },
    release: { strategy: "canary", canaryWeight: 10 },
};

/** An in-memory stack: `--path` edits applied to the app object; `up` derives the target groups a deployment would have. */
class FakeStack implements ReleaseWorkspace {
    readonly stackName = "prod";
    readonly calls: string[] = [];
    app: Record<string, unknown>;
    /** The app config each `up` deployed, in order. */
    readonly deployed: Record<string, unknown>[] = [];
    failUp?: number;
    constructor(app: object = STABLE_APP) {
        this.app = structuredClone(app) as Record<string, unknown>;
    }
    async getConfig(key: string) {
        if (key === APP_KEY) return JSON.stringify(this.app);
        return { "aws:region": "eu-west-2", "hybrid-platform:environment": "production" }[key];
    }
    private walk(key: string): [Record<string, unknown>, string] {
        assert.ok(key.startsWith("hybrid-platform:app."), key);
        const parts = key.slice("hybrid-platform:app.".length).split(".");
        let node = this.app;
        for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
        return [node, parts[parts.length - 1]];
    }
    async setConfigPath(key: string, value: string) {
        this.calls.push(`set ${key}=${value}`);
        const [node, leaf] = this.walk(key);
        node[leaf] = value === "true" ? true : value === "false" ? false : value;
    }
    async removeConfigPath(key: string) {
        this.calls.push(`rm ${key}`);
        const [node, leaf] = this.walk(key);
        delete node[leaf];
    }
    async up(): Promise<ChangeSummary> {
        this.calls.push("up");
        if (this.failUp === this.deployed.length) {
            this.failUp = undefined;
            throw new Error("update failed");
        }
        this.deployed.push(structuredClone(this.app));
        return { update: 2 };
    }
    async outputs() {
        const candidate = ((this.app.release as { candidate?: object }).candidate ?? {}) as Record<string, unknown>;
        const groups: Record<string, string> = { "django-web:stable": "targetgroup/dw-stable/1", "fastapi-api:stable": "targetgroup/fa-stable/2" };
        if (candidate.djangoWeb) groups["django-web:candidate"] = "targetgroup/dw-candidate/3";
        if (candidate.fastapiApi) groups["fastapi-api:candidate"] = "targetgroup/fa-candidate/4";
        return { albArnSuffix: "app/hybrid-platform-prod/abc", releaseTargetGroups: groups };
    }
}

const HEALTHY: TrackWindow = { requests: 5000, errors: 5, p99Seconds: 0.4 };
/** Metrics per target group (by name part), scaled to the window so that "not enough traffic" can be simulated. */
function fakeMetrics(byGroup: Record<string, TrackWindow>): ReleaseMetrics & { queries: string[] } {
    const queries: string[] = [];
    return {
        queries,
        targetGroupWindow: async (q) => {
            queries.push(`${q.region} ${q.loadBalancer} ${q.targetGroup} ${(q.endMs - q.startMs) / 60_000}m`);
            const key = Object.keys(byGroup).find((k) => q.targetGroup.includes(k));
            return key ? byGroup[key] : HEALTHY;
        },
    };
}

function options(stack: FakeStack, metrics: ReleaseMetrics, extra: Partial<ReleaseOptions> = {}): ReleaseOptions & { lines: string[] } {
    let now = Date.UTC(2026, 11, 1, 12);
    const lines: string[] = [];
    return {
        lines,
        workspace: stack,
        metrics,
        clock: { now: () => now },
        sleep: async (ms) => void (now += ms),
        images: [{ workload: "djangoWeb", digest: digest(11), tag: "1.1.0" }],
        bakeMinutes: 5,
        log: (l) => lines.push(l),
        ...extra,
    };
}

describe("tools/release", () => {
    it("canary, healthy candidate: candidate up, bakes every minute, promotes with a second up (only the image changes)", async () => {
        const stack = new FakeStack();
        const metrics = fakeMetrics({});
        const result = await runRelease(options(stack, metrics));
        assert.equal(result.code, EXIT.ok, result.timeline.map((t) => t.detail).join("\n"));
        assert.equal(result.outcome, "promoted");
        assert.equal(stack.deployed.length, 2);
        assert.deepEqual((stack.deployed[0].release as { candidate: unknown }).candidate, { djangoWeb: { digest: digest(11) } });
        // The end state differs from the start only in djangoWeb's digest and tag.
        const expected = structuredClone(STABLE_APP);
        expected.images.djangoWeb = { tag: "1.1.0", digest: digest(11) };
        assert.deepEqual(stack.app, expected);
        assert.equal(result.timeline.filter((t) => t.step.startsWith("bake minute")).length, 5);
        assert.ok(metrics.queries.every((q) => q.startsWith("eu-west-2 app/hybrid-platform-prod/abc targetgroup/dw-")));
        assert.ok(metrics.queries.includes("eu-west-2 app/hybrid-platform-prod/abc targetgroup/dw-candidate/3 5m"));
    });

    it("a candidate without a tag removes the stale stable tag on promotion", async () => {
        const stack = new FakeStack();
        const result = await runRelease(options(stack, fakeMetrics({}), { images: [{ workload: "fastapiApi", digest: digest(12) }] }));
        assert.equal(result.code, EXIT.ok);
        assert.deepEqual((stack.app.images as Record<string, unknown>).fastapiApi, { digest: digest(12) });
    });

    for (const [what, candidate, reason] of [
        ["5XX rate", { requests: 500, errors: 40, p99Seconds: 0.4 }, /5XX rate 8% over the stable 0\.100%/],
        ["p99 latency", { requests: 500, errors: 0, p99Seconds: 1.2 }, /p99 1\.200 s over the limit 0\.500 s/],
    ] as const) {
        it(`canary, candidate worse on ${what}: rolls back at the first failing minute, stable images untouched`, async () => {
            const stack = new FakeStack();
            const result = await runRelease(options(stack, fakeMetrics({ "dw-candidate": candidate })));
            assert.equal(result.code, EXIT.failed);
            assert.equal(result.outcome, "rolled back");
            assert.match(result.timeline.find((t) => t.step === "roll back")!.detail, reason);
            assert.equal(result.timeline.filter((t) => t.step.startsWith("bake minute")).length, 1);
            assert.deepEqual(stack.app, STABLE_APP);
            assert.equal(stack.deployed.length, 2);
        });
    }

    it("not enough traffic by the end of the bake: rolls back (an unjudged candidate is never promoted)", async () => {
        const stack = new FakeStack();
        const result = await runRelease(options(stack, fakeMetrics({ "dw-candidate": { requests: 40, errors: 0, p99Seconds: 0.3 } })));
        assert.equal(result.code, EXIT.failed);
        assert.match(result.timeline.at(-1)!.detail, /not enough traffic.*40 candidate.*fewer than the 300/);
        assert.deepEqual(stack.app, STABLE_APP);
    });

    it("the candidate's up fails: the candidate is removed again", async () => {
        const stack = new FakeStack();
        stack.failUp = 0;
        const result = await runRelease(options(stack, fakeMetrics({})));
        assert.equal(result.code, EXIT.failed);
        assert.deepEqual(stack.app, STABLE_APP);
        assert.deepEqual(stack.deployed, [STABLE_APP]);
    });

    it("a failing rollback is an internal error (exit 3), never a silent success", async () => {
        const stack = new FakeStack();
        stack.failUp = 1;
        const result = await runRelease(options(stack, fakeMetrics({ "dw-candidate": { requests: 500, errors: 40, p99Seconds: 0.4 } })));
        assert.equal(result.code, EXIT.internal);
        assert.equal(result.outcome, "stopped");
    });

    it("blue-green: baseline before the switch, switch up, bake against the baseline, promote and switch back off", async () => {
        const stack = new FakeStack({ ...STABLE_APP, release: { strategy: "blueGreen", canaryWeight: 10 } });
        const metrics = fakeMetrics({});
        const result = await runRelease(options(stack, metrics));
        assert.equal(result.code, EXIT.ok, result.timeline.map((t) => t.detail).join("\n"));
        assert.deepEqual(
            stack.deployed.map((d) => (d.release as { promote?: boolean }).promote ?? false),
            [false, true, false],
        );
        assert.ok(metrics.queries.includes("eu-west-2 app/hybrid-platform-prod/abc targetgroup/dw-stable/1 5m"));
        assert.ok(!metrics.queries.slice(1).some((q) => q.includes("dw-stable")), "after the switch the stable group has no traffic to compare");
        assert.deepEqual(stack.app.release, { strategy: "blueGreen", canaryWeight: 10, promote: false });
    });

    it("rolling (development): one up setting the images, no analysis", async () => {
        const stack = new FakeStack({ ...STABLE_APP, release: { strategy: "rolling" } });
        const metrics = fakeMetrics({});
        const result = await runRelease(options(stack, metrics));
        assert.equal(result.code, EXIT.ok);
        assert.equal(result.outcome, "released");
        assert.equal(stack.deployed.length, 1);
        assert.equal(metrics.queries.length, 0);
        assert.deepEqual((stack.app.images as Record<string, unknown>).djangoWeb, { tag: "1.1.0", digest: digest(11) });
    });

    it("--dry-run and a release already in progress change nothing", async () => {
        const dry = new FakeStack();
        assert.equal((await runRelease(options(dry, fakeMetrics({}), { dryRun: true }))).code, EXIT.ok);
        assert.deepEqual(dry.calls, []);
        const busy = new FakeStack({ ...STABLE_APP, release: { ...STABLE_APP.release, candidate: { djangoWeb: { digest: digest(9) } } } });
        const result = await runRelease(options(busy, fakeMetrics({})));
        assert.equal(result.code, EXIT.failed);
        assert.deepEqual(busy.calls, []);
    });

    it("a candidate already recorded with the same digests (a merged release request) continues to promotion", async () => {
        const stack = new FakeStack({ ...STABLE_APP, release: { ...STABLE_APP.release, candidate: { djangoWeb: { digest: digest(11) } } } });
        const result = await runRelease(options(stack, fakeMetrics({})));
        assert.equal(result.code, EXIT.ok);
        assert.equal((stack.app.images as Record<string, { digest: string }>).djangoWeb.digest, digest(11));
        assert.equal((stack.app.release as { candidate?: unknown }).candidate, undefined);
    });

    it("the CLI: --json writes the timeline and the verdict; the exit code is the result's", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "release-"));
        const file = path.join(dir, "timeline.json");
        let now = 0;
        const stack = new FakeStack();
        const ports = {
            workspace: async () => stack,
            metrics: () => fakeMetrics({ "dw-candidate": { requests: 900, errors: 90, p99Seconds: 0.4 } }),
            clock: { now: () => now },
            sleep: async (ms: number) => void (now += ms),
            log: () => undefined,
        };
        const code = await main(["--stack", "prod", "--image", `djangoWeb=${digest(11)}`, "--bake-minutes", "3", "--json", file], () => undefined, ports);
        assert.equal(code, EXIT.failed);
        const text = readFileSync(file, "utf8");
        rmSync(dir, { recursive: true });
        const json = JSON.parse(text) as { code: number; outcome: string; judgement: { verdict: string }; timeline: { step: string }[] };
        assert.equal(json.code, EXIT.failed);
        assert.equal(json.outcome, "rolled back");
        assert.equal(json.judgement.verdict, "fail");
        assert.deepEqual(
            json.timeline.map((t) => t.step),
            ["read the stack", "pulumi up (candidate at 10%)", "bake minute 1/3", "roll back"],
        );
    });

    it("a Celery-only release bakes without request metrics (the worker is not behind the ALB) and promotes, saying so", async () => {
        const stack = new FakeStack();
        const metrics = fakeMetrics({});
        const result = await runRelease(options(stack, metrics, { images: [{ workload: "celeryWorker", digest: digest(13) }] }));
        assert.equal(result.code, EXIT.ok);
        assert.equal(metrics.queries.length, 0);
        assert.ok(result.timeline.filter((t) => t.step.startsWith("bake")).every((t) => t.status === "warn" && /no request metrics/.test(t.detail)));
    });

    describe("usage errors: exit 2 with one line naming the flag", () => {
        for (const [argv, flag] of [
            [["--image", `djangoWeb=${digest(1)}`], /--stack/],
            [["--stack", "prod"], /--image/],
            [["--stack", "prod", "--image", "nginx=" + digest(1)], /--image nginx=.*one of djangoWeb/],
            [["--stack", "prod", "--image", "djangoWeb=1.2.0"], /--image djangoWeb=1\.2\.0: .*digest/],
            [["--stack", "prod", "--image", `djangoWeb=latest@${digest(1)}`], /not "latest"/],
            [["--stack", "prod", "--image", `djangoWeb=${digest(1)}`, "--image", `djangoWeb=${digest(2)}`], /djangoWeb given twice/],
            [["--stack", "prod", "--image", `djangoWeb=${digest(1)}`, "--bake-minutes", "0"], /--bake-minutes 0/],
            [["--stack", "prod", "--canary"], /--canary/],
        ] as const) {
            it(argv.join(" "), async () => {
                const lines: string[] = [];
                assert.equal(await main([...argv], (l) => lines.push(l)), EXIT.usage);
                assert.equal(lines.length, 1);
                assert.match(lines[0], flag);
            });
        }
    });

    it("parses <workload>=[<tag>@]<digest>", () => {
        assert.deepEqual(parseImageArg(`celeryWorker=2.0.1@${digest(5)}`), { workload: "celeryWorker", digest: digest(5), tag: "2.0.1" });
        assert.deepEqual(parseImageArg(`fastapiApi=${digest(5)}`), { workload: "fastapiApi", digest: digest(5) });
    });
});
