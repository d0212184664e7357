/**
 * The real pack, served: `policy/index.ts` started as `pulumi preview --policy-pack` starts it
 * (a process that prints its gRPC port), fed the engine's Analyze/AnalyzeStack requests over
 * gRPC. Its verdicts must equal the offline runner's, on a clean and a faulty preview plan.
 */
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../tools/offline";
import { AnalyzeResponse, PolicyDiagnostic, analyzeRequests, analyzeResources, analyzeStackRequest, diagnosticsOf } from "../../tools/policyRunner";
import { Mutator } from "../integration/mutationTable";
import { planOf } from "../support";
import { isDeclaredOptOut } from "../support/policyFixtures";

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js");
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

type Unary = (req: unknown, cb: (err: Error | null, resp: AnalyzeResponse) => void) => void;

describe("the served policy pack (gRPC) agrees with the offline runner", function () {
    this.timeout(120_000);
    let pack: ChildProcess | undefined;
    let client: { analyze: Unary; analyzeStack: Unary; close(): void } | undefined;

    before(async () => {
        pack = spawn(path.join(REPO_ROOT, "node_modules", ".bin", "tsx"), ["index.ts"], {
            cwd: path.join(REPO_ROOT, "policy"),
            stdio: ["ignore", "pipe", "inherit"],
        });
        const port = await new Promise<string>((resolve, reject) => {
            let buffered = "";
            pack!.stdout!.on("data", (chunk: Buffer) => {
                buffered += chunk.toString();
                const line = buffered.split("\n")[0];
                if (buffered.includes("\n") && /^\d+$/.test(line.trim())) resolve(line.trim());
            });
            pack!.on("exit", (code) => reject(new Error(`policy pack exited with ${code}`)));
        });
        client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        if (pack?.pid) process.kill(pack.pid);
    });

    const rpc = (method: "analyze" | "analyzeStack", req: unknown) =>
        new Promise<AnalyzeResponse>((resolve, reject) => client![method].call(client, req, (err, resp) => (err ? reject(err) : resolve(resp))));

    async function served(resources: Parameters<typeof analyzeRequests>[0]): Promise<PolicyDiagnostic[]> {
        const responses: AnalyzeResponse[] = [];
        for (const req of analyzeRequests(resources)) responses.push(await rpc("analyze", req));
        responses.push(await rpc("analyzeStack", analyzeStackRequest(resources)));
        return diagnosticsOf(responses);
    }

    const key = (ds: PolicyDiagnostic[]) => ds.map((d) => `${d.policy}|${d.enforcementLevel}|${d.urn}|${d.message}`).sort();

    for (const stack of ["prod", "dr"]) {
        it(`${stack} preview: clean plan passes, and a faulty one gets the same violations`, async () => {
            const clean = await planOf(stack, "preview");
            const servedClean = await served(clean.resources);
            // The pack is served without a --policy-pack-config here: compare with the offline runner under the same (default) config.
            assert.deepEqual(key(servedClean), key(await analyzeResources(clean.resources)));
            // Under default config prod is clean; dr's pilot light needs policy/config/dr.json (its lowered node floor).
            const expected = stack === "prod" ? [] : ["node-groups-span-azs"];
            assert.deepEqual([...new Set(servedClean.filter((d) => !isDeclaredOptOut(d.message)).map((d) => d.policy))], expected);
            const plan = structuredClone(clean);
            const m = new Mutator(plan, "preview");
            m.wire(m.get("aws:ec2/route:Route", "network-private-b-egress"), "natGatewayId", m.get("aws:ec2/natGateway:NatGateway", "network-nat-a"));
            m.set(m.get("aws:kms/key:Key", "network-flow-logs"), "enableKeyRotation", false);
            const viaGrpc = await served(plan.resources);
            assert.deepEqual(key(viaGrpc), key(await analyzeResources(plan.resources)));
            assert.deepEqual(
                [...new Set(viaGrpc.filter((d) => !isDeclaredOptOut(d.message)).map((d) => d.policy))].sort(),
                ["kms-key-rotation", "nat-gateway-per-az", ...expected].sort(),
            );
        });
    }
});
