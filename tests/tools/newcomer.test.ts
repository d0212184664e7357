/**
 * What a new user trips on, tried as one would on a fresh clone (issue #10, item 8): each mistake is
 * exit 2 and one line that says what to do, never a stack trace, a raw ENOENT or a silent wrong plan.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { allPolicies } from "../../policy/policies";
import { validatePackConfig } from "../../policy/waivers";
import { checkConfigFitsStack, invocationDir, knownStacks } from "../../tools/cliInput";
import { main as failover } from "../../tools/failover";
import { REPO_ROOT, readStackConfig, stackConfigPath } from "../../tools/offline";
import { main as plan } from "../../tools/plan";
import { main as policy } from "../../tools/policy";

const work = mkdtempSync(path.join(tmpdir(), "newcomer-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs a CLI in-process, capturing what it prints on stdout and stderr. */
async function run(cli: () => Promise<number>): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const [log, error] = [console.log, console.error];
    console.log = (...a: unknown[]) => void out.push(a.join(" "));
    console.error = (...a: unknown[]) => void err.push(a.join(" "));
    try {
        return { code: await cli(), out, err };
    } finally {
        [console.log, console.error] = [log, error];
    }
}

const planCli = (...argv: string[]) => run(() => plan(argv));
const policyCli = (...argv: string[]) =>
    run(() =>
        policy(
            argv,
            (l) => console.log(l),
            (l) => console.error(l),
        ),
    );

/** One line on stderr, starting "error:", without a stack frame. */
function assertOneLine(err: string[]): string {
    assert.equal(err.length, 1, err.join("\n"));
    assert.equal(err[0].split("\n").length, 1, err[0]);
    assert.match(err[0], /^error: /);
    assert.doesNotMatch(err[0], /\n\s+at |ENOENT: no such file/);
    return err[0];
}

/** Runs `body` as if `npm run <script>` had been typed in `dir` (npm itself runs scripts from the package root). */
async function asNpmScriptIn<T>(script: string, dir: string, body: () => Promise<T>): Promise<T> {
    const saved = { event: process.env.npm_lifecycle_event, initCwd: process.env.INIT_CWD };
    process.env.npm_lifecycle_event = script;
    process.env.INIT_CWD = dir;
    try {
        return await body();
    } finally {
        for (const [key, value] of [
            ["npm_lifecycle_event", saved.event],
            ["INIT_CWD", saved.initCwd],
        ] as const) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
        }
    }
}

/** A stack file: a committed one with `edit` applied to its YAML text. */
function stackFile(name: string, from: string, edit: (yaml: string) => string): string {
    const file = path.join(work, name);
    const text = readFileSync(stackConfigPath(from), "utf8");
    const edited = edit(text);
    assert.notEqual(edited, text, "the edit changed nothing");
    writeFileSync(file, edited);
    return file;
}

