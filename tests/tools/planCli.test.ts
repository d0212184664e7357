import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { REPO_ROOT, readStackConfig, stackConfigPath } from "../../tools/offline";
import { PROD_OUTPUTS_FILE, planCli, planJsonFile } from "../support";

const work = mkdtempSync(path.join(tmpdir(), "plan-cli-"));

/** Writes a stack file: the committed prod config with one project key's value edited. */
function prodConfigFile(name: string, key: string, edit: (value: any) => unknown): string {
    const flat = readStackConfig(stackConfigPath("prod"));
    const config: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(flat)) config[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    const result = edit(config[key]);
    if (result !== undefined) config[key] = result;
    const file = path.join(work, `${name}.yaml`);
    writeFileSync(file, stringify({ config }));
    return file;
}

/** The CLI in-process (tests/support: memoised by its arguments, shared with other files planning the same). */
const cli = planCli;

describe("npm run plan (contract)", () => {
    it("plans prod: exit 0, JSON with the network the issue lists", async () => {
        const json = planJsonFile("prod");
        const { code, out } = await cli(["--stack", "prod", "--json", json]);
        assert.equal(code, 0);
        assert.match(out.join("\n"), /stack prod: \d+ resources/);
        const plan = JSON.parse(readFileSync(json, "utf8"));
        assert.deepEqual(Object.keys(plan).sort(), [
            "availability",
            "capacity",
            "cost",
            "criticalPath",
            "dr",
            "flows",
            "outputs",
            "resources",
            "siteValues",
            "stack",
            "violations",
        ]);
        assert.equal(plan.stack, "prod");
        for (const r of plan.resources) {
            for (const field of ["urn", "type", "name", "id", "parent", "props", "dependencies", "propertyDependencies"])
                assert.ok(field in r, `${r.urn} lacks ${field}`);
        }
        const count = (type: string) => plan.resources.filter((r: { type: string }) => r.type === type).length;
        assert.equal(count("aws:ec2/vpc:Vpc"), 1);
        assert.equal(count("aws:ec2/subnet:Subnet"), 9);
        assert.equal(count("aws:ec2/natGateway:NatGateway"), 3);
        assert.equal(count("aws:ec2/networkAcl:NetworkAcl"), 3);
        assert.equal(count("aws:ec2/flowLog:FlowLog"), 1);
        // issue #13: aps-workspaces, xray and rolesanywhere for the collectors.
        assert.equal(count("aws:ec2/vpcEndpoint:VpcEndpoint"), 11);
        assert.equal(count("aws:ec2/vpnConnection:VpnConnection"), 1);
        assert.ok(Array.isArray(plan.violations));
        // IDs assigned by the mocks join resources: every subnet's vpcId is the VPC's id.
        const vpc = plan.resources.find((r: { type: string }) => r.type === "aws:ec2/vpc:Vpc");
        assert.ok(
            plan.resources
                .filter((r: { type: string }) => r.type === "aws:ec2/subnet:Subnet")
                .every((s: { props: { vpcId: string } }) => s.props.vpcId === vpc.id),
        );
        assert.equal(plan.outputs.vpcId, vpc.id);
    });

    // issue #12: the flow matrix
    it("--flows prints the flow matrix; the JSON's flows hold each declared flow with its layers (a contract)", async () => {
        const json = planJsonFile("prod-flows");
        const { code, out } = await cli(["--stack", "prod", "--flows", "--json", json]);
        assert.equal(code, 0);
        const text = out.join("\n");
        assert.match(text, /flows: \d+ declared, 0 not as declared/);
        assert.match(text, /pods-to-postgres .* pods:django-web -> postgres/);
        const { flows } = JSON.parse(readFileSync(json, "utf8"));
        assert.ok(flows.length >= 20);
        for (const f of flows) {
            for (const field of ["name", "from", "to", "protocol", "port", "intended", "admitted", "layers"]) assert.ok(field in f, `${f.name} lacks ${field}`);
            for (const l of f.layers) assert.deepEqual(Object.keys(l).sort(), ["layer", "rule", "verdict"]);
        }
        const postgres = flows.find((f: { name: string }) => f.name === "pods-to-postgres");
        assert.equal(postgres.admitted, true);
        assert.deepEqual(
            postgres.layers.map((l: { layer: string }) => l.layer),
            ["networkPolicy", "securityGroup", "nacl", "route"],
        );
        assert.equal(flows.find((f: { name: string }) => f.name === "internet-to-postgres").admitted, false);
    });

    it("lists the site values still at their example: in the JSON (key, example, why) and with their set command", async () => {
        const json = planJsonFile("prod");
        const { code, out } = await cli(["--stack", "prod", "--json", json]);
        assert.equal(code, 0, "offline plans keep working with the examples");
        const plan = JSON.parse(readFileSync(json, "utf8"));
        const vpn = plan.siteValues.find((v: { key: string }) => v.key === "hybrid-platform:network.onPrem.vpnPeerAddress");
        assert.deepEqual(Object.keys(vpn).sort(), ["example", "key", "why"]);
        assert.equal(vpn.example, "203.0.113.10");
        const text = out.join("\n");
        assert.match(text, /site values still at their example/);
        assert.match(text, /pulumi config set --secret onPremObjectStorePassword/);
    });

    it("--runner-targets writes phase 1's --target lines: the deploy runner and the network it needs, not the cluster", async () => {
        const file = path.join(work, "prod-runner.targets");
        const { code } = await cli(["--stack", "prod", "--runner-targets", file]);
        assert.equal(code, 0);
        const lines = readFileSync(file, "utf8").trim().split("\n");
        assert.ok(
            lines.every((l) => /^--target urn:pulumi:prod::hybrid-platform::\S+$/.test(l)),
            lines[0],
        );
        assert.ok(lines.some((l) => l.endsWith("aws:codebuild/webhook:Webhook::deploy-runner")));
        assert.ok(lines.some((l) => l.includes("aws:ec2/vpnConnection:VpnConnection::")));
        assert.ok(!lines.some((l) => l.includes("hybrid:app:AppCluster")));
    });

    it("plans dr in its own region: exit 0", async () => {
        // The dr stack reads prod's outputs; these are the agreed ones (the DataTier/AppCluster outputs of prod).
        const { code, out } = await cli(["--stack", "dr", "--primary-outputs", PROD_OUTPUTS_FILE, "--json", planJsonFile("dr-fixture-update")]);
        assert.equal(code, 0);
        assert.match(out.join("\n"), /eu-west-1/);
    });

    const bad: Array<[string, string, (v: any) => unknown, string]> = [
        ["unknown-key", "hybrid-platform:network", (n) => void (n.natPerAz = true), "hybrid-platform:network.natPerAz"],
        ["malformed-cidr", "hybrid-platform:network", (n) => void (n.vpcCidr = "10.10.0/16"), "hybrid-platform:network.vpcCidr"],
        ["overlapping-cidrs", "hybrid-platform:network", (n) => void (n.onPrem.cidrs = ["10.10.0.0/24"]), "hybrid-platform:network.onPrem.cidrs[0]"],
        ["negative-number", "hybrid-platform:capacity", (c) => void (c.targetUsers = -10000), "hybrid-platform:capacity.targetUsers"],
        ["non-boolean-flag", "hybrid-platform:network", (n) => void (n.onPrem.staticRoutesOnly = "no"), "hybrid-platform:network.onPrem.staticRoutesOnly"],
        ["unknown-region", "aws:region", () => "moon-east-1", "aws:region"],
    ];
    for (const [name, key, edit, named] of bad) {
        it(`exits 2 with one line naming ${named} (${name}), writing no plan`, async () => {
            const json = path.join(work, `${name}.json`);
            const { code, out, err } = await cli(["--stack", "prod", "--config", prodConfigFile(name, key, edit), "--json", json]);
            assert.equal(code, 2);
            assert.equal(err.length, 1, err.join("\n"));
            assert.equal(err[0].split("\n").length, 1);
            assert.ok(err[0].includes(named), err[0]);
            assert.doesNotMatch(err[0], /\bat .*\.ts:\d+/, "no stack trace");
            assert.deepEqual(out, []);
            assert.equal(existsSync(json), false);
        });
    }

    it("exits 2 on usage errors: missing --stack, unreadable config", async () => {
        assert.equal((await cli([])).code, 2);
        const { code, err } = await cli(["--stack", "does-not-exist"]);
        assert.equal(code, 2);
        assert.match(err[0], /no stack "does-not-exist": there is no Pulumi.does-not-exist.yaml \(stacks here: /);
        const unreadable = await cli(["--stack", "prod", "--config", path.join(work, "missing.yaml")]);
        assert.equal(unreadable.code, 2);
        assert.match(unreadable.err[0], /cannot read stack config/);
    });

    it("as a real process: exit 2 and a single stderr line, no stack trace", () => {
        const file = prodConfigFile("process", "hybrid-platform:network", (n) => void (n.vpcCidr = "10.0.0.0/8"));
        const result = spawnSync(process.execPath, ["--require", "tsx/cjs", "tools/plan.ts", "--stack", "prod", "--config", file], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });
        assert.equal(result.status, 2, result.stderr);
        assert.deepEqual(result.stderr.trim().split("\n"), [
            'error: invalid config hybrid-platform:network.vpcCidr: expected an IPv4 CIDR from /16 to /20 (room for three tiers in every AZ), got "10.0.0.0/8"',
        ]);
        assert.equal(result.stdout, "");
    });
});
