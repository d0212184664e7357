/** The data tier's argument contracts and the DataEndpoints it provides, each component planned alone. */
import * as assert from "node:assert/strict";
import { DataTier, DataTierArgs } from "../../../components/data/dataTier";
import { DocumentStore, DocumentStoreArgs } from "../../../components/data/documentStore";
import { runtimeStatements } from "../../../components/data/endpoints";
import { OnPremObjectStore, OnPremObjectStoreArgs } from "../../../components/data/onPremObjectStore";
import { PostgresDatabase, PostgresDatabaseArgs } from "../../../components/data/postgresDatabase";
import { RedisCache, RedisCacheArgs } from "../../../components/data/redisCache";
import { loadConfig } from "../../../model/config";
import { POSTGRES_PORT, REDIS_PORT } from "../../../model/ports";
import { Plan } from "../../../tools/offline";
import { configWith, one, planComponent } from "../../support";
import { PASSED_ACCOUNT, assertRejectsArgs, inRegion, planCountingLookups } from "../../support/args";

const config = loadConfig(configWith("prod", {}));
const SUBNETS = ["subnet-a", "subnet-b", "subnet-c"];
const TIER: DataTierArgs = {
    vpcId: "vpc-1",
    isolatedSubnetIds: SUBNETS,
    privateSubnetIds: ["subnet-pa", "subnet-pb", "subnet-pc"],
    apiEndpointSecurityGroupId: "sg-endpoints",
    region: "eu-west-2",
    accountId: PASSED_ACCOUNT,
    config: config.data,
    onPremObjectStorePassword: "offline-password",
};
const tier = (changes: Partial<DataTierArgs>) => () => new DataTier("data", { ...TIER, ...changes }, inRegion());

describe("DataTier arguments and endpoints", () => {
    it("provides DataEndpoints: host names without ports, the shared ports, its client group, and the runtime grant over its secrets and keys", async () => {
        const plan: Plan = await planComponent(
            () => {
                const data = new DataTier("data", TIER, inRegion());
                const e = data.endpoints;
                return {
                    databaseHost: e.databaseHost,
                    databasePort: e.databasePort,
                    redisHost: e.redisHost,
                    redisPort: e.redisPort,
                    clientSecurityGroupId: e.clientSecurityGroupId,
                    grant: e.grantRuntime({ documents: true }),
                    secretOnly: e.grantRuntime({ documents: false }),
                };
            },
            { stack: "prod" },
        );
        const out = plan.outputs as Record<string, unknown>;
        const rds = one(plan, "aws:rds/instance:Instance", "data-postgres");
        assert.equal(out.databaseHost, rds.props.address);
        assert.doesNotMatch(String(out.databaseHost), /:\d+$/);
        assert.equal(out.redisHost, one(plan, "aws:elasticache/replicationGroup:ReplicationGroup", "data-redis").props.configurationEndpointAddress);
        assert.deepEqual([out.databasePort, out.redisPort], [POSTGRES_PORT, REDIS_PORT]);
        assert.equal(out.clientSecurityGroupId, one(plan, "aws:ec2/securityGroup:SecurityGroup", "data-clients").id);
        const arn = (type: string, name: string) => one(plan, type, name).props.arn as string;
        const inputs = {
            region: "eu-west-2",
            secretArns: [arn("aws:secretsmanager/secret:Secret", "data-postgres-master"), arn("aws:secretsmanager/secret:Secret", "data-redis-auth")],
            secretsKeyArns: [arn("aws:kms/key:Key", "data-secrets")],
            documentsBucketArn: arn("aws:s3/bucket:Bucket", "data-documents"),
            documentsKeyArn: arn("aws:kms/key:Key", "data-documents"),
        };
        assert.deepEqual(out.grant, runtimeStatements(inputs, { documents: true }));
        assert.deepEqual(out.secretOnly, runtimeStatements(inputs, { documents: false }));
    });

    it("passes the account down to every part: no lookup, bucket names and key policies carry it", async () => {
        const { plan, lookups } = await planCountingLookups(tier({}));
        assert.equal(lookups, 0);
        assert.equal(one(plan, "aws:s3/bucket:Bucket", "data-documents").props.bucket, `hybrid-platform-prod-documents-${PASSED_ACCOUNT}`);
        assert.equal(one(plan, "aws:s3/bucket:Bucket", "data-documents-logs").props.bucket, `hybrid-platform-prod-access-logs-${PASSED_ACCOUNT}`);
        const trust = JSON.parse(one(plan, "aws:iam/role:Role", "data-postgres-monitoring").props.assumeRolePolicy as string);
        assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": PASSED_ACCOUNT } });
        assert.equal(one(plan, "aws:kms/alias:Alias", "data-secrets-eu-west-1").props.name, "alias/hybrid-platform/prod/secrets-replica");
    });

    it("refuses too few isolated subnets, a secret replica in its own region and a missing MinIO password before registering anything", async () => {
        const message = await assertRejectsArgs(
            tier({
                isolatedSubnetIds: ["subnet-a"],
                onPremObjectStorePassword: undefined,
                config: { ...config.data, postgres: { ...config.data.postgres, secretReplicaRegions: ["eu-west-1", "eu-west-2"] } },
            }),
            ["isolatedSubnetIds", "config.postgres.secretReplicaRegions[1]", "onPremObjectStorePassword"],
        );
        assert.match(message, /isolatedSubnetIds has 1 subnets for 3 private ones: one per AZ in each tier/);
    });
});

