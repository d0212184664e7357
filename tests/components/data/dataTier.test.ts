import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadConfig } from "../../../model/config";
import { arnInRegion } from "../../../model/regions";
import { databaseStorage } from "../../../model/storage";
import { MASTER_USERNAME, RDS_PASSWORD_EXCLUDED } from "../../../components/data/postgresDatabase";
import { POSTGRES_ROTATION_APP } from "../../../model/versions";
import { MOCK_ACCOUNT_ID, PlatformMocks, UNKNOWN } from "../../../tools/mocks";
import { Plan, PlannedResource, REDACTED } from "../../../tools/offline";
import * as aws from "@pulumi/aws";
import { SecureBucket } from "../../../components/security/secureBucket";
import {
    SOC_DESTINATION_ARN,
    byUrn,
    configWith,
    dataTierAlone,
    ofType,
    one,
    planCli,
    planComponent,
    planJsonFile,
    planOf,
    planStack,
    socForwardingConfig,
} from "../../support";

const KEY = "aws:kms/key:Key";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const DB = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const BUCKET = "aws:s3/bucket:Bucket";
const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Custom resources a property points at, followed by URN (works in preview, where IDs are unknown). */
function targets(plan: Plan, r: PlannedResource, prop: string): PlannedResource[] {
    const resources = byUrn(plan);
    return (r.propertyDependencies[prop] ?? []).map((u) => resources.get(u)).filter((x): x is PlannedResource => x?.custom === true);
}
function target(plan: Plan, r: PlannedResource, prop: string): PlannedResource {
    const found = targets(plan, r, prop);
    assert.equal(found.length, 1, `${r.name}.${prop} should point at exactly one resource, got ${found.map((f) => f.name).join(", ")}`);
    return found[0];
}
/** Whether a property points at the given resource (among others, or none for foreign resources). */
const pointsAt = (plan: Plan, r: PlannedResource, prop: string, urn: string) => targets(plan, r, prop).some((t) => t.urn === urn);
const keyOf = (plan: Plan, domain: string) => one(plan, KEY, `data-${domain}`);
const isSecret = (v: unknown) =>
    typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] !== undefined && (v as { value: unknown }).value === REDACTED;
/** A value that is redacted, or (preview) not yet known: either way no plaintext. */
const hidden = (v: unknown) => isSecret(v) || v === UNKNOWN;
/** An ElastiCache user's authenticationMode carries its passwords only hidden. */
const passwordsHidden = (mode: unknown) => isSecret(mode) || ((mode as { passwords?: unknown[] }).passwords ?? [undefined]).every(hidden);
const policyOf = (r: PlannedResource, prop = "policy") => JSON.parse(String(r.props[prop])) as { Statement: Array<Record<string, any>> };

/** Resources attached to a bucket through their `bucket` property. */
const onBucket = (plan: Plan, type: string, bucket: PlannedResource) =>
    ofType(plan, type).filter((r) => targets(plan, r, "bucket").some((b) => b.urn === bucket.urn));

const prodCfg = loadConfig(configWith("prod", {}));

