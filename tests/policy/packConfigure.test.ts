/**
 * Issue #11, finding 24, on the real path: the served pack (`policy/index.ts`, started as
 * `pulumi preview --policy-pack` starts it) refuses a `--policy-pack-config` that disables a
 * mandatory policy, at its Configure RPC (where the CLI delivers that file) and at load when
 * HYBRID_POLICY_CONFIG names it. A disabled policy never runs, so nothing else could report it.
 */
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { configOfRequest, guardConfigure } from "../../policy/configureGuard";
import { allPolicies } from "../../policy/policies";
import { REPO_ROOT } from "../../tools/offline";

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js");
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const REASON = "flow logs are collected by the org-wide Transit Gateway";

/** The Configure request the Pulumi CLI sends for a `--policy-pack-config` file. */
function configureRequest(settings: Record<string, { level: "advisory" | "mandatory" | "disabled"; props?: Record<string, unknown> }>): unknown {
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    const levels = {
        advisory: analyzerproto.EnforcementLevel.ADVISORY,
        mandatory: analyzerproto.EnforcementLevel.MANDATORY,
        disabled: analyzerproto.EnforcementLevel.DISABLED,
    };
    for (const [name, s] of Object.entries(settings)) {
        const config = new analyzerproto.PolicyConfig();
        config.setEnforcementlevel(levels[s.level]);
        config.setProperties(Struct.fromJavaScript(s.props ?? {}));
        req.getPolicyconfigMap().set(name, config);
    }
    return req;
}

/** Starts the pack as the CLI does; resolves its port, or rejects with its exit code and stderr. */
function startPack(env: Record<string, string> = {}): { pack: ChildProcess; port: Promise<string> } {
    const pack = spawn(path.join(REPO_ROOT, "node_modules", ".bin", "tsx"), ["index.ts"], {
        cwd: path.join(REPO_ROOT, "policy"),
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    pack.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = new Promise<string>((resolve, reject) => {
        let buffered = "";
        pack.stdout!.on("data", (chunk: Buffer) => {
            buffered += chunk.toString();
            const line = buffered.split("\n")[0];
            if (buffered.includes("\n") && /^\d+$/.test(line.trim())) resolve(line.trim());
        });
        pack.on("exit", (code) => reject(Object.assign(new Error(`policy pack exited with ${code}`), { code, stderr })));
    });
    return { pack, port };
}

describe("the served pack refuses a config that disables a mandatory policy", function () {
    this.timeout(120_000);
    const dir = mkdtempSync(path.join(tmpdir(), "hybrid-pack-configure-"));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("guardConfigure wraps only the configure handler and refuses before server.js stores the config", () => {
        const registered: Record<string, unknown>[] = [];
        class FakeServer {
            addService(_service: unknown, impl: Record<string, unknown>) {
                registered.push(impl);
            }
        }
        guardConfigure(FakeServer, allPolicies);
        const stored: unknown[] = [];
        const analyze = () => undefined;
        new FakeServer().addService(
            {},
            { analyze, configure: (call: { request: unknown }, cb: (e: unknown) => void) => (stored.push(configOfRequest(call.request)), cb(null)) },
        );
        assert.equal(registered[0].analyze, analyze);
        const configure = registered[0].configure as (call: { request: unknown }, cb: (e: unknown) => void) => void;
        const errors: unknown[] = [];
        configure({ request: configureRequest({ "vpc-flow-logs": { level: "disabled", props: { waiverReason: REASON } } }) }, (e) => errors.push(e));
        assert.equal(stored.length, 0, "the refused config never reaches server.js");
        assert.match(String((errors[0] as { details: string }).details), /"vpc-flow-logs" is mandatory and cannot be disabled/);
        configure({ request: configureRequest({ "vpc-flow-logs": { level: "advisory", props: { waiverReason: REASON } } }) }, (e) => errors.push(e));
        assert.deepEqual(stored, [{ "vpc-flow-logs": { enforcementLevel: "advisory", waiverReason: REASON } }]);
        assert.equal(errors[1], null);
    });

    it("over gRPC: Configure with a disabled mandatory policy fails with the one-line reason; an advisory waiver is accepted", async () => {
        const { pack, port } = startPack();
        try {
            const client = new AnalyzerClient(`127.0.0.1:${await port}`, grpc.credentials.createInsecure());
            const configure = (req: unknown) =>
                new Promise<void>((resolve, reject) => client.configure(req, (err: Error | null) => (err ? reject(err) : resolve())));
            await assert.rejects(
                configure(configureRequest({ "vpc-flow-logs": { level: "disabled", props: { waiverReason: REASON } } })),
                (e: Error & { code?: number; details?: string }) => {
                    assert.equal(e.code, grpc.status.INVALID_ARGUMENT);
                    assert.match(e.details ?? "", /^--policy-pack-config: "vpc-flow-logs" is mandatory and cannot be disabled/);
                    return true;
                },
            );
            await configure(configureRequest({ "vpc-flow-logs": { level: "advisory", props: { waiverReason: REASON } } }));
            client.close();
        } finally {
            pack.kill();
        }
    });

    it("at load: HYBRID_POLICY_CONFIG naming a file that disables a mandatory policy stops the pack before it serves", async () => {
        const file = path.join(dir, "disabled.json");
        writeFileSync(file, JSON.stringify({ "vpc-flow-logs": { enforcementLevel: "disabled", waiverReason: REASON } }));
        const { pack, port } = startPack({ HYBRID_POLICY_CONFIG: file });
        try {
            await assert.rejects(port, (e: Error & { code?: number; stderr?: string }) => {
                assert.notEqual(e.code, 0);
                assert.match(e.stderr ?? "", /"vpc-flow-logs" is mandatory and cannot be disabled/);
                return true;
            });
        } finally {
            pack.kill();
        }
    });
});
