/** The DR tier's contracts: what DrReplica reads from prod, the DR side's DataEndpoints, and validate-first for its components. */
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { runtimeStatements } from "../../../components/data/endpoints";
import { drDataEndpoints } from "../../../components/dr/drEndpoints";
import { DrReplica, DrReplicaArgs } from "../../../components/dr/drReplica";
import { GlobalTraffic, GlobalTrafficArgs } from "../../../components/dr/globalTraffic";
import { WarmCache, WarmCacheArgs } from "../../../components/dr/warmCache";
import { loadConfig } from "../../../model/config";
import { POSTGRES_PORT, REDIS_PORT } from "../../../model/ports";
import { REQUIRED_PRIMARY_OUTPUTS } from "../../../model/primaryOutputs";
import { Plan } from "../../../tools/offline";
import { PROD_OUTPUTS, configWith, ofType, one, planComponent, stackOutputsFor } from "../../support";
import { PASSED_ACCOUNT, assertRejectsArgs, planCountingLookups } from "../../support/args";

const DR = { stack: "dr" } as const;
const config = loadConfig(configWith("dr", {}));
const SUBNETS = ["subnet-a", "subnet-b", "subnet-c"];
const inDr = () => ({ providers: [new aws.Provider("test", { region: "eu-west-1" })] });
const replicaArgs = (changes: Partial<DrReplicaArgs> = {}): DrReplicaArgs => ({
    primaryStack: "prod",
    primaryRegion: "eu-west-2",
    region: "eu-west-1",
    accountId: PASSED_ACCOUNT,
    primaryProvider: new aws.Provider("primary", { region: "eu-west-2" }),
    vpcId: "vpc-dr",
    isolatedSubnetIds: SUBNETS,
    alarmTopicArn: "arn:aws:sns:eu-west-1:111122223333:alerts",
    primaryAlarmTopicArn: "arn:aws:sns:eu-west-2:111122223333:replication-alerts",
    ...changes,
});
const CACHE: Omit<WarmCacheArgs, "clientSecurityGroupId"> = {
    region: "eu-west-1",
    accountId: PASSED_ACCOUNT,
    vpcId: "vpc-dr",
    subnetIds: SUBNETS,
    rotationSubnetIds: SUBNETS,
    apiEndpointSecurityGroupId: "sg-endpoints",
    redis: config.data.redis,
};

/** DrReplica and WarmCache under the dr stack, fed the prod fixture, returning what they read and provide; planned once. */
let drDataPlan: Promise<Plan> | undefined;
const planDrData = (): Promise<Plan> =>
    (drDataPlan ??= planComponent(
        () => {
            const replica = new DrReplica("data", replicaArgs(), inDr());
            const cache = new WarmCache("cache", { ...CACHE, clientSecurityGroupId: replica.clientSecurityGroupId }, inDr());
            const e = drDataEndpoints(replica, cache, "eu-west-1");
            return {
                primary: replica.primary,
                endpoints: {
                    databaseHost: e.databaseHost,
                    databasePort: e.databasePort,
                    redisHost: e.redisHost,
                    redisPort: e.redisPort,
                    clientSecurityGroupId: e.clientSecurityGroupId,
                    grant: e.grantRuntime({ documents: true }),
                },
            };
        },
        { stack: "dr", stackOutputs: stackOutputsFor("dr") },
    ));

describe("DrReplica: what it reads from prod", () => {
    it("reads exactly the outputs the contract marks as read by dr, with prod's values", async () => {
        const plan = await planDrData();
        const primary = plan.outputs.primary as Record<string, unknown>;
        assert.deepEqual(Object.keys(primary).sort(), [...REQUIRED_PRIMARY_OUTPUTS].sort());
        for (const key of REQUIRED_PRIMARY_OUTPUTS) assert.deepEqual(primary[key], PROD_OUTPUTS[key], key);
    });

    it("admits the client group through a separate ingress rule: no inline rules on its security groups", async () => {
        const plan = await planDrData();
        for (const sg of ofType(plan, "aws:ec2/securityGroup:SecurityGroup").filter((g) => g.urn.includes("hybrid:dr:DrReplica"))) {
            assert.deepEqual([sg.props.ingress, sg.props.egress], [undefined, undefined], `${sg.name} has no inline rules`);
        }
        const rule = one(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "data-database-from-clients");
        assert.equal(rule.props.securityGroupId, one(plan, "aws:ec2/securityGroup:SecurityGroup", "data-database").id);
        assert.equal(rule.props.referencedSecurityGroupId, one(plan, "aws:ec2/securityGroup:SecurityGroup", "data-clients").id);
        assert.deepEqual([rule.props.fromPort, rule.props.toPort, rule.props.ipProtocol], [POSTGRES_PORT, POSTGRES_PORT, "tcp"]);
    });

    it("names its keys by the one alias scheme", async () => {
        const plan = await planDrData();
        const aliases = ofType(plan, "aws:kms/alias:Alias")
            .map((a) => a.props.name)
            .sort();
        assert.deepEqual(aliases, [
            "alias/hybrid-platform/dr/cache-cache",
            "alias/hybrid-platform/dr/cache-logs",
            "alias/hybrid-platform/dr/cache-secrets",
            "alias/hybrid-platform/dr/database",
            // The DR database's exported logs (issue #11).
            "alias/hybrid-platform/dr/database-logs",
            "alias/hybrid-platform/dr/documents",
        ]);
    });
});

