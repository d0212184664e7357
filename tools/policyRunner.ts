/**
 * Runs the policy pack against a plan offline, through the very analyzer functions that
 * serve `pulumi preview --policy-pack` (@pulumi/policy's makeAnalyzeRpcFun and
 * makeAnalyzeStackRpcFun). Each planned resource becomes the analyzer's protobuf request:
 * props as a google.protobuf.Struct (so deserialisation, secrets and unknown sentinels,
 * the unknown-checking proxy, isType/asType by type token, notApplicable and
 * UnknownValueError -> advisory "can't run during preview" behave exactly as at a real
 * preview), stack resources with parent, dependencies, propertyDependencies and provider.
 *
 * Policy configuration (the `--policy-pack-config` format) is applied as the analyzer
 * would: the configured enforcement level, and getConfig() returning the policy's settings
 * with schema defaults. A waiver needs a reason (policy/waivers.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { Guardrail } from "../policy/lib";
import { PACK_NAME, allPolicies } from "../policy/policies";
import { PackConfig, PolicyConfigError, validatePackConfig } from "../policy/waivers";
import { Plan, PlanViolation, PlannedResource, REPO_ROOT, UsageError } from "./offline";

/* eslint-disable @typescript-eslint/no-require-imports */
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: Record<string, unknown>): unknown } };
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
const server = require("@pulumi/policy/server") as {
    makeAnalyzeRpcFun(pack: string, version: string, level: string, policies: unknown[]): RpcFun;
    makeAnalyzeStackRpcFun(pack: string, version: string, level: string, policies: unknown[]): RpcFun;
};
const { convertEnforcementLevel } = require("@pulumi/policy/protoutil") as { convertEnforcementLevel(level: number): string };
/* eslint-enable @typescript-eslint/no-require-imports */

type RpcFun = (call: { request: unknown }, callback: (err: unknown, resp?: AnalyzeResponse) => void) => Promise<void>;

export interface AnalyzeResponse {
    getDiagnosticsList(): Array<{
        getPolicyname(): string;
        getDescription(): string;
        getMessage(): string;
        getEnforcementlevel(): number;
        getUrn(): string;
    }>;
}

/** A diagnostic of the pack: a violation (or an advisory "can't run during preview"). */
export interface PolicyDiagnostic extends PlanViolation {
    description: string;
    /** Set when the stack's policy config waives this policy (the reason is also in the message). */
    waiverReason?: string;
}

export const PACK_VERSION: string = (JSON.parse(readFileSync(path.join(REPO_ROOT, "policy", "package.json"), "utf8")) as { version: string }).version;

/** The stack's policy config file, used by `npm run plan` when present. */
export const stackPolicyConfigPath = (stack: string): string => path.join(REPO_ROOT, "policy", "config", `${stack}.json`);

/** Reads and validates a policy config file; throws UsageError (one line) if unreadable or invalid. */
export function loadPolicyConfig(file: string, policies: Guardrail[] = allPolicies): PackConfig {
    let doc: unknown;
    try {
        doc = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`cannot read policy config ${file}: ${(e as Error).message.split("\n")[0]}`);
    }
    try {
        return validatePackConfig(doc, policies, file);
    } catch (e) {
        if (e instanceof PolicyConfigError) throw new UsageError(e.message);
        throw e;
    }
}

/** Fills in schema defaults, as the CLI does before it sends a policy's config. */
function settingsOf(policy: Guardrail, config: PackConfig): Record<string, unknown> {
    const defaults = Object.fromEntries(
        Object.entries(policy.configSchema?.properties ?? {})
            .filter(([, s]) => typeof s === "object" && s.default !== undefined)
            .map(([k, s]) => [k, (s as { default: unknown }).default]),
    );
    const { enforcementLevel: _level, ...props } = config[policy.name] ?? {};
    return { ...defaults, ...props };
}

/**
 * The pack's policies as the analyzer sees them once configured: the configured level wins
 * over the declared one (the analyzer's `config || policy || pack` order), and getConfig()
 * returns the configured settings.
 */