describe("PostgresDatabase, RedisCache, DocumentStore and OnPremObjectStore arguments", () => {
    const KEY = "arn:aws:kms:eu-west-2:111122223333:key/k";
    const DB: PostgresDatabaseArgs = {
        vpcId: "vpc-1",
        subnetIds: SUBNETS,
        clientSecurityGroupId: "sg-clients",
        storageKeyArn: KEY,
        secretKeyArn: KEY,
        logKeyArn: KEY,
        region: "eu-west-2",
        accountId: PASSED_ACCOUNT,
        rotationSubnetIds: SUBNETS,
        apiEndpointSecurityGroupId: "sg-endpoints",
    };
    const CACHE: RedisCacheArgs = {
        vpcId: "vpc-1",
        subnetIds: SUBNETS,
        clientSecurityGroupId: "sg-clients",
        cacheKeyArn: KEY,
        secretKeyArn: KEY,
        logKeyArn: KEY,
        accountId: PASSED_ACCOUNT,
        rotationSubnetIds: SUBNETS,
        apiEndpointSecurityGroupId: "sg-endpoints",
    };
    const DOCS: DocumentStoreArgs = { accountId: PASSED_ACCOUNT, documentsKeyArn: KEY, logKeyArn: KEY };
    const onPrem = config.data.onPremObjectStore!;
    const MINIO: OnPremObjectStoreArgs = {
        endpoint: onPrem.endpoint,
        user: onPrem.user,
        password: "offline-password",
        documentsBucketArn: "arn:aws:s3:::documents",
        documentsKeyArn: KEY,
        accountId: PASSED_ACCOUNT,
        syncAgentCaCertificate: onPrem.syncAgentCaCertificate,
        syncAgentCommonName: onPrem.syncAgentCommonName,
    };

    it("PostgresDatabase refuses intervals and retentions RDS does not accept, and a secret replica in its own region", async () => {
        await assertRejectsArgs(
            () =>
                new PostgresDatabase(
                    "db",
                    { ...DB, performanceInsightsRetentionDays: 10, monitoringIntervalSeconds: 20, backupRetentionDays: 0, logRetentionDays: 366 },
                    inRegion(),
                ),
            ["performanceInsightsRetentionDays", "monitoringIntervalSeconds", "backupRetentionDays", "logRetentionDays"],
        );
        await assertRejectsArgs(
            () => new PostgresDatabase("db", { ...DB, subnetIds: ["subnet-a"], secretReplicas: [{ region: "eu-west-2", kmsKeyArn: KEY }] }, inRegion()),
            ["subnetIds", "secretReplicas[0].region"],
        );
    });

    it("RedisCache refuses a shard without a replica, one subnet and an unpinned engine version", async () => {
        await assertRejectsArgs(
            () => new RedisCache("cache", { ...CACHE, replicasPerShard: 0, subnetIds: ["subnet-a"], engineVersion: "7" }, inRegion()),
            ["replicasPerShard", "subnetIds", "engineVersion"],
        );
    });

    it("DocumentStore refuses a STANDARD_IA transition under 30 days and versions expiring before they move", async () => {
        await assertRejectsArgs(
            () => new DocumentStore("docs", { ...DOCS, noncurrentVersionTransitionDays: 10 }, inRegion()),
            ["noncurrentVersionTransitionDays"],
        );
        await assertRejectsArgs(
            () => new DocumentStore("docs", { ...DOCS, noncurrentVersionExpirationDays: 30 }, inRegion()),
            ["noncurrentVersionExpirationDays"],
        );
    });

    it("OnPremObjectStore refuses a URL for an endpoint, a non-PEM CA and an empty sync prefix", async () => {
        await assertRejectsArgs(
            () =>
                new OnPremObjectStore(
                    "onprem",
                    { ...MINIO, endpoint: "https://minio:9000", syncAgentCaCertificate: "not a certificate", syncPrefix: "" },
                    inRegion(),
                ),
            ["endpoint", "syncAgentCaCertificate", "syncPrefix"],
        );
    });
});
