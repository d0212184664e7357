/**
 * A program that fails while it runs (an `apply` that throws, a component's argument check) ends the
 * offline run at once with that error, and `npm run plan` reports it in one line: exit 2 for bad input
 * (InputPropertiesError, ResourceError), exit 3 for a failing program.
 */
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { plan, reportFailure } from "../../tools/plan";
import { runProgram } from "../../tools/offline";
import { planComponent } from "../support";

/** Well under mocha's timeout: the run must not wait for a registration that can never finish. */
const PROMPTLY_MS = 15_000;

/** A key whose alias name is computed by an apply that throws `error`. */
function keyWithFailingAlias(error: (arn: string) => Error) {
    const key = new aws.kms.Key("broken", { description: "apply failure test" });
    new aws.kms.Alias("broken", { targetKeyId: key.id, name: failing(key, error) });
}

function failing(key: aws.kms.Key, error: (arn: string) => Error): pulumi.Output<string> {
    return key.arn.apply((arn): string => {
        throw error(arn);
    });
}

class Broken extends pulumi.ComponentResource {
    constructor(error: (arn: string) => Error) {
        super("test:index:Broken", "broken");
        const key = new aws.kms.Key("broken", { description: "apply failure test" }, { parent: this });
        this.registerOutputs({ alias: failing(key, error) });
    }
}

/** Where a failing Output can end up: a resource's input, a component's outputs, the stack's outputs. */
const SHAPES: Record<string, (error: (arn: string) => Error) => Promise<Record<string, unknown>>> = {
    "a resource input": async (error) => (keyWithFailingAlias(error), {}),
    "a component's registered outputs": async (error) => (new Broken(error), {}),
    "a stack output": async (error) => ({ alias: failing(new aws.kms.Key("broken", { description: "apply failure test" }), error) }),
};

async function timed<T>(work: Promise<T>): Promise<{ ms: number; outcome: PromiseSettledResult<T> }> {
    const start = Date.now();
    const [outcome] = await Promise.allSettled([work]);
    return { ms: Date.now() - start, outcome };
}

/** Runs `npm run plan`'s code path on a program; returns the exit code and the stderr lines. */
async function planFailure(program: () => void): Promise<{ code: number; err: string[] }> {
    const err: string[] = [];
    try {
        await plan({ stack: "prod", program: async () => (program(), {}) }, () => undefined);
    } catch (e) {
        return { code: reportFailure(e, (line) => err.push(line)), err };
    }
    assert.fail("the plan succeeded");
}

describe("offline run: a failure inside the program", () => {
    for (const [shape, program] of Object.entries(SHAPES)) {
        it(`an apply that throws, its Output in ${shape}, rejects the run promptly with its message, and the next run is clean`, async () => {
            const { ms, outcome } = await timed(
                runProgram({ stack: "prod", program: () => program((arn) => new Error(`no alias for ${arn.length}-character ARNs`)) }),
            );
            assert.equal(outcome.status, "rejected");
            assert.match(String((outcome as PromiseRejectedResult).reason), /no alias for \d+-character ARNs/);
            assert.ok(ms < PROMPTLY_MS, `rejected after ${ms} ms`);
            const next = await planComponent(() => new aws.kms.Key("fine", { description: "after a failure" }));
            assert.deepEqual(
                next.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:")).map((r) => `${r.type} ${r.name}`),
                ["aws:kms/key:Key fine"],
                "nothing of the failed run leaks into the next one",
            );
        });
    }

    it("npm run plan: an apply's error is exit 3, one line naming it", async () => {
        const { code, err } = await planFailure(() => keyWithFailingAlias(() => new Error("alias service unavailable")));
        assert.equal(code, 3);
        assert.equal(err.length, 1);
        assert.match(err[0], /^error: the program failed: .*alias service unavailable$/);
    });

    it("npm run plan: a component's argument check is a usage error, exit 2, one line, up front or inside an apply", async () => {
        const upFront = await planFailure(() => {
            throw new pulumi.InputPropertiesError({ message: "invalid args for broken", errors: [{ propertyPath: "azCount", reason: "must be 2 or 3" }] });
        });
        assert.deepEqual([upFront.code, upFront.err], [2, ["error: invalid args for broken"]]);
        const inApply = await planFailure(() => keyWithFailingAlias(() => new pulumi.ResourceError("alias: the key ARN is not in this region", undefined)));
        assert.equal(inApply.code, 2, inApply.err.join("\n"));
        assert.equal(inApply.err.length, 1);
        assert.match(inApply.err[0], /^error: .*alias: the key ARN is not in this region$/);
    });
});
