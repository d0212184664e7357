/**
 * Runs the real program (index.ts) for a stack under Pulumi mocks and records every
 * resource registration as the engine would see it: type, name, URN, parent, props,
 * dependencies and propertyDependencies. This is what `npm run plan` prints and what
 * the tests and the offline policy evaluator consume.
 */
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { PROJECT } from "../model/config";
import type { PendingSiteValue } from "../model/siteValues";
import type { FlowReport } from "../policy/reachability";
import { PlatformMocks } from "./mocks";

export const REPO_ROOT = path.resolve(__dirname, "..");

/** One registered resource, in the `npm run plan -- --json` format. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    /** Provider-assigned ID (mock); null for components and, in preview, for resources not yet created. */
    id: string | null;
    parent: string | null;
    /** Custom (provider) resource, as opposed to a component. */
    custom: boolean;
    /** Provider reference "urn::id", if any. */
    provider: string | null;
    protect: boolean;
    /** Inputs plus computed outputs, as the mocks resolved them (unknowns as Pulumi's sentinel in preview; secrets redacted). */
    props: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

export interface PlanViolation {
    policy: string;
    enforcementLevel: string;
    message: string;
    urn: string;
}

export interface Plan {
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    violations: PlanViolation[];
    /** Site values of this stack still at their example (model/siteValues.ts): a real `pulumi preview/up` stops until they are set. */
    siteValues?: PendingSiteValue[];
    /** The flow matrix (issue #12, tools/flows.ts): each declared flow through every network layer. A contract: extend, never rename. */
    flows?: FlowReport[];
}

export class UsageError extends Error {}

/** Pulumi's wire signature of a secret value: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const REDACTED = "[secret]";

/** Replaces every secret's value with "[secret]", keeping the marker, so a plan file never carries one. */
export function redactSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(redactSecrets);
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    if (obj[SECRET_SIG_KEY] === SECRET_SIG) return { [SECRET_SIG_KEY]: SECRET_SIG, value: REDACTED };
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redactSecrets(v)]));
}

