/** The security tier's argument contracts: CustomerKey's one alias scheme, SecureBucket's name rules, AuditTrail's retention rules. */
import * as assert from "node:assert/strict";
import { AuditTrail, AuditTrailArgs } from "../../../components/security/auditTrail";
import { CustomerKey, CustomerKeyArgs } from "../../../components/security/customerKey";
import { SecureBucket } from "../../../components/security/secureBucket";
import { ofType, one, planComponent, planOf } from "../../support";
import { PASSED_ACCOUNT, assertRejectsArgs, inRegion, planCountingLookups } from "../../support/args";

const KEY: CustomerKeyArgs = { description: "Test data", purpose: "test-data", accountId: PASSED_ACCOUNT };
const key = (changes: Partial<CustomerKeyArgs>) => () => new CustomerKey("key", { ...KEY, ...changes }, inRegion());

describe("CustomerKey arguments", () => {
    it("builds its alias from the purpose (alias/hybrid-platform/<stack>/<purpose>) and its policy from the passed account, looking nothing up", async () => {
        const { plan, lookups } = await planCountingLookups(
            key({ purpose: "network/flow-logs", serviceGrants: [{ service: "logs.eu-west-2.amazonaws.com" }] }),
            { stack: "dr" },
        );
        assert.equal(lookups, 0);
        assert.equal(one(plan, "aws:kms/alias:Alias", "key").props.name, "alias/hybrid-platform/dr/network/flow-logs");
        const policy = JSON.parse(one(plan, "aws:kms/key:Key", "key").props.policy as string);
        assert.equal(policy.Statement[0].Principal.AWS, `arn:aws:iam::${PASSED_ACCOUNT}:root`);
        assert.deepEqual(
            policy.Statement[1].Condition,
            { StringEquals: { "aws:SourceAccount": PASSED_ACCOUNT } },
            "service grants are scoped to the passed account",
        );
    });

    it("refuses a purpose KMS would refuse in an alias, an empty description and a deletion window outside 7-30 days", async () => {
        await assertRejectsArgs(key({ purpose: "data//keys", description: " ", deletionWindowInDays: 45 }), ["purpose", "description", "deletionWindowInDays"]);
        await assertRejectsArgs(key({ purpose: "/leading" }), ["purpose"]);
        await assertRejectsArgs(key({ serviceGrants: [{ service: "" }] }), ["serviceGrants[0].service"]);
    });
});

describe("SecureBucket arguments", () => {
    const bucket =
        (bucketName: string, more: { keyArn?: string; sseS3Reason?: string } = { keyArn: "arn:aws:kms:eu-west-2:111122223333:key/k" }) =>
        () =>
            new SecureBucket("bucket", { bucketName, ...more }, inRegion());

    it("refuses a name S3 would refuse: over 63 characters, uppercase or underscores", async () => {
        const message = await assertRejectsArgs(bucket(`hybrid-platform-a-very-long-stack-name-documents-${"1".repeat(12)}xyz`), ["bucketName"]);
        assert.match(message, /is 64 characters; S3 allows 3 to 63/);
        await assertRejectsArgs(bucket("Hybrid_Platform"), ["bucketName"]);
    });

    it("requires a CMK or a reasoned SSE-S3 opt-out, not both", async () => {
        const message = await assertRejectsArgs(bucket("test-logs", {}), ["keyArn"]);
        assert.match(message, /keyArn is required unless sseS3Reason is given/);
        await assertRejectsArgs(bucket("test-logs", { keyArn: "arn:aws:kms:eu-west-2:111122223333:key/k", sseS3Reason: "ALB logs" }), ["sseS3Reason"]);
    });
});

describe("AuditTrail arguments", () => {
    const BASE: AuditTrailArgs = { region: "eu-west-2", accountId: PASSED_ACCOUNT };
    const trail = (changes: Partial<AuditTrailArgs>) => () => new AuditTrail("audit", { ...BASE, ...changes }, inRegion());

    it("names its bucket after the passed account and looks nothing up", async () => {
        const { plan, lookups } = await planCountingLookups(trail({}));
        assert.equal(lookups, 0);
        assert.equal(one(plan, "aws:s3/bucket:Bucket", "audit").props.bucket, `hybrid-platform-prod-audit-trail-${PASSED_ACCOUNT}`);
        assert.equal(one(plan, "aws:kms/alias:Alias", "audit").props.name, "alias/hybrid-platform/prod/audit");
    });

    it("refuses a retention CloudWatch does not accept, files locked longer than kept, and a SOC destination that is not a Logs destination", async () => {
        await assertRejectsArgs(
            trail({ logRetentionDays: 100, archiveDays: 400, immutableDays: 500, socDestinationArn: "arn:aws:kinesis:eu-west-2:444455556666:stream/soc" }),
            ["logRetentionDays", "immutableDays", "socDestinationArn"],
        );
        await assertRejectsArgs(trail({ archiveDays: 60 }), ["archiveDays"]);
    });

    it("plans with the committed prod settings", async () => {
        const plan = await planComponent(trail({ logRetentionDays: 365, archiveDays: 2557, immutableDays: 365 }));
        assert.equal(one(plan, "aws:cloudtrail/trail:Trail", "audit").props.name, "hybrid-platform-prod");
    });
});

describe("one KMS alias scheme across the stacks", () => {
    for (const stack of ["prod", "dr"] as const) {
        it(`every alias of ${stack} is alias/hybrid-platform/${stack}/<purpose>`, async () => {
            const plan = await planOf(stack);
            const aliases = ofType(plan, "aws:kms/alias:Alias");
            assert.ok(aliases.length >= 8, `${aliases.length} aliases`);
            for (const alias of aliases)
                assert.match(alias.props.name as string, new RegExp(`^alias/hybrid-platform/${stack}/[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$`), alias.urn);
        });
    }
});
