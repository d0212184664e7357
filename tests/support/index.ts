/**
 * Shared test helpers: plans of the real stacks under mocks, memoised per process
 * (the program runs once per stack and mode), and small finders over the plan.
 */
import * as assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../model/config";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Plan, PlannedResource, RunOptions, readStackConfig, runProgram, stackConfigPath } from "../../tools/offline";

let queue: Promise<unknown> = Promise.resolve();
const cache = new Map<string, Promise<Plan>>();

/** Runs the program; runs are serialised because the Pulumi runtime is process-global. */
export function run(options: RunOptions): Promise<Plan> {
    const result = queue.then(() => runProgram(options));
    queue = result.catch(() => undefined);
    return result;
}

/** The plan of a stack file as committed, in update (default) or preview mode; memoised. */
export function planOf(stack: string, mode: "update" | "preview" = "update"): Promise<Plan> {
    const key = `${stack}:${mode}`;
    if (!cache.has(key)) cache.set(key, run({ stack, preview: mode === "preview", stackOutputs: stackOutputsFor(stack) }));
    return cache.get(key)!;
}

/**
 * The prod outputs the dr tests feed their StackReference: a fixture with the agreed output names and
 * realistic values, so assertions compare against known ARNs (the CLI feeds the offline prod plan instead).
 */
export const PROD_OUTPUTS: Readonly<Record<string, unknown>> = JSON.parse(readFileSync(path.join(__dirname, "..", "fixtures", "prod-outputs.json"), "utf8"));

/** Stack references a stack needs offline: dr reads prod (under the name its config gives). */
export function stackOutputsFor(stack: string): Record<string, Record<string, unknown>> | undefined {
    if (stack !== "dr") return undefined;
    const primary = JSON.parse(readStackConfig(stackConfigPath(stack))["hybrid-platform:dr"]).primaryStack as string;
    return { [primary]: { ...PROD_OUTPUTS } };
}

/** A stack's committed config with some keys replaced (value undefined deletes the key). */
export function configWith(stack: string, changes: Record<string, string | undefined>): Record<string, string> {
    const config = { ...readStackConfig(stackConfigPath(stack)) };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete config[key];
        else config[key] = value;
    }
    return config;
}

/** The committed config of a stack with one project key's JSON value edited in place. */
export function configEditing<T = Record<string, unknown>>(stack: string, key: string, edit: (value: T) => void): Record<string, string> {
    const base = configWith(stack, {});
    const value = JSON.parse(base[key]) as T;
    edit(value);
    return { ...base, [key]: JSON.stringify(value) };
}

/** The ConfigError a flat config raises, asserting it is one line; fails if the config is accepted. */
export function configErrorOf(flat: Record<string, string>): ConfigError {
    try {
        loadConfig(flat);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        assert.ok(!e.message.includes("\n"), "the error is one line");
        return e;
    }
    assert.fail("config was accepted");
}

export const ofType = (plan: Plan, type: string): PlannedResource[] => plan.resources.filter((r) => r.type === type);

export function one(plan: Plan, type: string, name: string): PlannedResource {
    const found = plan.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
    return found[0];
}

export const byId = (plan: Plan): Map<string, PlannedResource> => new Map(plan.resources.filter((r) => r.id).map((r) => [r.id!, r]));
export const byUrn = (plan: Plan): Map<string, PlannedResource> => new Map(plan.resources.map((r) => [r.urn, r]));

/** Runs `fn` in the same serial queue as `run` (for tests that drive the Pulumi runtime themselves). */
export function serially<T>(fn: () => Promise<T>): Promise<T> {
    const result = queue.then(fn);
    queue = result.catch(() => undefined);
    return result;
}

export interface ComponentPlanOptions {
    /** Preview mode (unknown IDs and computed outputs). Default false. */
    readonly preview?: boolean;
    /** Stack name the component is planned under. Default "prod". */
    readonly stack?: string;
    /** Flat stack config the program sees. Default: the committed Pulumi.<stack>.yaml. */
    readonly config?: Record<string, string>;
}

/**
 * Plans one component alone under the same mocks as the whole stack: `build` constructs it (and
 * whatever it needs); the plan holds only what it registered. Much faster than a whole-stack plan,
 * so variant tests (release strategies, engines, outside-production settings) use this.
 */
export function planComponent(build: () => unknown, options: ComponentPlanOptions = {}): Promise<Plan> {
    const stack = options.stack ?? "prod";
    return run({
        stack,
        config: options.config ?? readStackConfig(stackConfigPath(stack)),
        preview: options.preview ?? false,
        program: async () => {
            build();
            return {};
        },
    });
}