describe("the DR side's DataEndpoints (DrReplica + WarmCache)", () => {
    it("serves the replica's database and documents and the warm cache, and grants the secret replica, the cache secret and their keys", async () => {
        const plan = await planDrData();
        const out = plan.outputs.endpoints as Record<string, unknown>;
        assert.equal(out.databaseHost, one(plan, "aws:rds/instance:Instance", "data-database").props.address);
        assert.equal(out.redisHost, one(plan, "aws:elasticache/replicationGroup:ReplicationGroup", "cache").props.configurationEndpointAddress);
        assert.deepEqual([out.databasePort, out.redisPort], [POSTGRES_PORT, REDIS_PORT]);
        assert.equal(out.clientSecurityGroupId, one(plan, "aws:ec2/securityGroup:SecurityGroup", "data-clients").id);
        const replicaSecret = (PROD_OUTPUTS.databaseSecretReplicas as Record<string, { secretArn: string; keyArn: string }>)["eu-west-1"];
        const arn = (type: string, name: string) => one(plan, type, name).props.arn as string;
        assert.deepEqual(
            out.grant,
            runtimeStatements(
                {
                    region: "eu-west-1",
                    secretArns: [replicaSecret.secretArn, arn("aws:secretsmanager/secret:Secret", "cache-auth")],
                    secretsKeyArns: [replicaSecret.keyArn, arn("aws:kms/key:Key", "cache-secrets")],
                    documentsBucketArn: arn("aws:s3/bucket:Bucket", "data-documents"),
                    documentsKeyArn: arn("aws:kms/key:Key", "data-documents-key"),
                },
                { documents: true },
            ),
        );
    });
});

describe("DR components: arguments checked before anything registers", () => {
    it("DrReplica refuses a primary region equal to its own and a single isolated subnet", async () => {
        const message = await assertRejectsArgs(
            () => new DrReplica("data", replicaArgs({ primaryRegion: "eu-west-1", isolatedSubnetIds: ["subnet-a"], backupRetentionDays: 0 }), inDr()),
            ["primaryRegion", "isolatedSubnetIds", "backupRetentionDays"],
            DR,
        );
        assert.match(message, /primaryRegion eu-west-1 is this stack's region too/);
    });

    it("WarmCache refuses a single subnet before creating its keys, and looks no account up when valid", async () => {
        await assertRejectsArgs(
            () => new WarmCache("cache", { ...CACHE, subnetIds: ["subnet-a"], clientSecurityGroupId: "sg-clients" }, inDr()),
            ["subnetIds"],
            DR,
        );
        const { lookups } = await planCountingLookups(() => new WarmCache("cache", { ...CACHE, clientSecurityGroupId: "sg-clients" }, inDr()), DR);
        assert.equal(lookups, 0);
    });

    it("GlobalTraffic refuses a hostname outside its zone, out-of-range weights and latency routing without regions", async () => {
        const base: GlobalTrafficArgs = {
            zoneName: "citizen-portal.example.gov.uk",
            hostname: "portal.citizen-portal.example.gov.uk",
            primary: { dnsName: "prod-alb.eu-west-2.elb.amazonaws.com", zoneId: "ZHURV8PSTC4K8" },
            secondary: { dnsName: "dr-alb.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" },
        };
        await assertRejectsArgs(
            () => new GlobalTraffic("gslb", { ...base, hostname: "portal.example.org", awsWeight: 300 }, inDr()),
            ["hostname", "awsWeight"],
            DR,
        );
        await assertRejectsArgs(
            () => new GlobalTraffic("gslb", { ...base, routing: "latency", onPrem: { address: "198.51.100.7" } }, inDr()),
            ["awsLatencyRegion", "onPrem.latencyRegion"],
            DR,
        );
        await assertRejectsArgs(
            () => new GlobalTraffic("gslb", { ...base, onPrem: { address: "10.0.0.7", weight: -1 } }, inDr()),
            ["onPrem.address", "onPrem.weight"],
            DR,
        );
    });
});
