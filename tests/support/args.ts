/**
 * Helpers for the component-argument tests (tests/components/<tier>/args.test.ts): a component built
 * alone with bad args must throw one InputPropertiesError naming each property, before it registers
 * anything; and a component given `accountId` must not look the account up itself.
 */
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlatformMocks } from "../../tools/mocks";
import { Plan, PlannedResource } from "../../tools/offline";
import { ComponentPlanOptions, planComponent } from "./index";

/** An account other than the mocks' own, so a test can tell a passed-down account from a looked-up one. */
export const PASSED_ACCOUNT = "444455556666";

/** Options with an explicit provider for the test's region (components planned alone have no stack provider). */
export const inRegion = (region = "eu-west-2"): pulumi.ComponentResourceOptions => ({ providers: [new aws.Provider("test", { region })] });

/** What a bad construction did: the error thrown and what was registered before it (nothing, for validate-first). */
export interface Rejection {
    readonly error: unknown;
    readonly registered: PlannedResource[];
}

/** Builds inside a plan, catching the constructor's error so the plan shows what got registered before it. */
export async function rejection(build: () => unknown, options?: ComponentPlanOptions): Promise<Rejection> {
    let error: unknown;
    const plan = await planComponent(() => {
        try {
            build();
        } catch (e) {
            error = e;
        }
    }, options);
    assert.ok(error !== undefined, "the constructor accepted the args");
    return { error, registered: plan.resources.filter((r) => !r.type.startsWith("pulumi:providers:") && r.type !== "pulumi:pulumi:Stack") };
}

/** Asserts an InputPropertiesError naming exactly `paths`, thrown before any registration; returns its message. */
export async function assertRejectsArgs(build: () => unknown, paths: string[], options?: ComponentPlanOptions): Promise<string> {
    const { error, registered } = await rejection(build, options);
    assert.ok(pulumi.InputPropertiesError.isInstance(error), `expected an InputPropertiesError, got ${error}`);
    assert.deepEqual([...new Set(error.errors.map((e) => e.propertyPath))].sort(), [...paths].sort());
    assert.deepEqual(
        registered.map((r) => r.urn),
        [],
        "nothing registered before the args were checked",
    );
    return error.message;
}

/** Plans `build` and counts the getCallerIdentity lookups it made. */
export async function planCountingLookups(build: () => unknown, options?: ComponentPlanOptions): Promise<{ plan: Plan; lookups: number }> {
    const original = PlatformMocks.prototype.call;
    let lookups = 0;
    PlatformMocks.prototype.call = function (this: PlatformMocks, args: pulumi.runtime.MockCallArgs) {
        if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") lookups++;
        return original.call(this, args);
    };
    try {
        const plan = await planComponent(build, options);
        return { plan, lookups };
    } finally {
        PlatformMocks.prototype.call = original;
    }
}
