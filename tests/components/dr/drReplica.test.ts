import assert from "node:assert/strict";
import { describe, it } from "mocha";
import { UNKNOWN } from "../../../tools/mocks";
import { Plan, PlannedResource, tierOf } from "../../../tools/offline";
import { MASTER_CREDENTIAL_TAG } from "../../../components/dr/drReplica";
import { MASTER_CREDENTIAL_TAG as POLICY_CREDENTIAL_TAG } from "../../../policy/identity";
import { SecretReplicaOutput, secretReplicaFor } from "../../../model/drConfig";
import { evaluatePlan } from "../../../tools/policyRunner";
import { GlobalTraffic } from "../../../components/dr/globalTraffic";
import { HEALTH_CHECK_PORT } from "../../../model/ports";
import { regionalProvider } from "../../../stacks/platform";
import { PROD_OUTPUTS, byUrn, configWith, drReplicaAlone, ofType, one, planComponent, planOf, planStack, stackConfig } from "../../support";

/** Config -> stack wiring: drMode switches the replica, the GSLB, the pilot light and the alarms at once, so the whole stack. */
const activePlan = () => planStack("dr", { config: configWith("dr", { "hybrid-platform:drMode": "active" }) });

const RDS = "aws:rds/instance:Instance";
const RECORD = "aws:route53/record:Record";
const CHECK = "aws:route53/healthCheck:HealthCheck";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const prod = PROD_OUTPUTS as Record<string, string>;

/** The provider name a resource is managed by (e.g. "aws-primary-eu-west-2"). */
const providerOf = (r: PlannedResource) => /pulumi:providers:aws::([^:]+)::/.exec(r.provider ?? "")?.[1];
/** The CMK (aws:kms/key:Key) under a CustomerKey component, by the component's name. */
const keyArn = (plan: Plan, component: string) => one(plan, "aws:kms/key:Key", component).props.arn as string;
const records = (plan: Plan) => ofType(plan, RECORD);
const recordBy = (plan: Plan, setIdentifier: string, name: string) => {
    const found = records(plan).filter((r) => r.props.setIdentifier === setIdentifier && r.props.name === name);
    assert.equal(found.length, 1, `one record ${setIdentifier} for ${name}`);
    return found[0];
};
const HOST = "portal.citizen-portal.example.gov.uk";
const CLOUD = `cloud.${HOST}`;

describe("dr stack: stack reference (one way)", () => {
    it("reads the configured primary stack, and prod references no stack but the account's bootstrap", async () => {
        const dr = await planOf("dr");
        // Besides the account's bootstrap stack (components/bootstrap/bootstrapReads.ts), read by both.
        const refs = ofType(dr, "pulumi:pulumi:StackReference").filter((r) => r.props.name !== "bootstrap");
        assert.equal(refs.length, 1);
        assert.equal(refs[0].props.name, "prod");
        assert.deepEqual(refs[0].props.outputs, PROD_OUTPUTS);
        assert.notEqual(refs[0].props.name, dr.stack, "never itself");
        assert.deepEqual(
            ofType(await planOf("prod"), "pulumi:pulumi:StackReference").map((r) => r.props.name),
            ["bootstrap"],
            "prod references no dr stack: no cycle",
        );
    });

    it("reads a fully qualified primary stack name as configured", async () => {
        const plan = await drReplicaAlone({
            config: { dr: (dr) => (dr.primaryStack = "acme/hybrid-platform/prod") },
            stackOutputs: { "acme/hybrid-platform/prod": { ...PROD_OUTPUTS } },
        });
        assert.deepEqual(
            ofType(plan, "pulumi:pulumi:StackReference").map((r) => r.props.name),
            ["acme/hybrid-platform/prod"],
        );
        assert.equal(one(plan, RDS, "data-database").props.replicateSourceDb, prod.databaseArn);
    });
});

