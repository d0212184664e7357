/**
 * Runs the policy pack against a plan offline, through the very analyzer functions that
 * serve `pulumi preview --policy-pack` (@pulumi/policy's makeAnalyzeRpcFun and
 * makeAnalyzeStackRpcFun). Each planned resource becomes the analyzer's protobuf request:
 * props as a google.protobuf.Struct (so deserialisation, secrets and unknown sentinels,
 * the unknown-checking proxy, isType/asType by type token, notApplicable and
 * UnknownValueError -> advisory "can't run during preview" behave exactly as at a real
 * preview), stack resources with parent, dependencies, propertyDependencies and provider.
 *
 * By default the analyzer functions are the runner's shared ones (makeSharedAnalyzeRpcFun,
 * makeSharedAnalyzeStackRpcFun): the same arguments, diagnostics and responses, but each
 * resource's props deserialised once per evaluation and the stack's resources built once for
 * every stack policy (the library rebuilds all of them per stack policy), shared read-only.
 * `HYBRID_POLICY_ANALYZER=library` (or the `analyzer` option) runs @pulumi/policy's own;
 * tests/tools/sharedAnalyzer.test.ts holds the two to identical diagnostics.
 *
 * Policy configuration (the `--policy-pack-config` format) is applied as the analyzer
 * would: the configured enforcement level, and getConfig() returning the policy's settings
 * with schema defaults. A waiver needs a reason, and a mandatory policy cannot be disabled
 * (policy/waivers.ts): analyzeResources throws PolicyConfigError, as the served pack refuses it.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { Guardrail } from "../policy/lib";
import { PACK_NAME, allPolicies } from "../policy/policies";
import { PackConfig, PolicyConfigError, refuseDisabledMandatory, validatePackConfig } from "../policy/waivers";
import { Plan, PlanViolation, PlannedResource, REPO_ROOT, UsageError } from "./offline";

/* eslint-disable @typescript-eslint/no-require-imports */
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { new (): unknown; fromJavaScript(v: Record<string, unknown>): unknown } };
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
        const getConfig = () => ({ ...settings });
        // The analyzer builds a policy's arguments afresh for every call and drops them after it.
        const withConfig = <A extends { getConfig: unknown }>(args: A): A => ((args.getConfig = getConfig), args);
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
 * In process (`light`), the Struct is left empty and only its round trip computed: the analyzer
 * reads it only through toJavaScript(), and 100k resources' Structs would hold about a gigabyte.
 */
function propsStruct(props: unknown, light: Light): PropsStruct {
    if (light) {
        // What Struct.fromJavaScript(v).toJavaScript() gives for JSON data, without building the Struct;
        // "once" (the shared analyzer reads it once): converted when read, not kept.
        const struct = new Struct() as PropsStruct;
        const convert = () => structRoundTrip(plain(props)) as Record<string, unknown>;
        if (light === "once") {
            struct.toJavaScript = convert;
        } else {
            const converted = convert();
            struct.toJavaScript = () => converted;
        }
        return struct;
    }
    const struct = Struct.fromJavaScript(plain(props)) as PropsStruct;
    const converted = struct.toJavaScript();
    struct.toJavaScript = () => converted;
    return struct;
}

/**
 * A JSON value as a google.protobuf.Struct round trip returns it: the same values, each object's
 * keys in sorted order (jspb maps iterate their keys sorted). tests/tools/stackAnalyzer.test.ts
 * checks it against the real round trip on every planned resource.
 */
export function structRoundTrip(v: unknown): unknown {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(structRoundTrip);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = structRoundTrip((v as Record<string, unknown>)[k]);
    return out;
}

type Light = boolean | "once";

/**
 * Builds the engine's requests for one evaluation. Each resource's props Struct is built once and
 * shared by its Analyze request and its AnalyzeStack entry, and each provider's resource once and
 * shared by every resource it manages (the analyzer only reads requests).
 */
class Requests {
    private readonly byUrn: Map<string, PlannedResource>;
    private readonly structs = new Map<PlannedResource, PropsStruct>();
    private readonly providers = new Map<string, unknown>();