/** Reads a Pulumi.<stack>.yaml into the flat "ns:key" -> string map the Pulumi CLI hands a program. */
export function readStackConfig(file: string): Record<string, string> {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch {
        throw new UsageError(`cannot read stack config ${file}`);
    }
    let doc: unknown;
    try {
        doc = parseYaml(text);
    } catch (e) {
        throw new UsageError(`${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    const config = (doc as { config?: unknown } | null)?.config;
    if (config === undefined || config === null) return {};
    if (typeof config !== "object" || Array.isArray(config)) throw new UsageError(`${file}: "config" must be a map of keys to values`);
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
        const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
        if (value !== null && typeof value === "object" && "secure" in (value as object)) {
            // Offline there is no secrets provider: a secure value stands in as an opaque string.
            flat[fullKey] = `offline-secret:${fullKey}`;
        } else {
            flat[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return flat;
}

export function stackConfigPath(stack: string): string {
    return path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
}

export interface RunOptions {
    readonly stack: string;
    /** Flat config map; default: read from Pulumi.<stack>.yaml. */
    readonly config?: Record<string, string>;
    /** Preview mode: unknown IDs and computed outputs. Default false (update mode). */
    readonly preview?: boolean;
    /** Outputs of other stacks, for StackReferences, keyed by fully qualified stack name. */
    readonly stackOutputs?: Record<string, Record<string, unknown>>;
    /** Program to run instead of index.ts (tests of a single component). Default: index.ts. */
    readonly program?: () => Promise<Record<string, unknown>>;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getProtect(): boolean;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { entries(): IterableIterator<[string, { getUrnsList(): string[] }]> } | undefined;
}

interface RegisterResponse {
    getUrn(): string;
    getId(): string;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

interface OutputsRequest {
    getUrn(): string;
    getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

interface ReadRequest {
    getType(): string;
    getName(): string;
    getId(): string;
    getParent(): string;
    getProvider(): string;
    getDependenciesList(): string[];
}

interface ReadResponse {
    getUrn(): string;
    getProperties(): { toJavaScript(): Record<string, unknown> } | undefined;
}

type Monitor = {
    registerResource(req: RegisterRequest, cb: (err: unknown, resp?: RegisterResponse) => void): unknown;
    readResource(req: ReadRequest, cb: (err: unknown, resp?: ReadResponse) => void): unknown;
    registerResourceOutputs(req: OutputsRequest, cb: (err: unknown, resp?: unknown) => void): unknown;
};

/** Runs the program under mocks and returns the plan (violations left empty for the policy step). */
export async function runProgram(options: RunOptions): Promise<Plan> {
    const config = options.config ?? readStackConfig(stackConfigPath(options.stack));
    const preview = options.preview ?? false;
    const region = config["aws:region"] ?? "eu-west-2";
    pulumi.runtime.setAllConfig(config, []);
    await pulumi.runtime.setMocks(new PlatformMocks({ region, preview, stackOutputs: options.stackOutputs }), PROJECT, options.stack, preview);

    const resources: PlannedResource[] = [];
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
        register(req, (err, resp) => {
            if (!err && resp) {
                const propertyDependencies: Record<string, string[]> = {};
                for (const [key, deps] of req.getPropertydependenciesMap()?.entries() ?? []) propertyDependencies[key] = deps.getUrnsList();
                resources.push({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    id: resp.getId() || null,
                    parent: req.getParent() || null,
                    custom: req.getCustom(),
                    provider: req.getProvider() || null,
                    protect: req.getProtect(),
                    props: redactSecrets(resp.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                });
            }
            cb(err, resp);
        });

    // Reads (e.g. a StackReference: type pulumi:pulumi:StackReference, props.name = the referenced stack) are recorded too.
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req, cb) =>
        read(req, (err, resp) => {
            if (!err && resp) {
                resources.push({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    id: req.getId() || null,
                    parent: req.getParent() || null,
                    custom: true,
                    provider: req.getProvider() || null,
                    protect: false,
                    props: redactSecrets(resp.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
                    dependencies: req.getDependenciesList(),
                    propertyDependencies: {},
                });
            }
            cb(err, resp);
        });

    // Stack outputs as the engine receives them: known values kept, unknowns as the sentinel (preview).
    let outputs: Record<string, unknown> = {};
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
        if (req.getUrn().endsWith(`::${PROJECT}-${options.stack}`) && req.getUrn().includes("::pulumi:pulumi:Stack::")) {
            outputs = redactSecrets(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        }
        return registerOutputs(req, cb);
    };

    // Loaded lazily so that the program's modules see the mocks installed above.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = options.program ?? (require("../index") as () => Promise<Record<string, unknown>>);
    await failingFast(async () => {
        await pulumi.runtime.runInPulumiStack(program);
        // Drains outstanding registrations; the next run installs a fresh mock monitor.
        await pulumi.runtime.disconnect();
    });
    return { stack: options.stack, resources, outputs, violations: [] };
}

/** The current run's handler of the errors its program leaves unhandled (see failingFast). */
let onProgramError: ((error: unknown) => void) | undefined;
/** How long a failed run's pending registrations may take to settle before the next run starts anyway. */
const AFTERMATH_MS = 2000;
/** Errors a run already failed with: the same rejection resurfaces from several awaiters, some after the run. */
const reported = new WeakSet<object>();

function unhandled(error: unknown): void {
    if (typeof error === "object" && error !== null && reported.has(error)) return;
    if (onProgramError) return onProgramError(error);
    // Not a program's: fail as Node does when nobody listens.
    process.nextTick(() => {
        throw error;
    });
}

/**
 * Runs `body`, rejecting with the first error the program leaves unhandled. An `apply` that throws
 * rejects a promise nobody awaits: the Pulumi CLI's language host catches it on the process and fails
 * the run, but under mocks the run would end without the resource (or wait forever for it), and the
 * error would surface later, in someone else's test. The first one wins, as the CLI reports it.
 */
async function failingFast(body: () => Promise<void>): Promise<void> {
    if (!process.listeners("unhandledRejection").includes(unhandled)) process.on("unhandledRejection", unhandled);
    let fail: (error: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    let failure: { error: unknown } | undefined;
    const handler = (error: unknown) => {
        failure ??= { error };
        fail(failure.error);
    };
    onProgramError = handler;
    process.on("uncaughtException", handler);
    try {
        await Promise.race([body(), failed]);
        // The last registrations' rejections are reported on a later turn of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
        if (failure) throw failure.error;
    } catch (e) {
        if (typeof e === "object" && e !== null) reported.add(e);
        // The failed run's aftermath (its stack still registers its outputs, other registrations fail in
        // turn) belongs to it: let it drain, briefly, so it neither reaches the next run's mock monitor
        // nor fails the next run.
        onProgramError = () => undefined;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([pulumi.runtime.disconnect().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, AFTERMATH_MS)))]);
        clearTimeout(timer);
        await new Promise((resolve) => setImmediate(resolve));
        pulumi.runtime.disconnectSync();
        throw e;
    } finally {
        process.off("uncaughtException", handler);
        onProgramError = undefined;
    }
}

/** The top-level component (tier) a resource belongs to, e.g. "hybrid:network:NetworkTier network"; pass `byUrn` when asking for many. */
export function tierOf(
    plan: Plan,
    resource: PlannedResource,
    byUrn: ReadonlyMap<string, PlannedResource> = new Map(plan.resources.map((r) => [r.urn, r])),
): string {
    let current: PlannedResource | undefined = resource;
    while (current) {
        const parent: PlannedResource | undefined = current.parent ? byUrn.get(current.parent) : undefined;
        if (!parent || parent.type === "pulumi:pulumi:Stack") return current.custom ? "(stack)" : `${current.type.split(":").pop()} ${current.name}`;
        current = parent;
    }
    return "(stack)";
}
