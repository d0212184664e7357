import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { AuditTrail } from "../../../components/security/auditTrail";
import { ConfigError, loadConfig } from "../../../model/config";
import { Plan, PlannedResource } from "../../../tools/offline";
import { SOC_DESTINATION_ARN, byUrn, configWith, ofType, planComponent, planOf, planStack, socForwardingConfig } from "../../support";

const targetOf = (plan: Plan, r: PlannedResource, prop: string) => (r.propertyDependencies[prop] ?? []).map((u) => byUrn(plan).get(u)!).find((x) => x.custom);
const inAudit = (r: PlannedResource) => r.urn.includes("hybrid:security:AuditTrail");
const SOC = SOC_DESTINATION_ARN;

for (const mode of ["update", "preview"] as const) {
    describe(`AuditTrail (prod, ${mode} mode)`, () => {
        let plan: Plan;
        before(async () => {
            plan = await planOf("prod", mode);
        });

        it("records every region with log-file validation, encrypted with its own CMK, into CloudWatch", () => {
            const [trail] = ofType(plan, "aws:cloudtrail/trail:Trail");
            assert.deepEqual([trail.props.isMultiRegionTrail, trail.props.includeGlobalServiceEvents, trail.props.enableLogFileValidation], [true, true, true]);
            const key = targetOf(plan, trail, "kmsKeyId")!;
            assert.equal(key.type, "aws:kms/key:Key");
            assert.equal(key.props.enableKeyRotation, true);
            assert.equal(targetOf(plan, trail, "cloudWatchLogsGroupArn")?.type, "aws:cloudwatch/logGroup:LogGroup");
        });

        it("writes to a versioned, private, TLS-only, write-once bucket encrypted with the trail key", () => {
            const [trail] = ofType(plan, "aws:cloudtrail/trail:Trail");
            const bucket = targetOf(plan, trail, "s3BucketName")!;
            const onBucket = (type: string) => ofType(plan, type).find((r) => targetOf(plan, r, "bucket")?.urn === bucket.urn)!;
            assert.equal((onBucket("aws:s3/bucketVersioning:BucketVersioning").props.versioningConfiguration as { status: string }).status, "Enabled");
            const block = onBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").props;
            assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
            const lock = onBucket("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").props.rule as {
                defaultRetention: { mode: string; days: number };
            };
            assert.deepEqual(lock.defaultRetention, { mode: "COMPLIANCE", days: 365 });
            assert.equal(bucket.props.objectLockEnabled, true);
            const sse = onBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
            assert.equal(targetOf(plan, sse, "rules")?.urn, targetOf(plan, trail, "kmsKeyId")?.urn, "the bucket uses the trail's CMK");
            if (mode === "update") {
                const policy = JSON.parse(onBucket("aws:s3/bucketPolicy:BucketPolicy").props.policy as string);
                const sids = policy.Statement.map((s: { Sid: string }) => s.Sid);
                assert.deepEqual(sids, ["DenyInsecureTransport", "DenyOutdatedTls", "CloudTrailAclCheck", "CloudTrailWrite"]);
                const write = policy.Statement.find((s: { Sid: string }) => s.Sid === "CloudTrailWrite");
                assert.equal(write.Condition.StringEquals["aws:SourceArn"], trail.props.arn, "only this trail may write");
            }
        });

        it("forwards nothing to a SOC that is not configured", () => {
            assert.equal(ofType(plan, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter").length, 0);
        });
    });
}

describe("AuditTrail options", () => {
    // Config -> stack wiring (the prod stack hands the flow log group to the audit trail): the whole stack.
    it("forwards the trail and the VPC flow logs to the SOC's destination when configured", async () => {
        const plan = await planStack("prod", { config: socForwardingConfig() });
        const filters = ofType(plan, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter");
        assert.ok(filters.every((f) => f.props.destinationArn === SOC));
        const groups = filters.map((f) => targetOf(plan, f, "logGroup")!);
        // The prod stack also forwards the data tier's logs (tests/dataTier.test.ts checks those).
        const names = groups.map((g) => g.props.name);
        for (const name of ["/hybrid-platform/prod/cloudtrail", "/hybrid-platform/prod/network/vpc-flow-logs"])
            assert.ok(names.includes(name), `${name} forwarded`);
        assert.equal(new Set(names).size, filters.length, "one filter per log group");
        assert.ok(filters.every(inAudit));
    });

    it("audits object-level access to the buckets it is given", async () => {
        const plan = await planComponent(
            () =>
                new AuditTrail(
                    "audit",
                    { region: "eu-west-2", accountId: "111122223333", dataEventBucketArns: ["arn:aws:s3:::documents"] },
                    { providers: [new aws.Provider("test", { region: "eu-west-2" })] },
                ),
        );
        const selectors = ofType(plan, "aws:cloudtrail/trail:Trail")[0].props.advancedEventSelectors as Array<{
            fieldSelectors: Array<{ field: string; startsWiths?: string[] }>;
        }>;
        const data = selectors.find((s) => s.fieldSelectors.some((f) => f.field === "resources.ARN"))!;
        assert.deepEqual(data.fieldSelectors.find((f) => f.field === "resources.ARN")!.startsWiths, ["arn:aws:s3:::documents/"]);
    });

    it("rejects a SOC destination that is not a Logs destination ARN", () => {
        assert.throws(
            () => loadConfig(configWith("prod", { "hybrid-platform:audit": JSON.stringify({ socDestinationArn: "arn:aws:kinesis:eu-west-2:1:stream/x" }) })),
            (e: unknown) => e instanceof ConfigError && e.key === "hybrid-platform:audit.socDestinationArn",
        );
    });
});