describe("dr stack: database replica", () => {
    it("standby: a cross-region replica of the prod primary, encrypted with a DR-region CMK, backed up, in isolated subnets", async () => {
        const plan = await planOf("dr");
        const db = one(plan, RDS, "data-database");
        assert.equal(db.props.replicateSourceDb, prod.databaseArn);
        assert.equal(db.props.storageEncrypted, true);
        assert.equal(db.props.kmsKeyId, keyArn(plan, "data-database-key"));
        assert.match(db.props.kmsKeyId as string, /^arn:aws:kms:eu-west-1:/);
        assert.ok((db.props.backupRetentionPeriod as number) >= 7);
        assert.equal(db.props.multiAz, false);
        assert.equal(db.props.deletionProtection, true);
        assert.equal(db.props.skipFinalSnapshot, false);
        assert.equal(db.props.publiclyAccessible, false);
        assert.equal(db.props.instanceClass, "db.m5.xlarge");
        const parameters = one(plan, "aws:rds/parameterGroup:ParameterGroup", "data-database");
        assert.equal(db.props.parameterGroupName, parameters.props.name);
        assert.equal(parameters.props.family, "postgres16");
        assert.deepEqual(
            (parameters.props.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]),
            [["rds.force_ssl", "1"]],
        );
        assert.equal(providerOf(db), "aws-eu-west-1");
        const subnetGroup = one(plan, "aws:rds/subnetGroup:SubnetGroup", "data-database");
        assert.equal(db.props.dbSubnetGroupName, subnetGroup.props.name);
        const isolated = (await planOf("dr")).outputs.isolatedSubnetIds as string[];
        assert.deepEqual(subnetGroup.props.subnetIds, isolated);
    });

    it("standby: the database security group admits PostgreSQL from the data client group only", async () => {
        const plan = await planOf("dr");
        const sg = one(plan, "aws:ec2/securityGroup:SecurityGroup", "data-database");
        // Rules are separate resources (no inline ingress/egress): exactly one admits the database port.
        const ingress = ofType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.props.securityGroupId === sg.id);
        assert.equal(ingress.length, 1);
        assert.deepEqual([ingress[0].props.fromPort, ingress[0].props.toPort], [5432, 5432]);
        const clients = one(plan, "aws:ec2/securityGroup:SecurityGroup", "data-clients");
        assert.equal(ingress[0].props.referencedSecurityGroupId, clients.id);
        assert.equal(ingress[0].props.cidrIpv4, undefined);
        assert.deepEqual([sg.props.ingress, sg.props.egress], [undefined, undefined]);
        assert.equal(ofType(plan, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.props.securityGroupId === sg.id).length, 0);
        assert.equal(plan.outputs.databaseClientSecurityGroupId, clients.id);
        assert.deepEqual(one(plan, RDS, "data-database").props.vpcSecurityGroupIds, [sg.id]);
    });

    it("active: the same instance promoted (no replicateSourceDb), Multi-AZ, applied immediately", async () => {
        const [standby, active] = [one(await planOf("dr"), RDS, "data-database"), one(await activePlan(), RDS, "data-database")];
        assert.equal(active.props.replicateSourceDb, undefined);
        assert.equal(active.props.multiAz, true);
        assert.equal(active.props.applyImmediately, true);
        assert.equal(active.props.deletionProtection, true);
        assert.equal(active.props.skipFinalSnapshot, false);
        assert.equal(active.props.finalSnapshotIdentifier, "hybrid-platform-dr-database-final");
        assert.equal(active.urn, standby.urn, "an update of the replica, not a new database");
        assert.equal(active.props.kmsKeyId, standby.props.kmsKeyId);
        assert.equal(active.props.backupRetentionPeriod, standby.props.backupRetentionPeriod);
    });

    it("preview: the replica joins its key and subnet group by dependency, the source is the deployed prod's ARN", async () => {
        const plan = await planOf("dr", "preview");
        const db = one(plan, RDS, "data-database");
        assert.equal(db.props.replicateSourceDb, prod.databaseArn);
        assert.equal(db.props.kmsKeyId, UNKNOWN);
        assert.ok(db.propertyDependencies.kmsKeyId.includes(one(plan, "aws:kms/key:Key", "data-database-key").urn));
        assert.ok(db.propertyDependencies.dbSubnetGroupName.includes(one(plan, "aws:rds/subnetGroup:SubnetGroup", "data-database").urn));
    });
});

