/** The audit trail's second copy (issue #11): another region, COMPLIANCE mode, deletes never replicated. */
import * as assert from "node:assert/strict";
import { AuditTrail } from "../../../components/security/auditTrail";
import { Plan, PlannedResource } from "../../../tools/offline";
import { ofType, planComponent, planOf } from "../../support";

type Json = Record<string, any>;
const props = (r: PlannedResource) => r.props as Json;

describe("AuditTrail second copy (prod plan)", () => {
    let plan: Plan;
    before(async () => {
        plan = await planOf("prod");
    });

    it("replicates the trail bucket into a COMPLIANCE-locked bucket in the DR region, under a key of that region", () => {
        const [trail] = ofType(plan, "aws:cloudtrail/trail:Trail");
        const source = ofType(plan, "aws:s3/bucket:Bucket").find((b) => props(b).bucket === props(trail).s3BucketName)!;
        const replication = ofType(plan, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").find((r) => props(r).bucket === props(source).bucket)!;
        const [rule] = props(replication).rules as Json[];
        assert.equal(rule.status, "Enabled");
        assert.equal(rule.deleteMarkerReplication.status, "Disabled", "a delete in the primary never reaches the copy");
        const copy = ofType(plan, "aws:s3/bucket:Bucket").find((b) => props(b).arn === rule.destination.bucket)!;
        assert.equal(props(copy).region, "eu-west-1");
        assert.equal(props(copy).objectLockEnabled, true);
        const lock = ofType(plan, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").find((l) => props(l).bucket === copy.id)!;
        assert.deepEqual(props(lock).rule.defaultRetention, { mode: "COMPLIANCE", days: 365 });
        const key = ofType(plan, "aws:kms/key:Key").find((k) => props(k).arn === rule.destination.encryptionConfiguration.replicaKmsKeyId)!;
        assert.equal(props(key).region, "eu-west-1");
        const role = ofType(plan, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === "audit-copy-replication")!;
        const actions = (JSON.parse(props(role).policy).Statement as Json[]).flatMap((s) => s.Action);
        assert.ok(actions.includes("s3:GetObjectRetention") && actions.includes("s3:GetObjectLegalHold"), "Object Lock replication reads retention");
        assert.ok(!actions.includes("s3:ReplicateDelete"));
    });

    it("refuses a copy in the trail's own region and a COMPLIANCE retention longer than the archive", async () => {
        const build = (extra: Json) => () => new AuditTrail("audit", { region: "eu-west-2", accountId: "111122223333", archiveDays: 400, ...extra });
        await assert.rejects(planComponent(build({ copyRegion: "eu-west-2" }), { stack: "prod" }), /copyRegion/);
        await assert.rejects(planComponent(build({ copyRegion: "eu-west-1", copyComplianceDays: 401 }), { stack: "prod" }), /copyComplianceDays/);
    });
});
