/**
 * The runner's shared analyzer (props deserialised once per evaluation, the stack graph built once
 * for every stack policy) against @pulumi/policy's own Analyze/AnalyzeStack: identical diagnostics
 * on both stacks' plans in both modes and on every mutation of the table, the same responses
 * (not-applicable lists included) on small graphs, and shared inputs that a policy cannot change.
 */
import * as assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { Plan, PlannedResource } from "../../tools/offline";
import {
    AnalyzeResponse,
    PACK_VERSION,
    PolicyDiagnostic,
    SharedProps,
    analyzeRequests,
    analyzeResources,
    analyzeStackRequest,
    loadPolicyConfig,
    makeSharedAnalyzeRpcFun,
    makeSharedAnalyzeStackRpcFun,
    stackPolicyConfigPath,
    structRoundTrip,
} from "../../tools/policyRunner";
import { allPolicies } from "../../policy/policies";
import { MUTATIONS, Mode, Mutator } from "../integration/mutationTable";
import { planOf } from "../support";

/* eslint-disable @typescript-eslint/no-require-imports */
const server = require("@pulumi/policy/server");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

type RpcFun = (call: { request: unknown }, callback: (err: unknown, resp?: AnalyzeResponse) => void) => Promise<void>;

const call = (fun: RpcFun, request: unknown): Promise<AnalyzeResponse> =>
    new Promise((resolve, reject) => void fun({ request }, (err, resp) => (err ? reject(err) : resolve(resp!))));

const configOf = (stack: string) => (existsSync(stackPolicyConfigPath(stack)) ? loadPolicyConfig(stackPolicyConfigPath(stack)) : {});

/** Both paths' diagnostics, for the whole pack or only the named policy. */
async function bothPaths(resources: PlannedResource[], stack: string, policy?: string): Promise<[PolicyDiagnostic[], PolicyDiagnostic[]]> {
    const config = configOf(stack);
    const policies = policy === undefined ? undefined : allPolicies.filter((p) => p.name === policy);
    return [
        await analyzeResources(resources, { config, policies, analyzer: "library" }),
        await analyzeResources(resources, { config, policies, analyzer: "shared" }),
    ];
}

