import * as assert from "node:assert/strict";
import { loadConfig } from "../../model/config";
import { configEditing, configErrorOf, configWith, planStack } from "../support";

const DATA = "hybrid-platform:data";

/** The committed prod config with the data section edited. */
const prodData = (edit: (data: Record<string, Record<string, unknown>>) => void) => configEditing("prod", DATA, edit);

describe("model/dataConfig (the data: section)", () => {
    it("reads the committed prod values", () => {
        const { data } = loadConfig(configWith("prod", {}));
        assert.equal(data.postgres.instanceClass, "db.m5.xlarge");
        assert.equal(data.postgres.engineVersion, "16.11");
        assert.equal(data.postgres.initialStorageGb, 1000);
        assert.equal(data.postgres.annualGrowthGb, 200);
        assert.equal(data.postgres.backupRetentionDays, 14);
        assert.equal(data.redis.shards, 3);
        assert.equal(data.redis.replicasPerShard, 1);
        assert.deepEqual(data.postgres.secretReplicaRegions, ["eu-west-1"], "the DR stack's region");
        assert.equal(loadConfig(configWith("dr", {})).region, "eu-west-1");
        assert.equal(data.postgres.passwordRotationDays, 30);
        assert.equal(data.onPremObjectStore?.endpoint, "minio.dc1.citizen-portal.internal:9000");
    });

    it("fills an absent section with the secure production defaults", () => {
        const { data } = loadConfig(configWith("prod", { [DATA]: undefined, "hybrid-platform:onPremObjectStorePassword": undefined }));
        assert.equal(data.postgres.instanceClass, "db.m5.xlarge");
        assert.equal(data.postgres.initialStorageGb, 1000);
        assert.equal(data.postgres.annualGrowthGb, 200);
        assert.ok(data.postgres.backupRetentionDays >= 14);
        assert.match(data.postgres.engineVersion, /^\d+\.\d+$/, "pinned major.minor");
        assert.ok(data.redis.replicasPerShard >= 1);
        assert.ok(data.redis.snapshotRetentionDays >= 1);
        assert.equal(data.documents.noncurrentVersionExpirationDays, 365);
        assert.equal(data.onPremObjectStore, undefined, "nothing on-prem unless configured");
        assert.equal(data.postgres.passwordRotationDays, 30);
        assert.equal(data.postgres.masterPasswordVersion, 1);
        assert.deepEqual(data.postgres.secretReplicaRegions, [], "no replica unless a DR region is named");
    });

    const cases: Array<{ what: string; flat: () => Record<string, string>; key: string; expected: RegExp }> = [
        {
            what: "backups shorter than 7 days",
            flat: () => prodData((d) => (d.postgres.backupRetentionDays = 3)),
            key: `${DATA}.postgres.backupRetentionDays`,
            expected: /a value >= 7, got 3/,
        },
        {
            what: "an unpinned engine version",
            flat: () => prodData((d) => (d.postgres.engineVersion = "16")),
            key: `${DATA}.postgres.engineVersion`,
            expected: /pinned PostgreSQL major\.minor/,
        },
        {
            what: "a secret replica in the secret's own region",
            flat: () => prodData((d) => (d.postgres.secretReplicaRegions = ["eu-west-1", "eu-west-2"])),
            key: `${DATA}.postgres.secretReplicaRegions[1]`,
            expected: /a region other than aws:region eu-west-2/,
        },
        {
            what: "a secret replica region listed twice",
            flat: () => prodData((d) => (d.postgres.secretReplicaRegions = ["eu-west-1", "eu-west-1"])),
            key: `${DATA}.postgres.secretReplicaRegions[1]`,
            expected: /each region once/,
        },
        {
            what: "an unknown secret replica region",
            flat: () => prodData((d) => (d.postgres.secretReplicaRegions = ["eu-west-9"])),
            key: `${DATA}.postgres.secretReplicaRegions[0]`,
            expected: /did you mean "eu-west-1"\?\), got "eu-west-9"/,
        },
        {
            what: "a rotation period of zero days",
            flat: () => prodData((d) => (d.postgres.passwordRotationDays = 0)),
            key: `${DATA}.postgres.passwordRotationDays`,
            expected: /a value >= 1, got 0/,
        },
        {
            what: "a master password version below 1",
            flat: () => prodData((d) => (d.postgres.masterPasswordVersion = 0)),
            key: `${DATA}.postgres.masterPasswordVersion`,
            expected: /a value >= 1, got 0/,
        },
        {
            what: "shards without a replica",
            flat: () => prodData((d) => (d.redis.replicasPerShard = 0)),
            key: `${DATA}.redis.replicasPerShard`,
            expected: /a value >= 1, got 0/,
        },
        {
            what: "an unknown cache engine",
            flat: () => prodData((d) => (d.redis.engine = "memcached")),
            key: `${DATA}.redis.engine`,
            expected: /one of "redis", "valkey"/,
        },
        {
            what: "a misspelt key",
            flat: () => prodData((d) => (d.postgres.instanceClas = "db.m5.xlarge")),
            key: `${DATA}.postgres.instanceClas`,
            expected: /did you mean "instanceClass"/,
        },
        {
            what: "growth whose 5-year ceiling exceeds what RDS gp3 can hold",
            flat: () => prodData((d) => Object.assign(d.postgres, { annualGrowthGb: 10_000, storageHeadroomPercent: 50 })),
            key: `${DATA}.postgres.annualGrowthGb`,
            expected: /fits RDS gp3 \(65536 GB\): the projected ceiling is 76500 GB/,
        },
        {
            what: "a maintenance window overlapping the daily backup window",
            flat: () => prodData((d) => Object.assign(d.postgres, { backupWindow: "03:30-04:30", maintenanceWindow: "sun:03:00-sun:04:00" })),
            key: `${DATA}.postgres.maintenanceWindow`,
            expected: /does not overlap the daily backup window 03:30-04:30/,
        },
        {
            what: "a backup window shorter than RDS's 30 minutes",
            flat: () => prodData((d) => (d.postgres.backupWindow = "01:00-01:15")),
            key: `${DATA}.postgres.backupWindow`,
            expected: /at least 30 minutes/,
        },
        {
            what: "a malformed window",
            flat: () => prodData((d) => (d.redis.maintenanceWindow = "monday 03:00")),
            key: `${DATA}.redis.maintenanceWindow`,
            expected: /a weekly window such as sun:03:00-sun:04:00/,
        },
        {
            what: "an on-prem object store without its password secret",
            flat: () => configWith("prod", { "hybrid-platform:onPremObjectStorePassword": undefined }),
            key: "hybrid-platform:onPremObjectStorePassword",
            expected: /pulumi config set --secret onPremObjectStorePassword/,
        },
        {
            what: "a sync CA that is not a PEM certificate",
            flat: () => prodData((d) => ((d.onPremObjectStore as Record<string, unknown>).syncAgentCaCertificate = "not a certificate")),
            key: `${DATA}.onPremObjectStore.syncAgentCaCertificate`,
            expected: /PEM certificate/,
        },
    ];
    for (const c of cases) {
        it(`rejects ${c.what} with one line naming ${c.key}`, () => {
            const error = configErrorOf(c.flat());
            assert.equal(error.key, c.key);
            assert.match(error.message, c.expected);
        });
    }

    it("rejects a ceiling that only overflows over a longer growth horizon (capacity.growthYears feeds the check)", () => {
        const base = prodData((d) => (d.postgres.annualGrowthGb = 4000));
        assert.doesNotThrow(() => loadConfig(base), "4000 GB/year x 5 years fits");
        const capacity = JSON.parse(base["hybrid-platform:capacity"]) as Record<string, unknown>;
        const longer = { ...base, "hybrid-platform:capacity": JSON.stringify({ ...capacity, growthYears: 20 }) };
        assert.equal(configErrorOf(longer).key, `${DATA}.postgres.annualGrowthGb`);
    });

    it("stops the program before any resource is declared (RunError with the one line)", async () => {
        await assert.rejects(
            planStack("prod", { config: prodData((d) => (d.redis.replicasPerShard = 0)) }),
            (e: Error) => e.message.includes(`invalid config ${DATA}.redis.replicasPerShard`) && !e.message.includes("\n    at "),
        );
    });
});