function configured(policies: Guardrail[], config: PackConfig): Guardrail[] {
    const all = config.all?.enforcementLevel;
    return policies.map((p) => {
        const settings = settingsOf(p, config);
        const withConfig = <A extends { getConfig: unknown }>(args: A): A =>
            Object.assign(Object.create(Object.getPrototypeOf(args)), args, { getConfig: () => ({ ...settings }) });
        const copy: Guardrail & Record<string, unknown> = { ...p, enforcementLevel: config[p.name]?.enforcementLevel ?? all ?? p.enforcementLevel };
        if ("validateResource" in p && typeof p.validateResource === "function") {
            const inner = p.validateResource;
            const wrapped = (args: Parameters<typeof inner>[0], report: Parameters<typeof inner>[1]) => inner(withConfig(args), report);
            const type = (inner as unknown as { __pulumiType?: string }).__pulumiType;
            if (type) (wrapped as unknown as { __pulumiType: string }).__pulumiType = type;
            copy.validateResource = wrapped;
        }
        if ("validateStack" in p && typeof p.validateStack === "function") {
            const inner = p.validateStack;
            copy.validateStack = (args: Parameters<typeof inner>[0], report: Parameters<typeof inner>[1]) => inner(withConfig(args), report);
        }
        return copy;
    });
}

/** Drops undefined (as JSON and the engine do) so that Struct.fromJavaScript accepts the props. */
const plain = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v ?? {}));

interface PropsStruct {
    toJavaScript(): Record<string, unknown>;
    clearFieldsMap(): void;
}

/**
 * A resource's props as the engine sends them: a google.protobuf.Struct. The analyzer converts a
 * request's Struct back to JavaScript once per policy it runs (AnalyzeStack: every resource once per
 * stack policy), and deep-copies the result into the props a policy sees (deserializeProperties),
 * so the conversion is remembered: the same value every time, never handed to a policy itself.
 * In process (`light`), the Struct is then emptied: the analyzer reads it only through
 * toJavaScript(), and 100k resources' Structs would otherwise hold about a gigabyte.
 */
function propsStruct(props: unknown, light: boolean): PropsStruct {
    const struct = Struct.fromJavaScript(plain(props)) as PropsStruct;
    const converted = struct.toJavaScript();
    if (light) struct.clearFieldsMap();
    struct.toJavaScript = () => converted;
    return struct;
}

/**
 * Builds the engine's requests for one evaluation. Each resource's props Struct is built once and
 * shared by its Analyze request and its AnalyzeStack entry, and each provider's resource once and
 * shared by every resource it manages (the analyzer only reads requests).
 */
class Requests {
    private readonly byUrn: Map<string, PlannedResource>;
    private readonly structs = new Map<PlannedResource, PropsStruct>();
    private readonly providers = new Map<string, unknown>();

    /** `light`: for the in-process analyzer only (the requests cannot be sent over gRPC). */
    constructor(
        resources: PlannedResource[],
        private readonly light = false,
    ) {
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    }

    private props(r: PlannedResource): PropsStruct {
        let struct = this.structs.get(r);
        if (!struct) this.structs.set(r, (struct = propsStruct(r.props, this.light)));
        return struct;
    }

    /** The provider resource of a "urn::id" reference, as the engine attaches it. */
    private provider(r: PlannedResource): unknown {
        if (!r.provider) return undefined;
        const urn = r.provider.slice(0, r.provider.lastIndexOf("::"));
        if (!this.providers.has(urn)) {
            const p = this.byUrn.get(urn);
            let proto: unknown;
            if (p) {
                proto = new analyzerproto.AnalyzerProviderResource();
                const provider = proto as { setType(v: string): void; setUrn(v: string): void; setName(v: string): void; setProperties(v: unknown): void };
                provider.setType(p.type);
                provider.setUrn(p.urn);
                provider.setName(p.name);
                provider.setProperties(this.props(p));
            }
            this.providers.set(urn, proto);
        }
        return this.providers.get(urn);
    }

    /** The engine's per-resource `Analyze` request. */
    analyze(r: PlannedResource): unknown {
        const req = new analyzerproto.AnalyzeRequest();
        req.setType(r.type);
        req.setUrn(r.urn);
        req.setName(r.name);
        req.setProperties(this.props(r));
        req.setOptions(options(r));
        const provider = this.provider(r);
        if (provider) req.setProvider(provider);
        return req;
    }

