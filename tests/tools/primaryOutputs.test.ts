import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "mocha";
import { UNKNOWN } from "../../tools/mocks";
import { Plan, UsageError, tierOf } from "../../tools/offline";
import { main } from "../../tools/plan";
import { drPrimaryOutputs, primaryStackOf, primaryStackOutputs, readPrimaryOutputs } from "../../tools/primaryOutputs";
import { BOOTSTRAP_OUTPUTS, PROD_OUTPUTS, PROD_OUTPUTS_FILE, configWith, ofType, planCli, planJsonFile, planOf } from "../support";

const FIXTURE = PROD_OUTPUTS_FILE;

describe("offline StackReference feed (npm run plan -- --stack dr)", () => {
    it("finds the configured primary stack of a dr config, and none for prod", () => {
        assert.equal(primaryStackOf(configWith("dr", {})), "prod");
        assert.equal(primaryStackOf(configWith("prod", {})), undefined);
    });

    it("feeds the outputs of the primary's offline plan in update mode (what a deployed prod reports)", async () => {
        const fed = await readPrimaryOutputs("prod");
        const prodPlan = await planOf("prod", "update");
        assert.deepEqual(fed.outputs, prodPlan.outputs);
        assert.match(fed.source, /Pulumi\.prod\.yaml/);
        assert.notEqual(fed.outputs.vpcId, UNKNOWN);
        assert.equal(fed.outputs.region, "eu-west-2");
    });

    it("keys the outputs by the configured (fully qualified) name, reading the stack file of its last segment", async () => {
        const dr = JSON.parse(configWith("dr", {})["hybrid-platform:dr"]);
        const config = configWith("dr", { "hybrid-platform:dr": JSON.stringify({ ...dr, primaryStack: "acme/hybrid-platform/prod" }) });
        const fed = await primaryStackOutputs(config, FIXTURE);
        assert.deepEqual(Object.keys(fed!).sort(), ["acme/hybrid-platform/prod", "bootstrap"], "the primary's and the bootstrap stack's");
        assert.deepEqual(fed!["acme/hybrid-platform/prod"], PROD_OUTPUTS);
        assert.equal((await readPrimaryOutputs("acme/hybrid-platform/prod")).outputs.region, "eu-west-2");
    });

    it("names the missing contract outputs as a usage error", async () => {
        const partial = path.join(tmpdir(), `prod-outputs-partial-${process.pid}.json`);
        const { albZoneId: _z, documentsKeyArn: _k, ...rest } = PROD_OUTPUTS as Record<string, unknown>;
        writeFileSync(partial, JSON.stringify(rest));
        await assert.rejects(
            primaryStackOutputs(configWith("dr", {}), partial),
            (e: unknown) => e instanceof UsageError && /lacks output\(s\) documentsKeyArn, albZoneId/.test(e.message),
        );
    });

    it("a prod that does not replicate its database secret to the DR region is a usage error naming the prod key to set", async () => {
        const elsewhere = path.join(tmpdir(), `prod-outputs-elsewhere-${process.pid}.json`);
        writeFileSync(
            elsewhere,
            JSON.stringify({
                ...PROD_OUTPUTS,
                databaseSecretReplicas: {
                    "eu-central-1": {
                        secretArn: "arn:aws:secretsmanager:eu-central-1:111122223333:secret:x-AbCdEf",
                        keyArn: "arn:aws:kms:eu-central-1:111122223333:key/k",
                    },
                },
            }),
        );
        await assert.rejects(
            primaryStackOutputs(configWith("dr", {}), elsewhere),
            (e: unknown) =>
                e instanceof UsageError &&
                /lacks output\(s\) databaseSecretReplicas\.eu-west-1 .*; add eu-west-1 to hybrid-platform:data\.postgres\.secretReplicaRegions of prod/.test(
                    e.message,
                ),
        );
        const json = path.join(tmpdir(), `dr-plan-elsewhere-${process.pid}.json`);
        const [error] = [console.error];
        const lines: string[] = [];
        console.error = (line: string) => void lines.push(line);
        try {
            assert.equal(await main(["--stack", "dr", "--primary-outputs", elsewhere, "--json", json]), 2, "exit 2");
        } finally {
            console.error = error;
        }
        assert.equal(lines.length, 1, "one line");
        assert.match(lines[0], /^error: primary stack prod lacks output\(s\) databaseSecretReplicas\.eu-west-1/);
        assert.ok(!existsSync(json), "nothing planned");
    });

    it("plans dr with --primary-outputs in update and preview mode: the StackReference holds those outputs, the DR tiers pass the policies", async () => {
        for (const preview of [false, true]) {
            // `npm run plan` itself, memoised in tests/support (tests/tools/planCli.test.ts plans the same update).
            const json = planJsonFile(`dr-fixture-${preview ? "preview" : "update"}`);
            const { code } = await planCli(["--stack", "dr", "--primary-outputs", FIXTURE, "--json", json, ...(preview ? ["--preview"] : [])]);
            assert.equal(code, 0);
            const result = { plan: JSON.parse(readFileSync(json, "utf8")) as Plan };
            const mine = new Set(["DrReplica data", "GlobalTraffic gslb", "AlertTopic alerts", "AlertTopic replication-alerts", "NetworkTier network"]);
            const byUrnMap = new Map(result.plan!.resources.map((r) => [r.urn, r]));
            const violations = result.plan!.violations.filter(
                (v) => v.enforcementLevel === "mandatory" && byUrnMap.has(v.urn) && mine.has(tierOf(result.plan!, byUrnMap.get(v.urn)!)),
            );
            assert.deepEqual(violations, []);
            const ref = ofType(result.plan!, "pulumi:pulumi:StackReference").find((r) => r.props.name === "prod")!;
            assert.ok(ref, "dr reads prod");
            assert.deepEqual(ref.props.outputs, PROD_OUTPUTS);
        }
    });

    it("feeds a prod stack its bootstrap stack only (no primary plan), and a bootstrap stack nothing", async () => {
        assert.equal(await drPrimaryOutputs(configWith("prod", {})), undefined);
        assert.deepEqual(Object.keys((await primaryStackOutputs(configWith("prod", {})))!), ["bootstrap"]);
        assert.equal(await primaryStackOutputs(configWith("bootstrap", {})), undefined);
    });

    it("names what a stack needs from the bootstrap stack and it lacks (its region's repositories, its CI role) as a usage error", async () => {
        const partial = path.join(tmpdir(), `bootstrap-outputs-partial-${process.pid}.json`);
        const { ecrRepositoryUrls, ciRoleArns } = BOOTSTRAP_OUTPUTS;
        writeFileSync(
            partial,
            JSON.stringify({ ...BOOTSTRAP_OUTPUTS, ecrRepositoryUrls: { "eu-west-2": ecrRepositoryUrls["eu-west-2"] }, ciRoleArns: { prod: ciRoleArns.prod } }),
        );
        await assert.rejects(
            primaryStackOutputs(configWith("dr", {}), FIXTURE, { stack: "dr", outputsFile: partial }),
            (e: unknown) =>
                e instanceof UsageError && /^bootstrap stack bootstrap lacks output\(s\) ecrRepositoryUrls\.eu-west-1, ciRoleArns\.dr /.test(e.message),
        );
        const { openSearchRoleArn: _o, ...rest } = BOOTSTRAP_OUTPUTS;
        writeFileSync(partial, JSON.stringify(rest));
        await assert.rejects(
            primaryStackOutputs(configWith("prod", {}), undefined, { stack: "prod", outputsFile: partial }),
            (e: unknown) => e instanceof UsageError && /lacks output\(s\) openSearchRoleArn /.test(e.message),
        );
    });
});
