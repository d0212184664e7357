import assert from "node:assert/strict";
import { describe, it } from "mocha";
import { ConfigError, loadConfig } from "../../model/config";
import { drModeOf, missingPrimaryOutputs, shortStackName } from "../../model/drConfig";
import { configWith } from "../support";

const DR = "hybrid-platform:dr";
const committedDr = () => JSON.parse(configWith("dr", {})[DR]) as Record<string, unknown>;
const withDr = (changes: Record<string, unknown>) => configWith("dr", { [DR]: JSON.stringify({ ...committedDr(), ...changes }) });

function rejects(config: Record<string, string>, key: string, expected: RegExp): void {
    assert.throws(
        () => loadConfig(config),
        (e: unknown) => e instanceof ConfigError && e.key === key && expected.test(e.message),
    );
}

describe("dr config", () => {
    it("accepts the committed dr stack, with drMode standby and the RPO/RTO of the seed", () => {
        const cfg = loadConfig(configWith("dr", {}));
        assert.equal(cfg.drMode, "standby");
        assert.equal(cfg.dr?.primaryStack, "prod");
        assert.equal(cfg.dr?.primaryRegion, "eu-west-2");
        assert.equal(cfg.dr?.rpoMinutes, 15);
        assert.equal(cfg.dr?.rtoMinutes, 240);
    });

    it("fills documented defaults from a minimal section", () => {
        const cfg = loadConfig(
            configWith("dr", {
                [DR]: JSON.stringify({ primaryStack: "acme/hybrid-platform/prod", primaryRegion: "eu-west-2" }),
                "hybrid-platform:drMode": undefined,
            }),
        );
        assert.deepEqual(
            { ...cfg.dr, drMode: cfg.drMode },
            {
                primaryStack: "acme/hybrid-platform/prod",
                primaryRegion: "eu-west-2",
                rpoMinutes: 15,
                rtoMinutes: 240,
                databaseInstanceClass: "db.m5.xlarge",
                databaseParameterGroupFamily: "postgres16",
                replicaLagAlarmSeconds: 300,
                replicationLatencyAlarmSeconds: 600,
                gslb: { routing: "weighted", healthCheckPath: "/healthz", awsWeight: 100 },
                drMode: undefined,
            },
        );
    });

    it("treats an unset drMode as standby", () => {
        assert.equal(drModeOf(loadConfig(configWith("dr", { "hybrid-platform:drMode": undefined }))), "standby");
        assert.equal(drModeOf(loadConfig(configWith("dr", { "hybrid-platform:drMode": "active" }))), "active");
    });

    it("requires the dr section for role dr", () => {
        rejects(configWith("dr", { [DR]: undefined }), "hybrid-platform:dr", /dr section/);
    });

    it("rejects a dr section or a drMode on the prod role (prod never references dr)", () => {
        rejects(configWith("prod", { [DR]: JSON.stringify({ primaryStack: "prod", primaryRegion: "eu-west-1" }) }), "hybrid-platform:dr", /prod role/);
        rejects(configWith("prod", { "hybrid-platform:drMode": "standby" }), "hybrid-platform:drMode", /prod role/);
    });

    it("rejects a primary region equal to the stack's own region", () => {
        rejects(withDr({ primaryRegion: "eu-west-1" }), "hybrid-platform:dr.primaryRegion", /other than aws:region eu-west-1/);
    });

    it("rejects a drMode other than standby or active, suggesting the near one", () => {
        rejects(configWith("dr", { "hybrid-platform:drMode": "activ" }), "hybrid-platform:drMode", /did you mean "active"/);
    });

    it("rejects alarm thresholds at or over the RPO", () => {
        rejects(withDr({ replicaLagAlarmSeconds: 900 }), "hybrid-platform:dr.replicaLagAlarmSeconds", /under the RPO \(900 s\)/);
        rejects(withDr({ rpoMinutes: 8, replicationLatencyAlarmSeconds: 600 }), "hybrid-platform:dr.replicationLatencyAlarmSeconds", /under the RPO \(480 s\)/);
    });

    it("rejects an RTO not longer than the RPO, and out-of-range objectives", () => {
        rejects(withDr({ rpoMinutes: 30, rtoMinutes: 30, replicaLagAlarmSeconds: 300 }), "hybrid-platform:dr.rtoMinutes", /longer than the RPO/);
        rejects(withDr({ rpoMinutes: 0 }), "hybrid-platform:dr.rpoMinutes", />= 1/);
    });

    it("rejects malformed stack names, regions, paths and on-prem addresses", () => {
        rejects(withDr({ primaryStack: "org/prod stack" }), "hybrid-platform:dr.primaryStack", /stack name/);
        rejects(withDr({ primaryRegion: "eu-west-9" }), "hybrid-platform:dr.primaryRegion", /did you mean "eu-west-1"/);
        rejects(withDr({ gslb: { healthCheckPath: "healthz" } }), "hybrid-platform:dr.gslb.healthCheckPath", /absolute URL path/);
        rejects(withDr({ gslb: { onPrem: { address: "10.0.0.1" } } }), "hybrid-platform:dr.gslb.onPrem.address", /public IPv4/);
        rejects(withDr({ gslb: { onPrem: { address: "203.0.113.20", weight: 256 } } }), "hybrid-platform:dr.gslb.onPrem.weight", /<= 255/);
    });

    it("requires an on-prem latency region other than the primary region for latency routing", () => {
        rejects(
            withDr({ gslb: { routing: "latency", onPrem: { address: "203.0.113.20" } } }),
            "hybrid-platform:dr.gslb.onPrem.latencyRegion",
            /required by latency routing/,
        );
        rejects(
            withDr({ gslb: { routing: "latency", onPrem: { address: "203.0.113.20", latencyRegion: "eu-west-2" } } }),
            "hybrid-platform:dr.gslb.onPrem.latencyRegion",
            /other than primaryRegion/,
        );
        assert.equal(
            loadConfig(withDr({ gslb: { routing: "latency", onPrem: { address: "203.0.113.20", latencyRegion: "eu-central-1" } } })).dr?.gslb.routing,
            "latency",
        );
    });

    it("rejects unknown keys in the section with a suggestion", () => {
        rejects(withDr({ rpoMinute: 10 }), "hybrid-platform:dr.rpoMinute", /did you mean "rpoMinutes"/);
    });

    it("resolves fully qualified stack names and lists missing primary outputs", () => {
        assert.equal(shortStackName("acme/hybrid-platform/prod"), "prod");
        assert.equal(shortStackName("prod"), "prod");
        assert.deepEqual(
            missingPrimaryOutputs({
                region: "eu-west-2",
                databaseArn: "arn",
                documentsBucketName: "b",
                documentsBucketArn: "arn",
                documentsKeyArn: "k",
                albDnsName: "d",
            }),
            ["databaseSecretReplicas", "albZoneId"],
        );
    });

    it("requires prod to replicate its database secret to the DR region", () => {
        const outputs = {
            region: "eu-west-2",
            databaseArn: "arn",
            documentsBucketName: "b",
            documentsBucketArn: "arn",
            documentsKeyArn: "k",
            albDnsName: "d",
            albZoneId: "Z",
        };
        const replicas = {
            "eu-west-1": { secretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf", keyArn: "arn:aws:kms:eu-west-1:111122223333:key/k" },
        };
        assert.deepEqual(missingPrimaryOutputs({ ...outputs, databaseSecretReplicas: replicas }, "eu-west-1"), []);
        assert.deepEqual(missingPrimaryOutputs({ ...outputs, databaseSecretReplicas: replicas }, "eu-central-1"), ["databaseSecretReplicas.eu-central-1"]);
        assert.deepEqual(missingPrimaryOutputs({ ...outputs, databaseSecretReplicas: {} }, "eu-west-1"), ["databaseSecretReplicas.eu-west-1"]);
        assert.deepEqual(missingPrimaryOutputs({ ...outputs, databaseSecretReplicas: replicas }), [], "without a region only the output itself is required");
    });
});
