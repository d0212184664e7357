/**
 * The README's documented real path (issue #11 finding 23): every `pulumi preview/up` it shows runs the pack
 * with the stack's own policy config (dr without policy/config/dr.json is blocked by 3 mandatory violations),
 * and the state never lives in the primary region (the DR runbook needs it while that region is down).
 */
import * as assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, readStackConfig, stackConfigPath } from "../../tools/offline";
import { policyPackOptions } from "../../tools/policyPackOptions";

const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
/** The shell lines of the README's code blocks. */
const shellLines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n")).map((l) => l.trim());
const pulumiRuns = shellLines.filter((l) => /^pulumi (preview|up)\b/.test(l));

describe("README: the documented real path", () => {
    it("documents an up of bootstrap, prod and dr", () => {
        for (const stack of ["bootstrap", "prod", "dr"])
            assert.ok(
                pulumiRuns.some((l) => l.startsWith("pulumi up") && l.includes(`--stack ${stack} `)),
                `no documented pulumi up --stack ${stack}`,
            );
    });

    it("every documented pulumi preview/up runs the pack with its stack's policy config", () => {
        assert.ok(pulumiRuns.length >= 6, pulumiRuns.join("\n"));
        for (const line of pulumiRuns) {
            const stack = /--stack (\S+)/.exec(line)?.[1];
            assert.ok(stack, `${line}: names no stack`);
            assert.match(line, /--policy-pack policy\b/, line);
            const config = /--policy-pack-config (\S+)/.exec(line)?.[1];
            assert.equal(config, `policy/config/${stack}.json`, `${line}: the pack without ${stack}'s policy config`);
            // A stack of this tree has its policy config next to it (bootstrap arrives with its own stack file).
            if (existsSync(stackConfigPath(stack))) assert.ok(existsSync(path.join(REPO_ROOT, config)), `${config} does not exist`);
        }
    });

    it("logs in to a state backend outside the primary region, in the DR region", () => {
        const logins = shellLines.filter((l) => /^pulumi login s3:/.test(l.replace(/'/g, "")));
        assert.ok(logins.length > 0, "documents the S3 backend");
        const primary = readStackConfig(stackConfigPath("prod"))["aws:region"];
        const drRegion = readStackConfig(stackConfigPath("dr"))["aws:region"];
        for (const login of logins) {
            const region = /[?&]region=([a-z0-9-]+)/.exec(login)?.[1];
            assert.notEqual(region, primary, `${login}: the state in the primary region`);
            assert.equal(region, drRegion, login);
        }
    });

    it("phase 1 of each stack's first up targets the runner list the plan writes, before the whole-stack up", () => {
        for (const stack of ["prod", "dr"]) {
            const write = shellLines.findIndex((l) => l.startsWith(`npm run plan -- --stack ${stack} --runner-targets ${stack}-runner.targets`));
            const phase1 = shellLines.findIndex((l) => l.startsWith(`pulumi up --stack ${stack} `) && l.includes(`$(cat ${stack}-runner.targets)`));
            const phase2 = shellLines.findIndex((l, i) => i > phase1 && l.startsWith(`pulumi up --stack ${stack} `) && !l.includes("runner.targets"));
            assert.ok(write >= 0 && write < phase1 && phase1 < phase2, `${stack}: plan --runner-targets, then phase 1, then phase 2`);
        }
    });
});

describe("the tools' Automation API runs (failover, release) use the pack and the stack's policy config", () => {
    it("every stack.preview / stack.up call in tools/ passes policyPackOptions", () => {
        const tools = readdirSync(path.join(REPO_ROOT, "tools")).filter((f) => f.endsWith(".ts"));
        const calls = tools.flatMap((f) =>
            [...readFileSync(path.join(REPO_ROOT, "tools", f), "utf8").matchAll(/stack\.(preview|up)\(\{([^}]*)\}\)/g)].map((m) => ({ file: f, args: m[2] })),
        );
        assert.ok(calls.length >= 3, "the failover's preview and up, the release's up");
        for (const c of calls) assert.match(c.args, /\.\.\.pack\b/, `${c.file}: stack.preview/up({${c.args}}) without the pack`);
    });

    it("points at the pack and at an existing policy config of the stack, whatever form the stack name takes", () => {
        for (const name of ["prod", "dr", "dev", "org/hybrid-platform/dr"]) {
            const o = policyPackOptions(name);
            assert.deepEqual(o.policyPacks, [path.join(REPO_ROOT, "policy")]);
            assert.equal(o.policyPackConfigs.length, 1);
            assert.ok(existsSync(o.policyPackConfigs[0]), o.policyPackConfigs[0]);
            assert.equal(path.basename(o.policyPackConfigs[0]), `${name.split("/").pop()}.json`);
        }
    });
});