    /** The engine's `AnalyzeStack` request: every resource with parent, dependencies, propertyDependencies and provider. */
    analyzeStack(resources: PlannedResource[]): unknown {
        const stackReq = new analyzerproto.AnalyzeStackRequest();
        stackReq.setResourcesList(
            resources.map((r) => {
                const a = new analyzerproto.AnalyzerResource();
                a.setType(r.type);
                a.setUrn(r.urn);
                a.setName(r.name);
                a.setProperties(this.props(r));
                a.setOptions(options(r));
                if (r.parent) a.setParent(r.parent);
                a.setDependenciesList(r.dependencies ?? []);
                const deps = a.getPropertydependenciesMap();
                for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
                    const d = new analyzerproto.AnalyzerPropertyDependencies();
                    d.setUrnsList(urns);
                    deps.set(key, d);
                }
                const provider = this.provider(r);
                if (provider) a.setProvider(provider);
                return a;
            }),
        );
        return stackReq;
    }
}

function options(r: PlannedResource) {
    const o = new analyzerproto.AnalyzerResourceOptions();
    o.setProtect(Boolean(r.protect));
    if (r.parent) o.setParent(r.parent);
    return o;
}

function call(fun: RpcFun, request: unknown): Promise<AnalyzeResponse> {
    return new Promise((resolve, reject) => {
        void fun({ request }, (err, resp) => (err ? reject(err) : resolve(resp!)));
    });
}

/** The engine's per-resource `Analyze` requests for planned resources. */
export function analyzeRequests(resources: PlannedResource[]): unknown[] {
    const requests = new Requests(resources);
    return resources.map((r) => requests.analyze(r));
}

/** The engine's `AnalyzeStack` request: every resource with parent, dependencies, propertyDependencies and provider. */
export function analyzeStackRequest(resources: PlannedResource[]): unknown {
    return new Requests(resources).analyzeStack(resources);
}

/** Diagnostics of analyzer responses, in the runner's shape. */
export function diagnosticsOf(responses: AnalyzeResponse[], config: PackConfig = {}): PolicyDiagnostic[] {
    return responses.flatMap((resp) =>
        resp.getDiagnosticsList().map((d) => {
            const policy = d.getPolicyname();
            const waiverReason = config[policy]?.waiverReason;
            return {
                policy,
                enforcementLevel: convertEnforcementLevel(d.getEnforcementlevel()),
                message: d.getMessage(),
                urn: d.getUrn(),
                description: d.getDescription(),
                ...(waiverReason ? { waiverReason } : {}),
            };
        }),
    );
}

export interface EvaluateOptions {
    /** Policy config (validated); default none. */
    readonly config?: PackConfig;
    /** Policies to run; default the whole pack. */
    readonly policies?: Guardrail[];
}

/** Runs every policy of the pack against resources: `analyze` per resource, then `analyzeStack`. */
export async function analyzeResources(resources: PlannedResource[], opts: EvaluateOptions = {}): Promise<PolicyDiagnostic[]> {
    const config = opts.config ?? {};
    const policies = configured(opts.policies ?? allPolicies, config);
    const analyze = server.makeAnalyzeRpcFun(PACK_NAME, PACK_VERSION, "mandatory", policies);
    const analyzeStack = server.makeAnalyzeStackRpcFun(PACK_NAME, PACK_VERSION, "mandatory", policies);
    const requests = new Requests(resources, true);
    const diagnostics: PolicyDiagnostic[] = [];
    // One request at a time, as the engine sends them; a response is read at once (it lists every
    // policy that did not apply: a dozen messages per resource, not worth keeping).
    for (const r of resources) diagnostics.push(...diagnosticsOf([await call(analyze, requests.analyze(r))], config));
    diagnostics.push(...diagnosticsOf([await call(analyzeStack, requests.analyzeStack(resources))], config));
    return diagnostics;
}

/**
 * `npm run plan`'s policy step: the whole pack against the plan's resources, with the stack's
 * policy config (policy/config/<stack>.json) if present.
 */
export async function evaluatePlan(plan: Plan, opts: EvaluateOptions = {}): Promise<PolicyDiagnostic[]> {
    const file = stackPolicyConfigPath(plan.stack);
    const config = opts.config ?? (existsSync(file) ? loadPolicyConfig(file) : {});
    return analyzeResources(plan.resources, { ...opts, config });
}