describe("dr stack: database credentials", () => {
    const replica = (PROD_OUTPUTS.databaseSecretReplicas as Record<string, { secretArn: string; keyArn: string }>)["eu-west-1"];
    const runtimePolicy = (plan: Plan) => {
        const policy = one(plan, "aws:iam/rolePolicy:RolePolicy", "app-irsa-django-web");
        return JSON.parse(String(policy.props.policy)) as { Statement: Array<{ Sid: string; Action: string[]; Resource: string[]; Condition?: unknown }> };
    };

    for (const [mode, planned] of [
        ["standby", () => planOf("dr")],
        ["active", activePlan],
    ] as const) {
        it(`${mode}: the app reads this region's replica of prod's master secret and may decrypt it and the cache secret (Secrets Manager only)`, async () => {
            const plan = await planned();
            const statements = runtimePolicy(plan).Statement;
            const secrets = statements.find((st) => st.Sid === "RuntimeSecrets")!;
            assert.ok(secrets.Resource.includes(replica.secretArn), "the replica in eu-west-1");
            assert.ok(!secrets.Resource.some((arn) => arn.includes(":eu-west-2:")), "nothing of the primary region (down in a disaster)");
            const decrypt = statements.find((st) => st.Sid === "SecretsKey")!;
            assert.deepEqual([...decrypt.Resource].sort(), [replica.keyArn, keyArn(plan, "cache-secrets")].sort());
            assert.deepEqual(decrypt.Action, ["kms:Decrypt"]);
            assert.deepEqual(decrypt.Condition, { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } });
            assert.equal(plan.outputs.databaseSecretArn, replica.secretArn);
        });

        it(`${mode}: the app connects to the DR database by host name, as prod's does (the port is not part of DATABASE_HOST)`, async () => {
            const plan = await planned();
            const db = one(plan, RDS, "data-database");
            const deployment = one(plan, "kubernetes:apps/v1:Deployment", "app-workloads-django-web");
            const env = (deployment.props.spec as { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } }).template.spec
                .containers[0].env;
            const host = env.find((e) => e.name === "DATABASE_HOST")?.value;
            assert.equal(host, db.props.address);
            assert.doesNotMatch(String(host), /:\d+$/);
        });

        it(`${mode}: the database names the secret of the password it inherits, and passes the pack`, async () => {
            const plan = await planned();
            const db = one(plan, RDS, "data-database");
            assert.deepEqual(db.props.tags, { [MASTER_CREDENTIAL_TAG]: replica.secretArn });
            assert.equal(db.props.password, undefined);
            assert.equal(db.props.manageMasterUserPassword, undefined);
            const blocking = (await evaluatePlan(plan)).filter((v) => v.enforcementLevel === "mandatory");
            assert.deepEqual(
                blocking.map((v) => `${v.policy}: ${v.message}`),
                [],
            );
        });
    }

    it("the tag the component sets is the one the policy reads", () => {
        assert.equal(MASTER_CREDENTIAL_TAG, POLICY_CREDENTIAL_TAG);
    });

    it("picks its region's replica, and stops a real run naming the fix when prod does not replicate there", () => {
        const replicas = PROD_OUTPUTS.databaseSecretReplicas as Record<string, SecretReplicaOutput>;
        assert.equal(secretReplicaFor(replicas, "eu-west-1", "prod"), replicas["eu-west-1"]);
        for (const missing of [{}, undefined, { "eu-central-1": replica }] as Array<Record<string, SecretReplicaOutput> | undefined>) {
            assert.throws(
                () => secretReplicaFor(missing, "eu-west-1", "acme/hybrid-platform/prod"),
                /^Error: acme\/hybrid-platform\/prod does not replicate its database secret to eu-west-1: add eu-west-1 to data\.postgres\.secretReplicaRegions/,
            );
        }
    });
});

