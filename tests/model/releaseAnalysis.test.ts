import assert from "node:assert/strict";
import { describe, it } from "mocha";
import { combine, defaultRule, judge, promoteEdits, RELEASE_RULE, rollingEdits } from "../../model/releaseAnalysis";

const rule = defaultRule(99.9);
const window = (requests: number, errors: number, p99Seconds?: number) => ({ requests, errors, p99Seconds });

describe("model/releaseAnalysis: the canary verdict", () => {
    it("passes a candidate like the stable group", () => {
        assert.equal(judge("django-web", window(1000, 2, 0.3), window(9000, 18, 0.3), rule).verdict, "pass");
    });

    it("fails on the error budget even within the margin over a bad stable group (both burning)", () => {
        // Stable at 1.2 %, candidate at 1.6 %: within 0.5 points, but over 0.1 % x 14.4 = 1.44 %.
        const j = judge("django-web", window(1000, 16, 0.3), window(1000, 12, 0.3), rule);
        assert.equal(j.verdict, "fail");
        assert.equal(j.reasons.length, 1);
        assert.match(j.reasons[0], /burns the 0\.100% error budget over 14\.4x too fast \(limit 1\.440%\)/);
    });

    it("the budget follows the stack's SLO", () => {
        // At 99 % the limit is 14.4 %: the same 1.6 % passes.
        assert.equal(judge("django-web", window(1000, 16, 0.3), window(1000, 12, 0.3), defaultRule(99)).verdict, "pass");
    });

    it("latency: stable x factor, with an absolute floor for tiny p99s", () => {
        assert.equal(judge("fastapi-api", window(1000, 0, 0.05), window(1000, 0, 0.01), rule).verdict, "pass");
        assert.equal(judge("fastapi-api", window(1000, 0, 0.07), window(1000, 0, 0.01), rule).verdict, "fail");
        assert.equal(judge("fastapi-api", window(1000, 0, 1.24), window(1000, 0, 1.0), rule).verdict, "pass");
        assert.equal(judge("fastapi-api", window(1000, 0, 1.26), window(1000, 0, 1.0), rule).verdict, "fail");
    });

    it("is not judged before both groups have the minimum requests", () => {
        assert.equal(judge("django-web", window(RELEASE_RULE.minRequests, 0, 0.3), window(RELEASE_RULE.minRequests - 1, 0, 0.3), rule).verdict, "insufficient");
        // Not even a clear failure: a handful of requests decides nothing.
        assert.equal(judge("django-web", window(10, 10, 9), window(5000, 0, 0.3), rule).verdict, "insufficient");
    });

    it("combines: any fail, then any insufficient", () => {
        const pass = judge("a", window(1000, 0, 0.3), window(1000, 0, 0.3), rule);
        const fail = judge("b", window(1000, 500, 0.3), window(1000, 0, 0.3), rule);
        const few = judge("c", window(1, 0, 0.3), window(1000, 0, 0.3), rule);
        assert.equal(combine([pass, few, fail]).verdict, "fail");
        assert.equal(combine([pass, few]).verdict, "insufficient");
        assert.equal(combine([pass]).verdict, "pass");
    });
});

describe("model/releaseAnalysis: the config edits", () => {
    const d = `sha256:${"a".repeat(64)}`;
    it("promotion sets the digest, the candidate's tag or removes the stale one, and removes the candidate", () => {
        assert.deepEqual(
            promoteEdits([{ workload: "djangoWeb", digest: d }], () => true, true),
            [
                { op: "set", path: "app.images.djangoWeb.digest", value: d },
                { op: "remove", path: "app.images.djangoWeb.tag" },
                { op: "remove", path: "app.release.candidate" },
                { op: "set", path: "app.release.promote", value: "false" },
            ],
        );
    });
    it("rolling touches app.images only", () => {
        assert.deepEqual(
            rollingEdits([{ workload: "celeryWorker", digest: d, tag: "2.0.0" }], () => true),
            [
                { op: "set", path: "app.images.celeryWorker.digest", value: d },
                { op: "set", path: "app.images.celeryWorker.tag", value: "2.0.0" },
            ],
        );
    });
});