const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const resource = (name: string, type: string, props: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource => ({
    urn: `urn:pulumi:t::p::${type}::${name}`,
    type,
    name,
    id: null,
    parent: null,
    custom: true,
    provider: null,
    protect: false,
    props,
    dependencies: [],
    propertyDependencies: {},
    ...extra,
});

/** Both analyzers' whole responses (diagnostics and not-applicable lists) for policies on resources. */
async function responses(policies: unknown[], resources: PlannedResource[]): Promise<unknown[][]> {
    const out: unknown[][] = [];
    for (const [analyze, analyzeStack] of [
        [server.makeAnalyzeRpcFun, server.makeAnalyzeStackRpcFun],
        [makeSharedAnalyzeRpcFun, makeSharedAnalyzeStackRpcFun],
    ] as const) {
        const shared = new SharedProps();
        const a = analyze("p", PACK_VERSION, "advisory", policies, shared);
        const s = analyzeStack("p", PACK_VERSION, "advisory", policies, shared);
        const got: unknown[] = [];
        for (const req of analyzeRequests(resources)) got.push(((await call(a, req)) as unknown as { toObject(): unknown }).toObject());
        got.push(((await call(s, analyzeStackRequest(resources))) as unknown as { toObject(): unknown }).toObject());
        out.push(got);
    }
    return out;
}

describe("the shared analyzer agrees with @pulumi/policy's", function () {
    this.timeout(300_000);

    for (const stack of ["prod", "dr"])
        for (const mode of ["update", "preview"] as Mode[]) {
            // The whole pack on the plan; on each mutation the policy it targets (the whole pack on every
            // mutation, 258 evaluations, was compared byte for byte when the shared path was written, and would
            // cost ~40 s of every test run).
            it(`${stack} ${mode}: the plan (whole pack) and every mutation (its policy) give identical diagnostics`, async () => {
                const base = await planOf(stack, mode);
                const [library, shared] = await bothPaths(structuredClone(base).resources, stack);
                assert.deepStrictEqual(shared, library, `${stack}/${mode}`);
                for (const m of MUTATIONS.filter((m) => m.stacks.includes(stack as never))) {
                    const plan: Plan = structuredClone(base);
                    m.apply(new Mutator(plan, mode));
                    const [libraryVerdict, sharedVerdict] = await bothPaths(plan.resources, stack, m.policy);
                    assert.ok(
                        libraryVerdict.some((d) => d.policy === m.policy && d.enforcementLevel === "mandatory"),
                        `${m.id}: the library rejects it`,
                    );
                    assert.deepStrictEqual(sharedVerdict, libraryVerdict, `${stack}/${mode}/${m.id}`);
                }
            });

            it(`${stack} ${mode}: props are what a google.protobuf.Struct round trip gives, key order included`, async () => {
                for (const r of (await planOf(stack, mode)).resources) {
                    const plain = JSON.parse(JSON.stringify(r.props));
                    assert.equal(JSON.stringify(structRoundTrip(plain)), JSON.stringify(Struct.fromJavaScript(plain).toJavaScript()), r.urn);
                }
            });
        }

    const graph = [
        resource("a", "t:index:A", { nested: { ip: UNKNOWN_STRING }, list: [{ x: 1 }], id: "a-1" }),
        resource(
            "b",
            "t:index:B",
            { ref: "a-1" },
            { dependencies: ["urn:pulumi:t::p::t:index:A::a"], propertyDependencies: { ref: ["urn:pulumi:t::p::t:index:A::a"] } },
        ),
    ];

    it("policies reading an unknown value: the same advisory diagnostics", async () => {
        const policies = [
            {
                name: "reads-unknown",
                description: "reads a nested unknown",
                enforcementLevel: "mandatory",
                severity: "high",
                validateStack: (args: { resources: Array<{ props: Record<string, Record<string, unknown>> }> }, report: (m: string) => void) => {
                    if (args.resources[0].props.nested.ip === "10.0.0.1") report("never");
                },
            },
            {
                name: "reads-unknown-resource",
                description: "reads a nested unknown at Analyze",
                validateResource: (args: { props: Record<string, Record<string, unknown> | undefined> }, report: (m: string) => void) => {
                    if (args.props.nested?.ip === "10.0.0.1") report("never");
                },
            },
            {
                name: "reports",
                description: "reports every resource",
                validateStack: (args: { resources: Array<{ urn: string; dependencies: unknown[] }> }, report: (m: string, urn: string) => void) => {
                    for (const r of args.resources) report(`deps ${r.dependencies.length}`, r.urn);
                },
            },
        ];
        const [library, shared] = await responses(policies, graph);
        assert.deepStrictEqual(shared, library);
        const stackDiagnostics = (library.at(-1) as { diagnosticsList: Array<{ message: string; enforcementlevel: number }> }).diagnosticsList;
        assert.match(
            stackDiagnostics[0].message,
            /^can't run policy 'reads-unknown' from policy pack 'p@v.*' during preview: .*\.nested\.ip can't be known during preview$/,
        );
    });

    it("policies that report notApplicable, or apply to a type absent from the stack: the same not-applicable lists", async () => {
        const policies = [
            { name: "na-stack", description: "n/a", validateStack: (args: { notApplicable(r?: string): never }) => args.notApplicable("nothing to check") },
            { name: "na-resource", description: "n/a", validateResource: (args: { notApplicable(r?: string): never }) => args.notApplicable() },
            Object.assign({ name: "typed", description: "typed", validateStack: Object.assign(() => undefined, { __pulumiType: "t:index:Absent" }) }),
            { name: "off", description: "disabled", enforcementLevel: "disabled", validateStack: () => assert.fail("disabled policy ran") },
        ];
        const [library, shared] = await responses(policies, graph);
        assert.deepStrictEqual(shared, library);
        assert.ok(JSON.stringify(library).includes("nothing to check"));
    });

    it("a policy cannot change what the next policy sees", async () => {
        const mutate = (args: { resources: Array<{ props: Record<string, Record<string, unknown>> }> }) => {
            args.resources[0].props.list[0] = "changed";
        };
        const shared = new SharedProps();
        const fun = makeSharedAnalyzeStackRpcFun("p", PACK_VERSION, "advisory", [{ name: "mutates", description: "m", validateStack: mutate }], shared);
        await assert.rejects(call(fun, analyzeStackRequest(graph)), /Error validating resource with policy 'mutates'[\s\S]*read-only/);
        const resourcesOf = makeSharedAnalyzeStackRpcFun("p", PACK_VERSION, "advisory", [
            {
                name: "freezes",
                description: "f",
                validateStack: (args: { resources: Array<Record<string, unknown>> }) => {
                    assert.throws(() => (args.resources[0].name = "x"));
                    assert.throws(() => delete (args.resources[0].props as Record<string, unknown>).id);
                    assert.throws(() => ((args.resources[1].dependencies as unknown[]).length = 0));
                },
            },
        ]);
        await call(resourcesOf, analyzeStackRequest(graph));
    });
});