describe("what a newcomer trips on", () => {
    describe("output files", () => {
        it("plan --json into a missing folder: exit 2, one line naming the folder, before any planning", async () => {
            const json = path.join(work, "no-such-folder", "p.json");
            const { code, out, err } = await planCli("--stack", "prod", "--json", json);
            assert.equal(code, 2);
            assert.ok(assertOneLine(err).includes(path.dirname(json)), err[0]);
            assert.deepEqual(out, [], "nothing planned");
        });

        it("policy --sarif into a missing folder: exit 2, one line naming the folder", async () => {
            const resources = path.join(work, "empty-plan.json");
            writeFileSync(resources, JSON.stringify({ resources: [] }));
            const sarif = path.join(work, "no-such-folder", "r.sarif");
            const { code, err } = await policyCli("--resources", resources, "--sarif", sarif);
            assert.equal(code, 2);
            assert.ok(assertOneLine(err).includes(path.dirname(sarif)), err[0]);
        });
    });

    describe("relative paths", () => {
        it("resolve against the folder npm run was typed in, not the repository root", async () => {
            const where = path.join(work, "sub");
            mkdirSync(where, { recursive: true });
            const config = await asNpmScriptIn("plan", where, () => planCli("--stack", "prod", "--config", "mine.yaml"));
            assert.equal(config.code, 2);
            assert.ok(assertOneLine(config.err).includes(path.join(where, "mine.yaml")), config.err[0]);
            const json = await asNpmScriptIn("plan", where, () => planCli("--stack", "prod", "--json", "out/p.json"));
            assert.ok(assertOneLine(json.err).includes(path.join(where, "out")), json.err[0]);

            writeFileSync(path.join(where, "plan.json"), JSON.stringify({ resources: [] }));
            const { code } = await asNpmScriptIn("policy", where, () => policyCli("--resources", "plan.json", "--sarif", "r.sarif"));
            assert.equal(code, 0);
            assert.ok(existsSync(path.join(where, "r.sarif")), "the SARIF lands where the user is");
            assert.ok(!existsSync(path.join(REPO_ROOT, "r.sarif")));
        });

        it("INIT_CWD counts only for the script npm is running (child processes inherit it)", () => {
            assert.equal(invocationDir("plan", { npm_lifecycle_event: "plan", INIT_CWD: "/somewhere" }), "/somewhere");
            assert.equal(invocationDir("plan", { npm_lifecycle_event: "test", INIT_CWD: "/somewhere" }), process.cwd());
            assert.equal(invocationDir("plan", {}), process.cwd());
        });
    });

    describe("stack names", () => {
        it("an unknown --stack lists the stacks that exist and suggests the nearest", async () => {
            assert.deepEqual(knownStacks(), ["bootstrap", "dev", "dr", "prod"]);
            const { code, err } = await planCli("--stack", "prd");
            assert.equal(code, 2);
            assert.match(assertOneLine(err), /no stack "prd".*stacks here: bootstrap, dev, dr, prod; did you mean "prod"\?/);
        });

        it("dr.primaryStack naming no stack names the key and the stacks that exist", async () => {
            const config = stackFile("dr-prodd.yaml", "dr", (t) => t.replace(/primaryStack: ["']?prod["']?/, "primaryStack: prodd"));
            const { code, err } = await planCli("--stack", "dr", "--config", config);
            assert.equal(code, 2);
            assert.match(assertOneLine(err), /hybrid-platform:dr\.primaryStack: .*stacks here: bootstrap, dev, dr, prod; did you mean "prod"\?.*got "prodd"/);
        });

        it("refuses --stack dr --config Pulumi.prod.yaml: role prod planned under dr's name", async () => {
            const { code, err } = await planCli("--stack", "dr", "--config", stackConfigPath("prod"));
            assert.equal(code, 2);
            assert.match(assertOneLine(err), /role prod config, but stack dr is role dr .*--stack prod/);
        });

        it("accepts a config of the stack's own role, and any config under a new stack name", () => {
            const dr = readStackConfig(stackConfigPath("dr"));
            const prod = readStackConfig(stackConfigPath("prod"));
            assert.doesNotThrow(() => checkConfigFitsStack("dr", dr, path.join(work, "dr-variant.yaml")));
            assert.doesNotThrow(() => checkConfigFitsStack("staging", prod, stackConfigPath("prod")));
            assert.throws(() => checkConfigFitsStack("prod", dr, stackConfigPath("dr")), /role dr config, but stack prod is role prod .*--stack dr/);
        });
    });

    describe("typos in values", () => {
        it("a misspelt policy name in a policy config gets a did-you-mean, through the CLI as one line", async () => {
            assert.throws(
                () => validatePackConfig({ "vpc-flow-log": "advisory" }, allPolicies),
                /unknown policy "vpc-flow-log" \(did you mean "vpc-flow-logs"\?\)/,
            );
            assert.throws(
                () => validatePackConfig({ "tier-subnets-span-azs": { minAZCounts: 2 } }, allPolicies),
                /no setting "minAZCounts" \(did you mean "minAzCount"\?\)/,
            );
            const resources = path.join(work, "empty-plan.json");
            writeFileSync(resources, JSON.stringify({ resources: [] }));
            const config = path.join(work, "typo-policy.json");
            writeFileSync(config, JSON.stringify({ "vpc-flow-log": { enforcementLevel: "advisory", waiverReason: "a dev stack without flow logs" } }));
            const { code, err } = await policyCli("--resources", resources, "--policy-config", config);
            assert.equal(code, 2);
            assert.match(assertOneLine(err), /did you mean "vpc-flow-logs"\?/);
        });

        it("an unquoted kubernetesVersion: 1.30 (YAML reads 1.3) gets a hint to quote it", async () => {
            const config = stackFile("unquoted-version.yaml", "prod", (t) => t.replace(/kubernetesVersion: "1\.35"/, "kubernetesVersion: 1.30"));
            const { code, err } = await planCli("--stack", "prod", "--config", config);
            assert.equal(code, 2);
            assert.match(
                assertOneLine(err),
                /hybrid-platform:app\.kubernetesVersion: .*in quotes \(YAML reads an unquoted 1\.30 as the number 1\.3\), got 1\.3$/,
            );
        });
    });

    it("failover without the Pulumi CLI on PATH: exit 2, one line saying so", async () => {
        const saved = process.env.PATH;
        process.env.PATH = mkdtempSync(path.join(work, "empty-bin-"));
        try {
            const { code, err } = await run(() => failover(["--stack", "dr"]));
            assert.equal(code, 2);
            assert.match(assertOneLine(err), /Pulumi CLI is not installed or not on PATH/);
        } finally {
            process.env.PATH = saved;
        }
    });

    it("failover on a stack the backend does not have: exit 2, the CLI's own error line, not the Automation API's dump", async () => {
        // A stand-in CLI: the Automation API checks its version, then `pulumi stack select` fails as the real one does.
        const bin = mkdtempSync(path.join(work, "fake-bin-"));
        const script = [
            "#!/bin/sh",
            'case "$1" in',
            '  version) echo "v3.248.0" ;;',
            "  *) echo \"error: no stack named 'dr' found\" >&2; exit 255 ;;",
            "esac",
            "",
        ];
        writeFileSync(path.join(bin, "pulumi"), script.join("\n"), { mode: 0o755 });
        const saved = process.env.PATH;
        process.env.PATH = `${bin}${path.delimiter}${saved}`;
        try {
            const { code, err } = await run(() => failover(["--stack", "dr"]));
            assert.equal(code, 2);
            assert.match(assertOneLine(err), /^error: no stack named 'dr' found \(`pulumi stack ls`/);
        } finally {
            process.env.PATH = saved;
        }
    });

    it("plan JSON and SARIF files stay out of git", () => {
        const result = spawnSync("git", ["check-ignore", "--no-index", "plan-prod.json", "policy-dr.sarif", "prod.plan.json"], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });
        assert.equal(result.status, 0, result.stderr);
        assert.deepEqual(result.stdout.trim().split("\n"), ["plan-prod.json", "policy-dr.sarif", "prod.plan.json"]);
    });
});