for (const mode of ["update", "preview"] as const) {
    describe(`DataTier (prod, ${mode} mode)`, () => {
        let plan: Plan;
        let db: PlannedResource;
        let redis: PlannedResource;
        let clients: PlannedResource;
        let documents: PlannedResource;
        let logs: PlannedResource;
        before(async () => {
            plan = await planOf("prod", mode);
            db = one(plan, DB, "data-postgres");
            redis = one(plan, REDIS, "data-redis");
            clients = one(plan, SG, "data-clients");
            documents = one(plan, BUCKET, "data-documents");
            logs = one(plan, BUCKET, "data-documents-logs");
        });

        it("composes PostgresDatabase, RedisCache, DocumentStore and OnPremObjectStore under one DataTier", () => {
            const tier = one(plan, "hybrid:data:DataTier", "data");
            for (const [type, name] of [
                ["hybrid:data:PostgresDatabase", "data-postgres"],
                ["hybrid:data:RedisCache", "data-redis"],
                ["hybrid:data:DocumentStore", "data-documents"],
                ["hybrid:data:OnPremObjectStore", "data-onprem"],
            ]) {
                assert.equal(one(plan, type, name).parent, tier.urn, `${type} is a child of the DataTier`);
            }
        });

        describe("KMS", () => {
            it("has one rotating customer-managed key per data domain, with an alias", () => {
                for (const domain of ["database", "cache", "documents", "secrets", "logs"]) {
                    const key = keyOf(plan, domain);
                    assert.equal(key.props.enableKeyRotation, true, domain);
                    assert.equal(key.props.rotationPeriodInDays, 365, domain);
                    assert.equal(key.props.deletionWindowInDays, 30, domain);
                    const alias = one(plan, "aws:kms/alias:Alias", `data-${domain}`);
                    assert.equal(alias.props.name, `alias/hybrid-platform/prod/${domain}`);
                    assert.equal(target(plan, alias, "targetKeyId").urn, key.urn);
                }
            });

            it("scopes key policies to the account, and the logs key to CloudWatch Logs and S3 log delivery of this account", () => {
                for (const domain of ["database", "cache", "documents", "secrets"]) {
                    const statements = policyOf(keyOf(plan, domain)).Statement;
                    assert.deepEqual(
                        statements.map((s) => s.Principal),
                        [{ AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` }],
                        `${domain}: only the account's IAM`,
                    );
                }
                const statements = policyOf(keyOf(plan, "logs")).Statement;
                const logsGrant = statements.find((s) => s.Principal?.Service === "logs.eu-west-2.amazonaws.com")!;
                assert.deepEqual(logsGrant.Condition, {
                    ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-2:${MOCK_ACCOUNT_ID}:log-group:*` },
                });
                const s3Grant = statements.find((s) => s.Principal?.Service === "logging.s3.amazonaws.com")!;
                assert.deepEqual(s3Grant.Condition, { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } });
                assert.deepEqual(s3Grant.Action, ["kms:GenerateDataKey*", "kms:Decrypt"]);
                assert.equal(statements.length, 3, "the account, CloudWatch Logs and S3 log delivery, nothing else");
            });
        });

        describe("data clients security group", () => {
            it("admits nothing, and lets members reach only PostgreSQL (5432) and Redis (6379)", () => {
                assert.equal(clients.props.ingress, undefined);
                assert.equal(ofType(plan, INGRESS).filter((r) => pointsAt(plan, r, "securityGroupId", clients.urn)).length, 0);
                const egress = ofType(plan, EGRESS).filter((r) => pointsAt(plan, r, "securityGroupId", clients.urn));
                const dbSg = target(plan, db, "vpcSecurityGroupIds");
                const redisSg = target(plan, redis, "securityGroupIds");
                assert.deepEqual(
                    egress.map((r) => [r.props.ipProtocol, r.props.fromPort, r.props.toPort, target(plan, r, "referencedSecurityGroupId").urn]).sort(),
                    [
                        ["tcp", 5432, 5432, dbSg.urn],
                        ["tcp", 6379, 6379, redisSg.urn],
                    ].sort(),
                );
                for (const r of egress) assert.equal(r.props.cidrIpv4, undefined);
            });
        });

        describe("RDS PostgreSQL", () => {
            it("runs a pinned PostgreSQL on the configured class, Multi-AZ, private", () => {
                assert.equal(db.props.engine, "postgres");
                assert.equal(db.props.engineVersion, "16.11");
                assert.match(String(db.props.engineVersion), /^\d+\.\d+$/, "pinned major.minor");
                assert.equal(db.props.autoMinorVersionUpgrade, false);
                assert.equal(db.props.instanceClass, "db.m5.xlarge");
                assert.equal(db.props.multiAz, true);
                assert.equal(db.props.publiclyAccessible, false);
            });

            it("allocates 1 TB of gp3 with an autoscaling ceiling derived from the capacity plan", () => {
                const expected = databaseStorage({ initialGb: 1000, annualGrowthGb: 200, years: prodCfg.capacity.growthYears, headroomPercent: 20 });
                assert.equal(db.props.storageType, "gp3");
                assert.equal(db.props.allocatedStorage, 1000);
                assert.equal(db.props.maxAllocatedStorage, expected.maxAllocatedStorage);
                assert.ok((db.props.maxAllocatedStorage as number) >= 1000 + 200 * 5, "covers 5 years at 200 GB/year");
            });

            it("encrypts storage and Performance Insights with the database key", () => {
                assert.equal(db.props.storageEncrypted, true);
                assert.equal(target(plan, db, "kmsKeyId").urn, keyOf(plan, "database").urn);
                assert.equal(db.props.performanceInsightsEnabled, true);
                assert.equal(target(plan, db, "performanceInsightsKmsKeyId").urn, keyOf(plan, "database").urn);
            });

            it("lives in the isolated subnets behind a group that admits 5432 from data clients only", () => {
                const subnetGroup = target(plan, db, "dbSubnetGroupName");
                const subnets = targets(plan, subnetGroup, "subnetIds");
                assert.equal(subnets.length, 3);
                for (const s of subnets) assert.equal((s.props.tags as Record<string, string>)["hybrid:tier"], "isolated");
                const sg = target(plan, db, "vpcSecurityGroupIds");
                const ingress = ofType(plan, INGRESS).filter((r) => pointsAt(plan, r, "securityGroupId", sg.urn));
                const rotation = one(plan, SG, "data-postgres-rotation");
                assert.deepEqual(
                    ingress.map((r) => target(plan, r, "referencedSecurityGroupId").urn).sort(),
                    [clients.urn, rotation.urn].sort(),
                    "data clients and the rotation function",
                );
                for (const rule of ingress) {
                    assert.equal(rule.props.fromPort, 5432);
                    assert.equal(rule.props.toPort, 5432);
                    assert.equal(rule.props.cidrIpv4, undefined);
                }
                assert.equal(sg.props.ingress, undefined);
            });

            describe("master password", () => {
                const SECRET = "aws:secretsmanager/secret:Secret";
                const VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
                let generator: PlannedResource;
                let secret: PlannedResource;
                let version: PlannedResource;
                before(() => {
                    generator = one(plan, RANDOM_PASSWORD, "data-postgres-master");
                    secret = one(plan, SECRET, "data-postgres-master");
                    version = one(plan, VERSION, "data-postgres-master");
                });

                it("is generated, without the characters RDS refuses, and reaches RDS only write-only (not RDS-managed: that rules out the DR replica)", () => {
                    assert.equal(target(plan, db, "passwordWo").urn, generator.urn);
                    assert.ok(hidden(db.props.passwordWo));
                    assert.equal(db.props.passwordWoVersion, 1);
                    assert.equal(db.props.password, undefined, "no password prop (kept in the state)");
                    assert.equal(db.props.manageMasterUserPassword, undefined, "RDS cannot create a read replica of a source whose password it manages");
                    assert.equal(db.props.username, MASTER_USERNAME);
                    assert.equal(generator.props.length, 40);
                    for (const c of String(generator.props.overrideSpecial))
                        assert.ok(!RDS_PASSWORD_EXCLUDED.includes(c), `special ${JSON.stringify(c)} is allowed by RDS`);
                    for (const c of ["/", "@", '"', " "]) assert.ok(RDS_PASSWORD_EXCLUDED.includes(c), `${JSON.stringify(c)} is excluded`);
                });

                it("is stored, write-only and in the rotation function's format, in a secret encrypted with the secrets key", () => {
                    assert.equal(target(plan, secret, "kmsKeyId").urn, keyOf(plan, "secrets").urn);
                    assert.equal(secret.props.recoveryWindowInDays, 30);
                    assert.equal(target(plan, version, "secretId").urn, secret.urn);
                    assert.ok(pointsAt(plan, version, "secretStringWo", generator.urn), "the same generated password");
                    assert.ok(pointsAt(plan, version, "secretStringWo", db.urn), "with the database's host and port");
                    assert.ok(hidden(version.props.secretStringWo));
                    assert.equal(version.props.secretString, undefined);
                    assert.equal(version.props.secretStringWoVersion, db.props.passwordWoVersion);
                });

                it("is replicated to the DR region under a CMK this stack creates there", () => {
                    const replicaKey = one(plan, KEY, "data-secrets-eu-west-1");
                    assert.equal(replicaKey.props.region, "eu-west-1");
                    assert.equal(replicaKey.props.enableKeyRotation, true);
                    assert.equal(one(plan, "aws:kms/alias:Alias", "data-secrets-eu-west-1").props.region, "eu-west-1");
                    const replicas = secret.props.replicas as Array<{ region: string; kmsKeyId: unknown }>;
                    assert.deepEqual(
                        replicas.map((r) => r.region),
                        ["eu-west-1"],
                    );
                    assert.ok(pointsAt(plan, secret, "replicas", replicaKey.urn));
                    if (mode === "update") assert.equal(replicas[0].kmsKeyId, replicaKey.props.arn);
                });

                it("is rotated every 30 days by AWS's pinned PostgreSQL rotation function in the private tier", () => {
                    const rotation = one(plan, "aws:secretsmanager/secretRotation:SecretRotation", "data-postgres-master");
                    const app = one(plan, "aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "data-postgres-rotation");
                    assert.equal(target(plan, rotation, "secretId").urn, secret.urn);
                    assert.equal(target(plan, rotation, "rotationLambdaArn").urn, app.urn);
                    assert.deepEqual(rotation.props.rotationRules, { automaticallyAfterDays: 30 });
                    assert.ok(rotation.dependencies.includes(version.urn), "rotates only a secret that has a value");
                    assert.equal(app.props.applicationId, POSTGRES_ROTATION_APP.applicationId);
                    assert.match(String(app.props.semanticVersion), /^\d+\.\d+\.\d+$/, "pinned");
                    assert.deepEqual([...(app.props.capabilities as string[])].sort(), ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"]);
                    const params = app.props.parameters as Record<string, unknown>;
                    assert.equal(params.functionName, "data-postgres-prod-rotation");
                    assert.equal(params.endpoint, "https://secretsmanager.eu-west-2.amazonaws.com");
                    assert.equal(params.excludeCharacters, RDS_PASSWORD_EXCLUDED);
                    const subnets = targets(plan, app, "parameters").filter((r) => r.type === "aws:ec2/subnet:Subnet");
                    assert.equal(subnets.length, 3);
                    for (const s of subnets)
                        assert.equal(
                            (s.props.tags as Record<string, string>)["hybrid:tier"],
                            "private",
                            "reaches the database and the endpoints (the isolated NACL admits only data ports)",
                        );
                    assert.ok(pointsAt(plan, app, "parameters", keyOf(plan, "secrets").urn), "may use the secrets key");
                    assert.ok(pointsAt(plan, app, "parameters", one(plan, SG, "data-postgres-rotation").urn));
                    const logGroup = one(plan, LOG_GROUP, "data-postgres-rotation");
                    assert.equal(logGroup.props.name, "/aws/lambda/data-postgres-prod-rotation");
                    assert.equal(target(plan, logGroup, "kmsKeyId").urn, keyOf(plan, "logs").urn);
                    assert.equal(logGroup.props.retentionInDays, 365);
                    assert.ok(app.dependencies.includes(logGroup.urn), "the group exists before Lambda would create an unencrypted one");
                });

                it("gives the rotation function PostgreSQL and the API endpoints, nothing else", () => {
                    const sg = one(plan, SG, "data-postgres-rotation");
                    assert.equal(sg.props.ingress, undefined);
                    assert.equal(sg.props.egress, undefined);
                    const egress = ofType(plan, EGRESS).filter((r) => pointsAt(plan, r, "securityGroupId", sg.urn));
                    assert.deepEqual(
                        egress.map((r) => [r.props.fromPort, target(plan, r, "referencedSecurityGroupId").urn]).sort(),
                        [
                            [443, one(plan, SG, "network-endpoints").urn],
                            [5432, target(plan, db, "vpcSecurityGroupIds").urn],
                        ].sort(),
                    );
                    assert.equal(ofType(plan, INGRESS).filter((r) => pointsAt(plan, r, "securityGroupId", sg.urn)).length, 0);
                });

                if (mode === "update") {
                    it("break glass: raising masterPasswordVersion generates and sets a new password", async () => {
                        const bumped = await dataTierAlone({ config: { data: (d) => void (d.postgres.masterPasswordVersion = 2) } });
                        assert.deepEqual(one(bumped, RANDOM_PASSWORD, "data-postgres-master").props.keepers, { version: "2" }, "a new generation");
                        assert.equal(one(bumped, DB, "data-postgres").props.passwordWoVersion, 2);
                        assert.equal(one(bumped, VERSION, "data-postgres-master").props.secretStringWoVersion, 2);
                        assert.deepEqual(generator.props.keepers, { version: "1" });
                    });
                }
            });

            it("enforces TLS and useful logging through its parameter group", () => {
                const pg = target(plan, db, "parameterGroupName");
                assert.equal(pg.props.family, "postgres16");
                const params = Object.fromEntries((pg.props.parameters as Array<{ name: string; value: string }>).map((p) => [p.name, p.value]));
                assert.equal(params["rds.force_ssl"], "1");
                assert.equal(params.ssl_min_protocol_version, "TLSv1.3");
                assert.equal(params.log_connections, "1");
                assert.equal(params.log_disconnections, "1");
                assert.equal(params.log_min_duration_statement, "1000");
                assert.equal(params.log_statement, "ddl");
            });

            it("keeps 14 days of point-in-time backups, copies tags, and is protected with a final snapshot in production", () => {
                assert.equal(db.props.backupRetentionPeriod, 14);
                assert.equal(db.props.copyTagsToSnapshot, true);
                assert.equal(db.props.deletionProtection, true);
                assert.equal(db.props.skipFinalSnapshot, false);
                assert.equal(db.props.finalSnapshotIdentifier, "data-postgres-prod-final");
                assert.equal(db.props.deleteAutomatedBackups, false);
                assert.equal(db.protect, true, "pulumi destroy refuses without an explicit unprotect");
                assert.equal(db.props.backupWindow, "01:00-02:00");
                assert.equal(db.props.maintenanceWindow, "sun:03:00-sun:04:00");
            });

            it("has IAM authentication, Enhanced Monitoring through a scoped role, and log exports to CMK-encrypted groups", () => {
                assert.equal(db.props.iamDatabaseAuthenticationEnabled, true);
                assert.equal(db.props.monitoringInterval, 15);
                const role = target(plan, db, "monitoringRoleArn");
                if (mode === "update") {
                    const trust = policyOf(role, "assumeRolePolicy").Statement[0];
                    assert.deepEqual(trust.Principal, { Service: "monitoring.rds.amazonaws.com" });
                    assert.deepEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } });
                }
                assert.deepEqual(db.props.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
                for (const log of ["postgresql", "upgrade"]) {
                    const group = ofType(plan, LOG_GROUP).find((g) => g.props.name === `/aws/rds/instance/data-postgres-prod/${log}`);
                    assert.ok(group, `log group for ${log}`);
                    assert.equal(group.props.retentionInDays, 365);
                    assert.equal(target(plan, group, "kmsKeyId").urn, keyOf(plan, "logs").urn);
                    assert.ok(db.dependencies.includes(group.urn), "created before RDS would create it unencrypted");
                }
            });
        });

        describe("ElastiCache Redis", () => {
            it("runs cluster mode with 3 shards, a replica each, automatic failover across AZs", () => {
                assert.equal(redis.props.engine, "redis");
                assert.equal(redis.props.engineVersion, "7.1");
                assert.equal(redis.props.clusterMode, "enabled");
                assert.equal(redis.props.parameterGroupName, "default.redis7.cluster.on");
                assert.equal(redis.props.numNodeGroups, 3);
                assert.equal(redis.props.replicasPerNodeGroup, 1);
                assert.equal(redis.props.automaticFailoverEnabled, true);
                assert.equal(redis.props.multiAzEnabled, true);
                assert.equal(redis.props.nodeType, "cache.m6g.large");
            });

            it("encrypts at rest with the cache key and requires TLS", () => {
                assert.equal(redis.props.atRestEncryptionEnabled, true);
                assert.equal(target(plan, redis, "kmsKeyId").urn, keyOf(plan, "cache").urn);
                assert.equal(redis.props.transitEncryptionEnabled, true);
                assert.equal(redis.props.transitEncryptionMode, "required");
                assert.equal(redis.props.authToken, undefined, "AUTH through RBAC, no token prop");
            });

            it("authenticates through an RBAC user group: default user off, app user with a Secrets Manager password", () => {
                const group = target(plan, redis, "userGroupIds");
                const users = targets(plan, group, "userIds");
                const byName = Object.fromEntries(users.map((u) => [u.props.userName, u]));
                assert.deepEqual(Object.keys(byName).sort(), ["app", "default"]);
                assert.equal(byName.default.props.accessString, "off -@all");
                assert.match(String(byName.app.props.accessString), /^on .*-@dangerous/);
                const appPassword = one(plan, RANDOM_PASSWORD, "data-redis-app");
                assert.ok(
                    targets(plan, byName.app, "authenticationMode").some((r) => r.urn === appPassword.urn),
                    "the app user takes the generated password",
                );
                assert.ok(passwordsHidden(byName.app.props.authenticationMode), "the password travels as a secret");
                const version = one(plan, "aws:secretsmanager/secretVersion:SecretVersion", "data-redis-auth");
                assert.ok(
                    targets(plan, version, "secretString").some((r) => r.urn === appPassword.urn),
                    "the same password is stored",
                );
                const secret = target(plan, version, "secretId");
                assert.equal(target(plan, secret, "kmsKeyId").urn, keyOf(plan, "secrets").urn);
                assert.equal(secret.props.recoveryWindowInDays, 30);
            });

            it("keeps 7 days of snapshots, sits in the isolated subnets, admits 6379 from data clients only", () => {
                assert.equal(redis.props.snapshotRetentionLimit, 7);
                assert.equal(redis.props.snapshotWindow, "02:00-03:00");
                assert.equal(redis.props.finalSnapshotIdentifier, "data-redis-prod-final");
                const subnets = targets(plan, target(plan, redis, "subnetGroupName"), "subnetIds");
                assert.equal(subnets.length, 3);
                for (const s of subnets) assert.equal((s.props.tags as Record<string, string>)["hybrid:tier"], "isolated");
                const sg = target(plan, redis, "securityGroupIds");
                const ingress = ofType(plan, INGRESS).filter((r) => pointsAt(plan, r, "securityGroupId", sg.urn));
                assert.deepEqual(
                    ingress.map((r) => [r.props.fromPort, r.props.toPort, r.props.cidrIpv4]),
                    [[6379, 6379, undefined]],
                );
                assert.equal(target(plan, ingress[0], "referencedSecurityGroupId").urn, clients.urn);
            });

            it("delivers slow and engine logs as JSON to CMK-encrypted log groups kept a year", () => {
                const deliveries = redis.props.logDeliveryConfigurations as Array<Record<string, unknown>>;
                assert.deepEqual(deliveries.map((d) => [d.logType, d.destinationType, d.logFormat]).sort(), [
                    ["engine-log", "cloudwatch-logs", "json"],
                    ["slow-log", "cloudwatch-logs", "json"],
                ]);
                const groups = targets(plan, redis, "logDeliveryConfigurations");
                assert.equal(groups.length, 2);
                for (const g of groups) {
                    assert.equal(g.props.retentionInDays, 365);
                    assert.equal(target(plan, g, "kmsKeyId").urn, keyOf(plan, "logs").urn);
                }
                assert.deepEqual(deliveries.map((d) => d.destination).sort(), groups.map((g) => g.props.name).sort());
            });
        });

        describe("S3 documents and access logs", () => {
            it("encrypts documents with the documents key and an S3 bucket key", () => {
                const [sse] = onBucket(plan, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", documents);
                const rule = (sse.props.rules as Array<Record<string, any>>)[0];
                assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
                assert.equal(rule.bucketKeyEnabled, true);
                assert.equal(target(plan, sse, "rules").urn, keyOf(plan, "documents").urn);
            });

            it("encrypts the access-log bucket with SSE-S3, the only default encryption S3 delivers access logs to (issue #11)", () => {
                const [sse] = onBucket(plan, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", logs);
                const rule = (sse.props.rules as Array<Record<string, any>>)[0];
                assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
                assert.match(String((logs.props.tags as Record<string, string>)["hybrid-platform/sse-s3-reason"]), /server access log/);
            });

            it("versions both buckets, blocks public access and disables ACLs", () => {
                for (const bucket of [documents, logs]) {
                    const [versioning] = onBucket(plan, "aws:s3/bucketVersioning:BucketVersioning", bucket);
                    assert.deepEqual(versioning.props.versioningConfiguration, { status: "Enabled" });
                    const [pab] = onBucket(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket);
                    for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
                        assert.equal(pab.props[flag], true, `${bucket.name} ${flag}`);
                    const [ownership] = onBucket(plan, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", bucket);
                    assert.deepEqual(ownership.props.rule, { objectOwnership: "BucketOwnerEnforced" });
                    assert.equal(bucket.props.forceDestroy, false);
                }
                assert.equal(documents.protect, true, "documents survive a pulumi destroy in production");
            });

            it("names buckets per stack and account", () => {
                assert.equal(documents.props.bucket, `hybrid-platform-prod-documents-${MOCK_ACCOUNT_ID}`);
                assert.equal(logs.props.bucket, `hybrid-platform-prod-access-logs-${MOCK_ACCOUNT_ID}`);
            });

            it("ages out noncurrent document versions and expires access logs", () => {
                const [docRules] = onBucket(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", documents).map(
                    (l) => l.props.rules as Array<Record<string, any>>,
                );
                const noncurrent = docRules.find((r) => r.noncurrentVersionExpiration)!;
                assert.equal(noncurrent.status, "Enabled");
                assert.deepEqual(noncurrent.noncurrentVersionExpiration, { noncurrentDays: 365 });
                assert.deepEqual(noncurrent.noncurrentVersionTransitions, [{ noncurrentDays: 30, storageClass: "STANDARD_IA" }]);
                assert.ok(docRules.some((r) => r.abortIncompleteMultipartUpload?.daysAfterInitiation === 7));
                const [logRules] = onBucket(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", logs).map(
                    (l) => l.props.rules as Array<Record<string, any>>,
                );
                assert.ok(logRules.some((r) => r.expiration?.days === 400));
            });

            it("logs document access to the log bucket, after the log bucket admits S3 log delivery", () => {
                const [logging] = onBucket(plan, "aws:s3/bucketLogging:BucketLogging", documents);
                assert.ok(targets(plan, logging, "targetBucket").some((r) => r.urn === logs.urn));
                assert.equal(logging.props.targetPrefix, "s3-access/documents/");
                const [logPolicy] = onBucket(plan, "aws:s3/bucketPolicy:BucketPolicy", logs);
                assert.ok(logging.dependencies.includes(logPolicy.urn));
            });

            if (mode === "update") {
                it("denies every request not over TLS 1.2+ on both buckets", () => {
                    for (const bucket of [documents, logs]) {
                        const [policy] = onBucket(plan, "aws:s3/bucketPolicy:BucketPolicy", bucket);
                        const statements = policyOf(policy).Statement;
                        const arn = `arn:aws:s3:::${bucket.props.bucket}`;
                        const insecure = statements.find((s) => s.Condition?.Bool?.["aws:SecureTransport"] === "false")!;
                        assert.equal(insecure.Effect, "Deny");
                        assert.equal(insecure.Principal, "*");
                        assert.deepEqual(insecure.Resource, [arn, `${arn}/*`]);
                        assert.ok(statements.some((s) => s.Effect === "Deny" && s.Condition?.NumericLessThan?.["s3:TlsVersion"] === "1.2"));
                    }
                });

                it("lets S3 log delivery write only the documents bucket's logs, from this account", () => {
                    const [policy] = onBucket(plan, "aws:s3/bucketPolicy:BucketPolicy", logs);
                    const allows = policyOf(policy).Statement.filter((s) => s.Effect === "Allow");
                    assert.equal(allows.length, 1, "the only writer");
                    const grant = allows.find((s) => s.Sid === "S3ServerAccessLogs")!;
                    assert.deepEqual(grant.Principal, { Service: "logging.s3.amazonaws.com" });
                    assert.equal(grant.Action, "s3:PutObject");
                    assert.equal(grant.Resource, `arn:aws:s3:::${logs.props.bucket}/s3-access/documents/*`);
                    assert.deepEqual(grant.Condition, {
                        StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
                        ArnLike: { "aws:SourceArn": documents.props.arn },
                    });
                });
            }
        });

        describe("on-prem MinIO object store", () => {
            it("provisions through its own MinIO provider over TLS, with the password as a secret", () => {
                const [provider] = ofType(plan, "pulumi:providers:minio");
                assert.equal(provider.props.minioServer, "minio.dc1.citizen-portal.internal:9000");
                assert.equal(provider.props.minioUser, "pulumi-provisioner");
                assert.equal(String(provider.props.minioSsl), "true");
                assert.equal(String(provider.props.minioInsecure), "false");
                assert.ok(isSecret(provider.props.minioPassword), "password redacted");
                for (const r of plan.resources.filter((x) => x.type.startsWith("minio:")))
                    assert.ok(r.provider?.startsWith(`${provider.urn}::`), `${r.name} uses the MinIO provider`);
            });

            it("creates a versioned bucket with noncurrent versions aged out", () => {
                const bucket = one(plan, "minio:index/s3Bucket:S3Bucket", "data-onprem");
                assert.equal(bucket.props.bucket, "hybrid-platform-prod-documents");
                assert.equal(bucket.props.acl, "private");
                const versioning = one(plan, "minio:index/s3BucketVersioning:S3BucketVersioning", "data-onprem");
                assert.equal((versioning.props.versioningConfiguration as Record<string, unknown>).status, "Enabled");
                const ilm = one(plan, "minio:index/ilmPolicy:IlmPolicy", "data-onprem");
                assert.equal((ilm.props.rules as Array<Record<string, unknown>>)[0].noncurrentVersionExpirationDays, 90);
            });

            it("syncs to S3 through IAM Roles Anywhere: a role trusted only via the trust anchor and CN, writing only its prefix", () => {
                const anchor = one(plan, "aws:rolesanywhere/trustAnchor:TrustAnchor", "data-onprem-sync");
                const source = anchor.props.source as { sourceType: string; sourceData: { x509CertificateData: string } };
                assert.equal(source.sourceType, "CERTIFICATE_BUNDLE");
                assert.match(source.sourceData.x509CertificateData, /^-----BEGIN CERTIFICATE-----/);
                const profile = one(plan, "aws:rolesanywhere/profile:Profile", "data-onprem-sync");
                const role = target(plan, profile, "roleArns");
                assert.equal(role.name, "data-onprem-sync");
                const rolePolicy = one(plan, "aws:iam/rolePolicy:RolePolicy", "data-onprem-sync");
                assert.ok(targets(plan, rolePolicy, "policy").some((r) => r.urn === documents.urn));
                if (mode === "update") {
                    const trust = policyOf(role, "assumeRolePolicy").Statement[0];
                    assert.deepEqual(trust.Principal, { Service: "rolesanywhere.amazonaws.com" });
                    assert.equal(trust.Condition.ArnEquals["aws:SourceArn"], anchor.props.arn);
                    assert.equal(trust.Condition.StringEquals["aws:PrincipalTag/x509Subject/CN"], "minio-sync.dc1.citizen-portal.internal");
                    const statements = policyOf(rolePolicy).Statement;
                    const write = statements.find((s) => s.Sid === "SyncOwnPrefix")!;
                    assert.equal(write.Resource, `${documents.props.arn}/onprem/*`);
                    assert.ok(!JSON.stringify(statements).includes('"*"'), "no wildcard resource");
                }
            });
        });

        it("has the audit trail record object-level access to the documents bucket", () => {
            const [trail] = ofType(plan, "aws:cloudtrail/trail:Trail");
            assert.ok(targets(plan, trail, "advancedEventSelectors").some((r) => r.urn === documents.urn));
            if (mode === "update") {
                const selectors = trail.props.advancedEventSelectors as Array<{ fieldSelectors: Array<{ field: string; startsWiths?: string[] }> }>;
                const arns = selectors.flatMap((s) => s.fieldSelectors).find((f) => f.field === "resources.ARN")?.startsWiths;
                assert.deepEqual(arns, [`${documents.props.arn}/`]);
            }
        });

        it("carries no plaintext password or secret anywhere in the plan", () => {
            const text = JSON.stringify(plan);
            assert.ok(!text.includes("offline-secret:"), "the MinIO password never appears");
            for (const pw of ofType(plan, RANDOM_PASSWORD)) {
                assert.ok(isSecret(pw.props.result), `${pw.name}.result redacted`);
                assert.ok(isSecret(pw.props.bcryptHash), `${pw.name}.bcryptHash redacted`);
            }
            for (const user of ofType(plan, "aws:elasticache/user:User"))
                assert.ok(passwordsHidden(user.props.authenticationMode), `${user.name} password redacted`);
            assert.ok(hidden(one(plan, "aws:secretsmanager/secretVersion:SecretVersion", "data-redis-auth").props.secretString));
            if (mode === "update") {
                for (const user of ofType(plan, "aws:elasticache/user:User"))
                    assert.ok(isSecret(user.props.authenticationMode), `${user.name}: known, so redacted`);
            }
            for (const r of ofType(plan, DB)) assert.equal(r.props.password, undefined);
            for (const r of ofType(plan, REDIS)) assert.equal(r.props.authToken, undefined);
            if (mode === "update") {
                // The very values the mock provider generated must not occur in clear.
                const mocks = new PlatformMocks({ region: "eu-west-2", preview: false });
                for (const pw of ofType(plan, RANDOM_PASSWORD)) {
                    const generated = mocks.newResource({
                        type: RANDOM_PASSWORD,
                        name: pw.name,
                        inputs: { length: pw.props.length },
                        provider: "",
                        custom: true,
                        id: "",
                    }).state.result as { value: string };
                    assert.ok(generated.value.length >= 32);
                    assert.ok(!text.includes(generated.value), `${pw.name}'s value appears in clear`);
                }
            }
        });

        it("exports what AppCluster and the DR stack need", () => {
            const outputs = plan.outputs;
            for (const key of [
                "databaseArn",
                "databaseIdentifier",
                "databaseEndpoint",
                "databaseKeyArn",
                "databaseSecretArn",
                "documentsBucketName",
                "documentsBucketArn",
                "documentsKeyArn",
                "redisConfigurationEndpoint",
                "logBucketName",
                "dataClientSecurityGroupId",
                "redisAuthSecretArn",
                "cacheKeyArn",
                "secretsKeyArn",
                "databaseSecretReplicas",
                "databaseRotationFunctionArn",
            ]) {
                assert.ok(key in outputs, `output ${key}`);
            }
            if (mode === "update") {
                assert.equal(outputs.databaseArn, db.props.arn);
                assert.equal(outputs.databaseIdentifier, "data-postgres-prod");
                assert.equal(outputs.databaseEndpoint, db.props.endpoint);
                const secret = one(plan, "aws:secretsmanager/secret:Secret", "data-postgres-master");
                assert.equal(outputs.databaseSecretArn, secret.props.arn);
                assert.deepEqual(outputs.databaseSecretReplicas, {
                    "eu-west-1": { secretArn: arnInRegion(String(secret.props.arn), "eu-west-1"), keyArn: one(plan, KEY, "data-secrets-eu-west-1").props.arn },
                });
                assert.match(String(outputs.databaseRotationFunctionArn), /^arn:aws:lambda:eu-west-2:\d{12}:function:data-postgres-prod-rotation$/);
                assert.equal(outputs.databaseKeyArn, keyOf(plan, "database").props.arn);
                assert.equal(outputs.cacheKeyArn, keyOf(plan, "cache").props.arn);
                assert.equal(outputs.secretsKeyArn, keyOf(plan, "secrets").props.arn);
                assert.equal(outputs.documentsKeyArn, keyOf(plan, "documents").props.arn);
                assert.equal(outputs.documentsBucketName, documents.props.bucket);
                assert.equal(outputs.documentsBucketArn, documents.props.arn);
                assert.equal(outputs.logBucketName, logs.props.bucket);
                assert.equal(outputs.redisConfigurationEndpoint, redis.props.configurationEndpointAddress);
                assert.equal(outputs.dataClientSecurityGroupId, clients.id);
                assert.equal(outputs.redisAuthSecretArn, one(plan, "aws:secretsmanager/secret:Secret", "data-redis-auth").props.arn);
            } else {
                assert.equal(outputs.databaseEndpoint, UNKNOWN, "unknown until RDS creates it");
            }
        });
    });
}

describe("DataTier in `npm run plan -- --stack prod --json`", () => {
    it("writes the data tier's resources with their settings, and no secret in clear", async () => {
        // The same run as tests/tools/planCli.test.ts's (memoised): one CLI plan of prod.
        const file = planJsonFile("prod");
        const { code } = await planCli(["--stack", "prod", "--json", file]);
        assert.equal(code, 0);
        const text = readFileSync(file, "utf8");
        const plan = JSON.parse(text) as Plan;
        const db = one(plan, DB, "data-postgres");
        assert.equal(db.props.multiAz, true);
        assert.ok(isSecret(db.props.passwordWo), "the write-only master password is a redacted secret in the plan");
        assert.ok(isSecret(one(plan, "aws:secretsmanager/secretVersion:SecretVersion", "data-postgres-master").props.secretStringWo));
        assert.equal(one(plan, REDIS, "data-redis").props.transitEncryptionEnabled, true);
        assert.equal(ofType(plan, "aws:s3/bucketVersioning:BucketVersioning").filter((v) => v.name.startsWith("data-documents")).length, 2);
        assert.ok(!text.includes("offline-secret:"));
        for (const pw of ofType(plan, RANDOM_PASSWORD)) assert.ok(isSecret(pw.props.result));
        assert.ok(isSecret(one(plan, "aws:secretsmanager/secretVersion:SecretVersion", "data-redis-auth").props.secretString));
    });
});

describe("SecureBucket SSE-S3 opt-out", () => {
    it("refuses a bucket without a CMK unless an SSE-S3 reason is given, and tags the reason", async () => {
        const program = (sseS3Reason?: string) => () =>
            new SecureBucket("logs", { bucketName: "test-logs", sseS3Reason }, { providers: [new aws.Provider("test", { region: "eu-west-2" })] });
        await assert.rejects(planComponent(program()), /keyArn is required unless sseS3Reason is given/);
        const plan = await planComponent(program("ALB access log delivery supports SSE-S3 only"));
        const [sse] = ofType(plan, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        assert.deepEqual(sse.props.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
        const [bucket] = ofType(plan, "aws:s3/bucket:Bucket");
        assert.equal((bucket.props.tags as Record<string, string>)["hybrid-platform/sse-s3-reason"], "ALB access log delivery supports SSE-S3 only");
    });
});

describe("DataTier options", () => {
    it("creates nothing on-prem without onPremObjectStore config", async () => {
        const plan = await dataTierAlone({ config: { data: (data) => delete data.onPremObjectStore } });
        assert.equal(plan.resources.filter((r) => r.type.startsWith("minio:") || r.type === "pulumi:providers:minio").length, 0);
        assert.equal(plan.resources.filter((r) => r.type.startsWith("aws:rolesanywhere/")).length, 0);
        assert.equal(ofType(plan, DB).length, 1, "the rest of the data tier is unchanged");
    });

    // Config -> stack wiring (the prod stack hands the data tier's log groups to the audit trail): the whole stack.
    it("forwards the database, password rotation and cache logs to the SOC with the flow logs", async () => {
        const socDestinationArn = SOC_DESTINATION_ARN;
        const plan = await planStack("prod", { config: socForwardingConfig() });
        const forwarded = ofType(plan, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter");
        const groups = forwarded.filter((f) => f.props.destinationArn === socDestinationArn).map((f) => f.props.logGroup);
        for (const name of [
            "/aws/rds/instance/data-postgres-prod/postgresql",
            "/aws/rds/instance/data-postgres-prod/upgrade",
            "/aws/lambda/data-postgres-prod-rotation",
            "/hybrid-platform/elasticache/data-redis-prod/slow-log",
            "/hybrid-platform/elasticache/data-redis-prod/engine-log",
        ]) {
            assert.ok(groups.includes(name), `${name} forwarded`);
        }
    });

    it("outside production: no deletion protection or final snapshots, shorter secret recovery", async () => {
        const plan = await dataTierAlone({ args: { production: false } });
        const db = one(plan, DB, "data-postgres");
        assert.equal(db.props.deletionProtection, false);
        assert.equal(db.props.skipFinalSnapshot, true);
        assert.equal(db.props.finalSnapshotIdentifier, undefined);
        assert.equal(db.protect, false);
        assert.equal(one(plan, BUCKET, "data-documents").protect, false);
        assert.equal(one(plan, REDIS, "data-redis").props.finalSnapshotIdentifier, undefined);
        assert.equal(one(plan, "aws:secretsmanager/secret:Secret", "data-redis-auth").props.recoveryWindowInDays, 7);
    });

    it("follows the config: Valkey, more shards and replicas, a longer horizon raising the storage ceiling", async () => {
        const plan = await dataTierAlone({
            config: {
                data: (data) => (data.redis = { ...data.redis, engine: "valkey", engineVersion: "8.0", shards: 5, replicasPerShard: 2 }),
                capacity: (capacity) => (capacity.growthYears = 10),
            },
        });
        const redis = one(plan, REDIS, "data-redis");
        assert.equal(redis.props.engine, "valkey");
        assert.equal(redis.props.parameterGroupName, "default.valkey8.cluster.on");
        assert.equal(redis.props.numNodeGroups, 5);
        assert.equal(redis.props.replicasPerNodeGroup, 2);
        for (const u of ofType(plan, "aws:elasticache/user:User")) assert.equal(u.props.engine, "valkey");
        assert.equal(
            one(plan, DB, "data-postgres").props.maxAllocatedStorage,
            databaseStorage({ initialGb: 1000, annualGrowthGb: 200, years: 10 }).maxAllocatedStorage,
        );
    });
});