describe("dr stack: documents bucket and replication", () => {
    it("DR bucket: versioned, SSE-KMS with a DR-region CMK, public access blocked, TLS only", async () => {
        const plan = await planOf("dr");
        const bucket = one(plan, "aws:s3/bucket:Bucket", "data-documents");
        assert.equal(
            bucket.props.bucket,
            "hybrid-platform-dr-documents-eu-west-1-111122223333",
            "the account id keeps the global name ours (issue #11 finding 15)",
        );
        const id = bucket.id;
        const versioning = one(plan, "aws:s3/bucketVersioning:BucketVersioning", "data-documents");
        assert.equal(versioning.props.bucket, id);
        assert.deepEqual(versioning.props.versioningConfiguration, { status: "Enabled" });
        const sse = one(plan, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "data-documents");
        assert.deepEqual(sse.props.rules, [
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn(plan, "data-documents-key") }, bucketKeyEnabled: true },
        ]);
        const pab = one(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-documents");
        assert.deepEqual(
            [pab.props.blockPublicAcls, pab.props.blockPublicPolicy, pab.props.ignorePublicAcls, pab.props.restrictPublicBuckets],
            [true, true, true, true],
        );
        const policy = JSON.parse(one(plan, "aws:s3/bucketPolicy:BucketPolicy", "data-documents").props.policy as string);
        assert.deepEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.equal(policy.Statement[0].Effect, "Deny");
    });

    it("replication of the prod bucket: in the primary region, RTC 15 min, delete markers, replica KMS key, DR bucket", async () => {
        const plan = await planOf("dr");
        const config = one(plan, REPLICATION, "data-documents");
        assert.equal(providerOf(config), "aws-primary-eu-west-2");
        assert.equal(config.props.bucket, prod.documentsBucketName);
        assert.equal(config.props.role, one(plan, "aws:iam/role:Role", "data-replication").props.arn);
        const [rule] = config.props.rules as Record<string, any>[];
        assert.equal((config.props.rules as unknown[]).length, 1);
        assert.equal(rule.status, "Enabled");
        assert.deepEqual(rule.deleteMarkerReplication, { status: "Enabled" });
        assert.deepEqual(rule.sourceSelectionCriteria, { sseKmsEncryptedObjects: { status: "Enabled" } });
        assert.equal(rule.destination.bucket, one(plan, "aws:s3/bucket:Bucket", "data-documents").props.arn);
        assert.deepEqual(rule.destination.encryptionConfiguration, { replicaKmsKeyId: keyArn(plan, "data-documents-key") });
        assert.deepEqual(rule.destination.replicationTime, { status: "Enabled", time: { minutes: 15 } });
        assert.deepEqual(rule.destination.metrics, { status: "Enabled", eventThreshold: { minutes: 15 } });
        assert.ok(
            config.dependencies.includes(one(plan, "aws:s3/bucketVersioning:BucketVersioning", "data-documents").urn),
            "replication waits for versioning",
        );
    });

    it("replication role: assumed by S3 only, scoped to the two buckets and the two keys", async () => {
        const plan = await planOf("dr");
        const role = one(plan, "aws:iam/role:Role", "data-replication");
        assert.deepEqual(JSON.parse(role.props.assumeRolePolicy as string).Statement, [
            { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        const policy = JSON.parse(one(plan, "aws:iam/rolePolicy:RolePolicy", "data-replication").props.policy as string);
        const drBucket = one(plan, "aws:s3/bucket:Bucket", "data-documents").props.arn as string;
        const allowed = new Set([
            prod.documentsBucketArn,
            `${prod.documentsBucketArn}/*`,
            `${drBucket}/*`,
            prod.documentsKeyArn,
            keyArn(plan, "data-documents-key"),
        ]);
        const resources = policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
        for (const r of resources) assert.ok(allowed.has(r), `${r} is one of the named ARNs`);
        assert.deepEqual(new Set(resources), allowed, "every named ARN is used");
        const kms = policy.Statement.filter((s: { Action: string[] }) => s.Action.some((a) => a.startsWith("kms:")));
        assert.deepEqual(kms.map((s: any) => s.Condition.StringEquals["kms:ViaService"]).sort(), ["s3.eu-west-1.amazonaws.com", "s3.eu-west-2.amazonaws.com"]);
    });

    it("a failover changes nothing in the primary region (works while it is down)", async () => {
        const [standby, active] = [await planOf("dr"), await activePlan()];
        const primary = (plan: Plan) => plan.resources.filter((r) => providerOf(r) === "aws-primary-eu-west-2");
        assert.ok(primary(standby).length >= 5);
        const activeByUrn = byUrn(active);
        for (const r of primary(standby)) assert.deepEqual(activeByUrn.get(r.urn)?.props, r.props, r.urn);
        assert.equal(primary(active).length, primary(standby).length);
        const provider = one(standby, "pulumi:providers:aws", "aws-primary-eu-west-2");
        assert.equal(provider.props.stsRegion, "eu-west-1", "credentials are validated in the DR region");
    });
});

describe("dr stack: global traffic management", () => {
    it("standby: cloud.<host> fails over from the prod ALB (PRIMARY) to the DR ALB (SECONDARY), each health-checked", async () => {
        const plan = await planOf("dr");
        const zoneId = plan.outputs.hostedZoneId;
        const primary = recordBy(plan, "primary", CLOUD);
        const secondary = recordBy(plan, "secondary", CLOUD);
        assert.deepEqual(primary.props.failoverRoutingPolicies, [{ type: "PRIMARY" }]);
        assert.deepEqual(primary.props.aliases, [{ name: prod.albDnsName, zoneId: prod.albZoneId, evaluateTargetHealth: true }]);
        assert.deepEqual(secondary.props.failoverRoutingPolicies, [{ type: "SECONDARY" }]);
        assert.deepEqual(secondary.props.aliases, [{ name: plan.outputs.albDnsName, zoneId: plan.outputs.albZoneId, evaluateTargetHealth: true }]);
        for (const r of [primary, secondary]) assert.equal(r.props.zoneId, zoneId);
        const checks = new Map(ofType(plan, CHECK).map((c) => [c.id, c]));
        const primaryCheck = checks.get(primary.props.healthCheckId as string)!;
        const secondaryCheck = checks.get(secondary.props.healthCheckId as string)!;
        assert.equal(primaryCheck.props.fqdn, prod.albDnsName);
        assert.equal(secondaryCheck.props.fqdn, plan.outputs.albDnsName);
        for (const c of [primaryCheck, secondaryCheck]) {
            assert.equal(c.props.type, "HTTPS");
            assert.equal(c.props.resourcePath, "/healthz");
            // Route53's checkers negotiate at most TLS 1.2: each ALB's listener for them, never the TLS 1.3-only 443.
            assert.equal(c.props.port, HEALTH_CHECK_PORT);
        }
        assert.equal(plan.outputs.primaryHealthCheckId, primaryCheck.id);
        assert.equal(plan.outputs.secondaryHealthCheckId, secondaryCheck.id);
    });

    it("the public hostname is a weighted GSLB set of the AWS pair and the health-checked on-prem endpoint", async () => {
        const plan = await planOf("dr");
        const aws = recordBy(plan, "aws", HOST);
        assert.deepEqual(aws.props.weightedRoutingPolicies, [{ weight: 100 }]);
        assert.deepEqual(aws.props.aliases, [{ name: CLOUD, zoneId: plan.outputs.hostedZoneId, evaluateTargetHealth: true }]);
        const onPrem = recordBy(plan, "onprem", HOST);
        assert.deepEqual(onPrem.props.weightedRoutingPolicies, [{ weight: 0 }]);
        assert.deepEqual(onPrem.props.records, ["203.0.113.20"]);
        assert.equal(onPrem.props.type, "A");
        const check = ofType(plan, CHECK).find((c) => c.id === onPrem.props.healthCheckId)!;
        assert.equal(check.props.ipAddress, "203.0.113.20");
        assert.equal(check.props.fqdn, HOST);
    });

    // issue #11: Route53 rejects an alias to a record set not created yet; a literal name gave no dependency.
    for (const mode of ["update", "preview"] as const) {
        it(`the GSLB alias is the failover record's output and waits for the pair (${mode})`, async () => {
            const plan = await planOf("dr", mode);
            const aws = recordBy(plan, "aws", HOST);
            const pair = records(plan).filter((r) => r.props.name === CLOUD);
            assert.equal(pair.length, 2);
            const primary = pair.find((r) => r.props.setIdentifier === "primary")!;
            assert.deepEqual(aws.propertyDependencies.aliases, [primary.urn]);
            for (const r of pair) assert.ok(aws.dependencies.includes(r.urn), `${r.name} created before the alias`);
            const [alias] = aws.props.aliases as Array<{ name: unknown }>;
            assert.equal(alias.name, mode === "preview" ? UNKNOWN : CLOUD);
        });
    }

    it("latency routing from config: each member carries its region", async () => {
        // GlobalTraffic alone, with the args the dr stack gives it from this config.
        const cfg = stackConfig("dr", { dr: (dr) => (dr.gslb = { routing: "latency", onPrem: { address: "203.0.113.20", latencyRegion: "eu-west-1" } }) });
        const dr = cfg.dr!;
        const plan = await planComponent(
            () =>
                new GlobalTraffic(
                    "gslb",
                    {
                        zoneName: cfg.dns.zoneName,
                        hostname: cfg.dns.hostname,
                        primary: { dnsName: prod.albDnsName, zoneId: prod.albZoneId },
                        secondary: { dnsName: "app-dr.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" },
                        routing: dr.gslb.routing,
                        awsWeight: dr.gslb.awsWeight,
                        awsLatencyRegion: dr.primaryRegion,
                        healthCheckPath: dr.gslb.healthCheckPath,
                        onPrem: dr.gslb.onPrem,
                    },
                    { providers: [regionalProvider(cfg)] },
                ),
            { stack: "dr" },
        );
        assert.deepEqual(recordBy(plan, "aws", HOST).props.latencyRoutingPolicies, [{ region: "eu-west-2" }]);
        assert.deepEqual(recordBy(plan, "onprem", HOST).props.latencyRoutingPolicies, [{ region: "eu-west-1" }]);
        assert.equal(recordBy(plan, "aws", HOST).props.weightedRoutingPolicies, undefined);
    });

    it("active: the PRIMARY record points at the DR ALB and prod gets no traffic (no SECONDARY)", async () => {
        const plan = await activePlan();
        const cloud = records(plan).filter((r) => r.props.name === CLOUD);
        assert.equal(cloud.length, 1);
        assert.equal(cloud[0].urn, recordBy(await planOf("dr"), "primary", CLOUD).urn, "updated in place: never two PRIMARY records");
        assert.deepEqual(cloud[0].props.failoverRoutingPolicies, [{ type: "PRIMARY" }]);
        assert.deepEqual(cloud[0].props.aliases, [{ name: plan.outputs.albDnsName, zoneId: plan.outputs.albZoneId, evaluateTargetHealth: true }]);
        assert.equal(cloud[0].props.healthCheckId, plan.outputs.secondaryHealthCheckId);
        assert.equal(plan.outputs.drMode, "active");
    });

    it("the hosted zone is looked up, never created", async () => {
        const plan = await planOf("dr");
        assert.equal(ofType(plan, "aws:route53/zone:Zone").length, 0);
        assert.match(plan.outputs.hostedZoneId as string, /^Z[0-9A-F]+$/);
    });

    it("the failover SECONDARY is the DR AppCluster's ALB", async () => {
        const plan = await planOf("dr");
        const albs = ofType(plan, "aws:lb/loadBalancer:LoadBalancer");
        assert.equal(albs.length, 1);
        assert.equal(tierOf(plan, albs[0]), "AppCluster app");
        assert.deepEqual(recordBy(plan, "secondary", CLOUD).props.aliases, [
            { name: albs[0].props.dnsName, zoneId: albs[0].props.zoneId, evaluateTargetHealth: true },
        ]);
        assert.equal(plan.outputs.albDnsName, albs[0].props.dnsName);
    });
});

describe("dr stack: pilot-light AppCluster", () => {
    const hpaMins = (plan: Plan) =>
        Object.fromEntries(
            ofType(plan, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((h) => [(h.props.metadata as any).name, (h.props.spec as any).minReplicas]),
        );

    it("standby: every workload at its floor, HPAs ready to the 5-year maxima, one node per AZ", async () => {
        const plan = await planOf("dr");
        assert.deepEqual(hpaMins(plan), { "django-web": 3, "fastapi-api": 3, "celery-worker": 3 });
        for (const g of ofType(plan, "aws:eks/nodeGroup:NodeGroup")) assert.equal((g.props.scalingConfig as any).minSize, 1);
    });

    it("active: the same cluster at prod capacity", async () => {
        const [standby, active] = [await planOf("dr"), await activePlan()];
        const prodPlan = await planOf("prod");
        assert.deepEqual(hpaMins(active), hpaMins(prodPlan));
        assert.ok(hpaMins(active)["django-web"] > hpaMins(standby)["django-web"]);
        assert.deepEqual(
            ofType(active, "aws:eks/nodeGroup:NodeGroup").map((g) => g.urn),
            ofType(standby, "aws:eks/nodeGroup:NodeGroup").map((g) => g.urn),
            "scaled in place",
        );
    });

    it("reads the DR data: documents bucket and key, replica endpoint, the database client group on every node", async () => {
        const plan = await planOf("dr");
        const template = ofType(plan, "aws:ec2/launchTemplate:LaunchTemplate")[0];
        assert.ok((template.props.vpcSecurityGroupIds as string[]).includes(plan.outputs.databaseClientSecurityGroupId as string));
        const policies = ofType(plan, "aws:iam/rolePolicy:RolePolicy")
            .filter((p) => tierOf(plan, p) === "AppCluster app")
            .map((p) => p.props.policy as string)
            .join("\n");
        assert.ok(policies.includes(plan.outputs.documentsBucketArn as string));
        assert.ok(policies.includes(plan.outputs.documentsKeyArn as string));
        assert.ok(!policies.includes(prod.documentsBucketArn), "the DR app never touches the prod bucket");
    });
});

describe("dr stack: RPO alarms", () => {
    it("standby: RDS ReplicaLag over 300 s (well under the 900 s RPO) alarms on the DR topic", async () => {
        const plan = await planOf("dr");
        const lag = one(plan, ALARM, "data-replica-lag");
        assert.equal(lag.props.namespace, "AWS/RDS");
        assert.equal(lag.props.metricName, "ReplicaLag");
        assert.equal(lag.props.threshold, 300);
        assert.ok((lag.props.threshold as number) < 900);
        assert.deepEqual(lag.props.dimensions, { DBInstanceIdentifier: one(plan, RDS, "data-database").props.identifier });
        assert.equal(lag.props.treatMissingData, "breaching");
        assert.deepEqual(lag.props.alarmActions, [one(plan, "aws:sns/topic:Topic", "alerts").props.arn]);
        assert.equal(providerOf(lag), "aws-eu-west-1");
    });

    it("S3 ReplicationLatency and failed replications alarm in the primary region (where S3 publishes them)", async () => {
        const plan = await planOf("dr");
        const topic = one(plan, "aws:sns/topic:Topic", "replication-alerts");
        assert.match(topic.props.arn as string, /^arn:aws:sns:eu-west-2:/);
        const dims = {
            SourceBucket: prod.documentsBucketName,
            DestinationBucket: "hybrid-platform-dr-documents-eu-west-1-111122223333",
            RuleId: "documents-to-dr",
        };
        const latency = one(plan, ALARM, "data-replication-latency");
        assert.equal(latency.props.metricName, "ReplicationLatency");
        assert.equal(latency.props.threshold, 600);
        assert.deepEqual(latency.props.dimensions, dims);
        const failures = one(plan, ALARM, "data-replication-failures");
        assert.equal(failures.props.metricName, "OperationsFailedReplication");
        assert.deepEqual(failures.props.dimensions, dims);
        for (const a of [latency, failures]) {
            assert.equal(providerOf(a), "aws-primary-eu-west-2");
            assert.deepEqual(a.props.alarmActions, [topic.props.arn]);
        }
    });

    it("alert topics are CMK-encrypted (key usable by CloudWatch) and subscribed to the alert mailbox and pager", async () => {
        const plan = await planOf("dr");
        for (const name of ["alerts", "replication-alerts"]) {
            const topic = one(plan, "aws:sns/topic:Topic", name);
            assert.equal(topic.props.kmsMasterKeyId, keyArn(plan, name));
            const keyPolicy = JSON.parse(one(plan, "aws:kms/key:Key", name).props.policy as string);
            assert.ok(keyPolicy.Statement.some((s: any) => s.Principal.Service === "cloudwatch.amazonaws.com"));
            const subs = ofType(plan, "aws:sns/topicSubscription:TopicSubscription").filter((s) => s.props.topic === topic.props.arn);
            assert.deepEqual(subs.map((s) => s.props.protocol).sort(), ["email", "https"]);
        }
    });

    it("active: no ReplicaLag alarm (a promoted primary has no lag)", async () => {
        const plan = await activePlan();
        assert.equal(ofType(plan, ALARM).filter((a) => a.props.metricName === "ReplicaLag").length, 0);
        assert.equal(ofType(plan, ALARM).filter((a) => a.props.metricName === "ReplicationLatency").length, 1);
    });
});