    /** `light`: for the in-process analyzer only (the requests cannot be sent over gRPC); "once": for the shared one. */
    constructor(
        resources: PlannedResource[],
        private readonly light: Light = false,
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

// ---------------------------------------------------------------------------------------------
// AnalyzeStack over one shared resource graph
// ---------------------------------------------------------------------------------------------

/* eslint-disable @typescript-eslint/no-require-imports */
const { deserializeProperties } = require("@pulumi/policy/deserialize") as { deserializeProperties(struct: unknown, keepSecrets: boolean): unknown };
const { unknownCheckingProxy, UnknownValueError } = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy(v: unknown): unknown;
    UnknownValueError: new (...args: never[]) => Error;
};
const { isResourcePolicy, isStackPolicy, getPulumiType } = require("@pulumi/policy/policy") as {
    isResourcePolicy(p: unknown): boolean;
    isStackPolicy(p: unknown): boolean;
    getPulumiType(o: unknown): string | undefined;
};
const protoutil = require("@pulumi/policy/protoutil") as {
    makeAnalyzeResponse(ds: unknown[], notApplicable: unknown[] | undefined): AnalyzeResponse;
    asGrpcError(e: unknown, message?: string): Error;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Which analyzer analyzeResources uses: `HYBRID_POLICY_ANALYZER=library` selects @pulumi/policy's own. */
export type Analyzer = "shared" | "library";

const defaultAnalyzer = (): Analyzer => (process.env.HYBRID_POLICY_ANALYZER === "library" ? "library" : "shared");

/** Refuses every change: the shared props of a resource are seen by every stack policy in turn. */
function readOnly(): never {
    throw new TypeError("policy input is read-only: a resource's props are shared by every stack policy");
}

/**
 * A deserialised value made read-only for unknownCheckingProxy to wrap: each object of it behind a
 * proxy that refuses every change and has no `get` trap (reads go straight through). Not
 * Object.freeze: the unknown-checking proxy returns a frozen (non-configurable, non-writable)
 * property's value unwrapped (the V8 invariant it honours, proxy.js proxyHelper), so unknowns
 * nested in it would no longer throw.
 */
const readOnlyHandler: ProxyHandler<object> = {
    set: readOnly,
    defineProperty: readOnly,
    deleteProperty: readOnly,
    setPrototypeOf: readOnly,
    preventExtensions: readOnly,
};

function readOnlyValue(v: unknown): unknown {
    if (!(v instanceof Object)) return v;
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (o[k] instanceof Object) o[k] = readOnlyValue(o[k]);
    return new Proxy(o, readOnlyHandler);
}

/** props as the analyzer gives them (unknownCheckingProxy of deserializeProperties(struct, false)), read-only. */
const policyProps = (deserialized: unknown): unknown => unknownCheckingProxy(readOnlyValue(deserialized));

/**
 * The policies' props of each props Struct of one evaluation, deserialised once and shared (read-only)
 * by every policy that reads them, at Analyze and at AnalyzeStack. Dropped with the evaluation.
 */
export class SharedProps {
    private readonly byStruct = new Map<unknown, unknown>();

    of(struct: unknown): unknown {
        let props = this.byStruct.get(struct);
        if (props === undefined) this.byStruct.set(struct, (props = policyProps(deserializeProperties(struct, false))));
        return props;
    }
}

function deepFreeze<T>(v: T): T {
    if (v instanceof Object && !Object.isFrozen(v)) {
        Object.freeze(v);
        for (const x of Object.values(v)) deepFreeze(x);
    }
    return v;
}

// The analyzer's module-private pieces, reproduced (@pulumi/policy 1.21.0, server.js).
interface ProtoOptions {
    getProtect(): boolean;
    getIgnorechangesList(): string[];
    getAliasesList(): string[];
    getCustomtimeouts(): { getCreate(): number; getUpdate(): number; getDelete(): number } | undefined;
    getAdditionalsecretoutputsList(): string[];
    getDeletebeforereplacedefined(): boolean;
    getDeletebeforereplace(): boolean;
    getParent(): string;
}
interface ProtoProvider {
    getType(): string;
    getUrn(): string;
    getName(): string;
    getProperties(): unknown;
}
interface ProtoResource extends ProtoProvider {
    getOptions(): ProtoOptions | undefined;
    getProvider(): ProtoProvider | undefined;
    getParent(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> } | undefined;
}
type Diagnostic = Record<string, unknown>;
type StackPolicy = Record<string, unknown> & {
    name: string;
    description?: string;
    enforcementLevel?: string;
    severity?: string;
    validateStack: (args: unknown, report: unknown) => unknown;
};

/** server.js getResourceOptions (~line 463). */
function resourceOptions(r: ProtoResource): Record<string, unknown> {
    const opts = r.getOptions();
    if (!opts) {
        throw new Error("A more recent version of the Pulumi CLI is required. " + "To upgrade, see https://www.pulumi.com/docs/get-started/install/");
    }
    const timeouts = opts.getCustomtimeouts();
    const result: Record<string, unknown> = {
        protect: opts.getProtect(),
        ignoreChanges: opts.getIgnorechangesList(),
        aliases: opts.getAliasesList(),
        // server.js getCustomTimeouts (~line 487)
        customTimeouts: {
            createSeconds: timeouts?.getCreate() ?? 0.0,
            updateSeconds: timeouts?.getUpdate() ?? 0.0,
            deleteSeconds: timeouts?.getDelete() ?? 0.0,
        },
        additionalSecretOutputs: opts.getAdditionalsecretoutputsList(),
    };
    if (opts.getDeletebeforereplacedefined()) result.deleteBeforeReplace = opts.getDeletebeforereplace();
    if (opts.getParent()) result.parent = opts.getParent();
    return result;
}

/** server.js isTypeOf (~line 522). */
function isTypeOf(type: string, resourceClass: { isInstance?: unknown }): boolean {
    const pulumiType = getPulumiType(resourceClass);
    if (pulumiType) return type === pulumiType;
    const isInstance = resourceClass.isInstance;
    return Boolean(isInstance) && typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** server.js asType (~line 265, ~line 370). */
function asTypeOf(type: string, props: unknown, resourceClass: { isInstance?: unknown }): unknown {
    return isTypeOf(type, resourceClass) ? props : undefined;
}

/** server.js NotApplicableError / throwNotApplicable (~line 646). */
class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}
const throwNotApplicable = (reason?: string): never => {
    throw new NotApplicableError(reason);
};

/** server.js pushNotApplicable (~line 659). */
function pushNotApplicable(notApplicable: unknown[] | undefined, policyName: string, reason?: string): unknown[] {
    const na = new analyzerproto.PolicyNotApplicable();
    na.setPolicyName(policyName);
    if (reason) na.setReason(reason);
    (notApplicable ??= []).push(na);
    return notApplicable;
}

/** server.js makeReportViolationFun (~line 674). */
function reportViolationFun(
    policyName: string,
    packName: string,
    packVersion: string,
    description: string | undefined,
    enforcementLevel: string,
    ds: Diagnostic[],
    severity?: string,
) {
    return (message: unknown, urn?: string) => {
        if (typeof message === "object" && message !== null) {
            const info = message as Record<string, string | undefined>;
            ds.push({
                policyName: info.name || policyName,
                policyPackName: packName,
                policyPackVersion: packVersion,
                message: info.message || info.description || description,
                urn: info.urn,
                description: info.description || description,
                enforcementLevel: info.enforcementLevel || enforcementLevel,
                severity: info.severity || severity,
            });
        } else {
            let violationMessage = description;
            if (message) violationMessage += `\n${message as string}`;
            ds.push({
                policyName,
                policyPackName: packName,
                policyPackVersion: packVersion,
                message: violationMessage,
                urn,
                description,
                enforcementLevel,
                severity,
            });
        }
    };
}

/** server.js freezeMap (~line 147) of the stack tags, empty until a configureStack RPC (none in process). */
const noStackTags = (() => {
    const map = new Map<string, string>();
    return Object.freeze({
        entries: map.entries.bind(map),
        forEach: map.forEach.bind(map),
        get: map.get.bind(map),
        has: map.has.bind(map),
        keys: map.keys.bind(map),
        size: map.size,
        values: map.values.bind(map),
        [Symbol.iterator]: map[Symbol.iterator].bind(map),
    });
})();

/** server.js getProviderResource (~line 497): a provider object per resource, its props shared. */
function providerResource(r: { getProvider(): ProtoProvider | undefined }, shared: SharedProps): object | undefined {
    const prov = r.getProvider();
    if (!prov) return undefined;
    return Object.freeze({ type: prov.getType(), props: shared.of(prov.getProperties()), urn: prov.getUrn(), name: prov.getName() });
}

/**
 * The stack's resources as the analyzer gives them to a stack policy (server.js
 * makeAnalyzeStackRpcFun ~line 345-410), built once: each resource frozen, its props read-only.
 * Each policy gets a fresh array of them, as from the analyzer.
 */
function stackResources(protos: ProtoResource[], shared: SharedProps): object[] {
    const intermediates = protos.map((r) => {
        const type = r.getType();
        const props = shared.of(r.getProperties());
        const resource: Record<string, unknown> = {
            type,
            props,
            urn: r.getUrn(),
            name: r.getName(),
            opts: deepFreeze(resourceOptions(r)),
            dependencies: [],
            propertyDependencies: {},
            isType: isTypeOf.bind(undefined, type),
            asType: asTypeOf.bind(undefined, type, props),
        };
        const provider = providerResource(r, shared);
        if (provider) resource.provider = provider;
        // server.js getPropertyDependencies (~line 510)
        const propertyDependencies: Record<string, string[]> = {};
        const map = r.getPropertydependenciesMap();
        if (map) for (const [k, v] of map.entries()) propertyDependencies[k] = v.getUrnsList();
        return { resource, parent: r.getParent(), dependencies: r.getDependenciesList(), propertyDependencies };
    });
    const byUrn = new Map(intermediates.map((i) => [i.resource.urn, i.resource]));
    for (const i of intermediates) {
        if (i.parent) {
            const parent = byUrn.get(i.parent);
            if (parent) i.resource.parent = parent;
        }
        i.resource.dependencies = Object.freeze(i.dependencies.map((d) => byUrn.get(d)).filter((d) => d));
        const deps = i.resource.propertyDependencies as Record<string, unknown>;
        for (const k of Object.keys(i.propertyDependencies)) deps[k] = Object.freeze(i.propertyDependencies[k].map((d) => byUrn.get(d)).filter((d) => d));
        Object.freeze(deps);
    }
    return intermediates.map((i) => Object.freeze(i.resource));
}

type ServerConfig = Record<string, { enforcementLevel?: string } & Record<string, unknown>>;

/** server.js makeGetConfigFun (~line 447). */
const getConfigFun = (serverConfig: ServerConfig, name: string) => () => {
    const c = serverConfig[name];
    if (!c) return {};
    const { enforcementLevel: _level, ...properties } = c;
    return properties;
};

/** The diagnostic of a policy that read an unknown value (server.js ~line 291 and ~line 427). */
function unknownDiagnostic(p: Record<string, unknown> & { name: string }, omit: string, packName: string, packVersion: string, e: Error): Diagnostic {
    const policyFrom = `policy '${p.name}' from policy pack '${packName}@v${packVersion}'`;
    const { [omit]: _validate, name, ...diag } = p;
    return {
        policyName: name,
        policyPackName: packName,
        policyPackVersion: packVersion,
        message: `can't run ${policyFrom} during preview: ${e.message}`,
        ...diag,
        enforcementLevel: "advisory",
    };
}

interface ProtoAnalyzeRequest extends ProtoProvider {
    getOptions(): ProtoOptions | undefined;
    getProvider(): ProtoProvider | undefined;
}
type ResourcePolicy = Record<string, unknown> & {
    name: string;
    description?: string;
    enforcementLevel?: string;
    severity?: string;
    validateResource?: ((args: unknown, report: unknown) => unknown) | Array<(args: unknown, report: unknown) => unknown>;
};

interface ResourceArgs {
    props: unknown;
    urn: string;
    name: string;
    opts: Record<string, unknown>;
    isType: (resourceClass: { isInstance?: unknown }) => boolean;
    asType: (resourceClass: { isInstance?: unknown }) => unknown;
    provider: object | undefined;
}

/** The parts of a resource's validation arguments (server.js ~line 250-275) that do not depend on the policy, shared and frozen. */
function resourceArgs(req: ProtoAnalyzeRequest, type: string, shared: SharedProps): ResourceArgs {
    const props = shared.of(req.getProperties());
    return {
        props,
        urn: req.getUrn(),
        name: req.getName(),
        opts: deepFreeze(resourceOptions(req as unknown as ProtoResource)),
        isType: isTypeOf.bind(undefined, type),
        asType: asTypeOf.bind(undefined, type, props),
        provider: providerResource(req, shared),
    };
}

/**
 * makeAnalyzeRpcFun (server.js ~line 212-310) with a resource's props deserialised once for every
 * policy (and shared with AnalyzeStack); the same arguments, diagnostics and response.
 */
export function makeSharedAnalyzeRpcFun(
    packName: string,
    packVersion: string,
    packLevel: string,
    policies: unknown[],
    shared: SharedProps = new SharedProps(),
    serverConfig: ServerConfig = {},
): RpcFun {
    const getConfigs = new Map(policies.map((p) => [p, getConfigFun(serverConfig, (p as ResourcePolicy).name)]));
    return async (call, callback) => {
        const req = call.request as ProtoAnalyzeRequest;
        const type = req.getType();
        const ds: Diagnostic[] = [];
        let notApplicable: unknown[] | undefined;
        // What every policy's arguments share, built at the first that runs (in its try, as in server.js).
        let resource: ResourceArgs | undefined;
        try {
            for (const policy of policies) {
                const p = policy as ResourcePolicy;
                let enforcementLevel = serverConfig[p.name]?.enforcementLevel || p.enforcementLevel || packLevel;
                if (enforcementLevel === "disabled" || !isResourcePolicy(p)) continue;
                if (!p.validateResource) {
                    notApplicable = pushNotApplicable(notApplicable, p.name, "Policy does not implement validateResource");
                    continue;
                }
                if (enforcementLevel === "remediate") enforcementLevel = "mandatory";
                if (!Array.isArray(p.validateResource)) {
                    const pulumiType = getPulumiType(p.validateResource);
                    if (pulumiType && type !== pulumiType) {
                        notApplicable = pushNotApplicable(notApplicable, p.name, `Policy only applies to resources of type '${pulumiType}'`);
                        continue;
                    }
                }
                const reportViolation = reportViolationFun(p.name, packName, packVersion, p.description, enforcementLevel, ds, p.severity);
                for (const validation of Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource]) {
                    try {
                        resource ??= resourceArgs(req, type, shared);
                        const args: Record<string, unknown> = {
                            type,
                            props: resource.props,
                            urn: resource.urn,
                            name: resource.name,
                            opts: resource.opts,
                            stackTags: noStackTags,
                            isType: resource.isType,
                            asType: resource.asType,
                            getConfig: getConfigs.get(p),
                            notApplicable: throwNotApplicable,
                        };
                        if (resource.provider) args.provider = resource.provider;
                        // As Promise.resolve(validation(...)) in server.js, without a turn for a synchronous policy.
                        const result = validation(args, reportViolation) as PromiseLike<unknown> | undefined;
                        if (result && typeof result.then === "function") await result;
                    } catch (e) {
                        notApplicable = caught(e, p, "validateResource", packName, packVersion, ds, notApplicable);
                    }
                }
            }
        } catch (err) {
            callback(err, undefined);
            return;
        }
        callback(undefined, protoutil.makeAnalyzeResponse(ds, notApplicable));
    };
}

/**
 * What both analyze functions of server.js do with a policy's exception: an unknown value during preview
 * becomes the advisory "can't run" diagnostic, notApplicable() is recorded, anything else fails the request.
 * Returns the not-applicable list.
 */
function caught(
    e: unknown,
    p: Record<string, unknown> & { name: string },
    kind: "validateResource" | "validateStack",
    packName: string,
    packVersion: string,
    ds: Diagnostic[],
    notApplicable: unknown[] | undefined,
): unknown[] | undefined {
    if (e instanceof UnknownValueError) {
        ds.push(unknownDiagnostic(p, kind, packName, packVersion, e));
        return notApplicable;
    }
    if (e instanceof NotApplicableError) return pushNotApplicable(notApplicable, p.name, e.reason);
    throw protoutil.asGrpcError(e, `Error validating resource with policy '${p.name}' from policy pack '${packName}@v${packVersion}'`);
}

/**
 * makeAnalyzeStackRpcFun (server.js ~line 315-445) with the stack's resources built once per
 * request instead of once per stack policy; the same arguments, diagnostics and response.
 * `serverConfig` stands for the analyzer's policy-pack config (set by a configure RPC; empty in process).
 */
export function makeSharedAnalyzeStackRpcFun(
    packName: string,
    packVersion: string,
    packLevel: string,
    policies: unknown[],
    shared: SharedProps = new SharedProps(),
    serverConfig: ServerConfig = {},
): RpcFun {
    return async (call, callback) => {
        const req = call.request as { getResourcesList(): ProtoResource[] };
        const protos = req.getResourcesList();
        const ds: Diagnostic[] = [];
        let notApplicable: unknown[] | undefined;
        let resources: object[] | undefined;
        try {
            for (const policy of policies) {
                const p = policy as StackPolicy;
                let enforcementLevel = serverConfig[p.name]?.enforcementLevel || p.enforcementLevel || packLevel;
                if (enforcementLevel === "disabled" || !isStackPolicy(p)) continue;
                if (enforcementLevel === "remediate") enforcementLevel = "mandatory";
                const pulumiType = getPulumiType(p.validateStack);
                if (pulumiType && !protos.some((r) => r.getType() === pulumiType)) {
                    notApplicable = pushNotApplicable(notApplicable, p.name, `Policy only applies to resources of type '${pulumiType}'`);
                    continue;
                }
                const reportViolation = reportViolationFun(p.name, packName, packVersion, p.description, enforcementLevel, ds, p.severity);
                try {
                    resources ??= stackResources(protos, shared);
                    const args = {
                        resources: resources.slice(),
                        getConfig: getConfigFun(serverConfig, p.name),
                        stackTags: noStackTags,
                        notApplicable: throwNotApplicable,
                    };
                    const result = p.validateStack(args, reportViolation) as PromiseLike<unknown> | undefined;
                    if (result && typeof result.then === "function") await result;
                } catch (e) {
                    notApplicable = caught(e, p, "validateStack", packName, packVersion, ds, notApplicable);
                }
            }
        } catch (err) {
            callback(err, undefined);
            return;
        }
        callback(undefined, protoutil.makeAnalyzeResponse(ds, notApplicable));
    };
}

export interface EvaluateOptions {
    /** Policy config (validated); default none. */
    readonly config?: PackConfig;
    /** Policies to run; default the whole pack. */
    readonly policies?: Guardrail[];
    /** The analyzer: props shared by every policy (default) or @pulumi/policy's own (env HYBRID_POLICY_ANALYZER=library). */
    readonly analyzer?: Analyzer;
}

/** Runs every policy of the pack against resources: `analyze` per resource, then `analyzeStack`. */
export async function analyzeResources(resources: PlannedResource[], opts: EvaluateOptions = {}): Promise<PolicyDiagnostic[]> {
    const config = opts.config ?? {};
    // As the served pack refuses it at Configure (policy/configureGuard.ts): a disabled mandatory policy would report nothing.
    refuseDisabledMandatory(config, opts.policies ?? allPolicies);
    const policies = configured(opts.policies ?? allPolicies, config);
    const library = (opts.analyzer ?? defaultAnalyzer()) === "library";
    const shared = new SharedProps();
    const analyze = library
        ? server.makeAnalyzeRpcFun(PACK_NAME, PACK_VERSION, "mandatory", policies)
        : makeSharedAnalyzeRpcFun(PACK_NAME, PACK_VERSION, "mandatory", policies, shared);
    const analyzeStack = library
        ? server.makeAnalyzeStackRpcFun(PACK_NAME, PACK_VERSION, "mandatory", policies)
        : makeSharedAnalyzeStackRpcFun(PACK_NAME, PACK_VERSION, "mandatory", policies, shared);
    const requests = new Requests(resources, library ? true : "once");
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
