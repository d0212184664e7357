/** S3 server access logging (issue #11): which buckets log, and the targets AWS will deliver to. */
import * as assert from "node:assert/strict";
import { Plan, PlannedResource } from "../../../tools/offline";
import { ofType, planOf } from "../../support";

type Json = Record<string, any>;
const props = (r: PlannedResource) => r.props as Json;
const bucketNamed = (plan: Plan, name: string) => ofType(plan, "aws:s3/bucket:Bucket").find((b) => props(b).bucket === name)!;
const byBucket = (plan: Plan, type: string, bucket: PlannedResource) => ofType(plan, type).filter((r) => props(r).bucket === bucket.id);

for (const stack of ["prod", "dr"] as const) {
    describe(`S3 access logging (${stack} plan)`, () => {
        let plan: Plan;
        before(async () => {
            plan = await planOf(stack);
        });

        it("logs every bucket that is not itself a log target, to an SSE-S3 bucket without Object Lock that admits only its sources", () => {
            const logging = ofType(plan, "aws:s3/bucketLogging:BucketLogging");
            const targets = new Set(logging.map((l) => props(l).targetBucket));
            const buckets = ofType(plan, "aws:s3/bucket:Bucket");
            const unlogged = buckets.filter((b) => !targets.has(props(b).bucket) && !logging.some((l) => props(l).bucket === b.id));
            assert.deepEqual(
                unlogged.map((b) => b.name),
                [],
            );
            for (const l of logging) {
                const source = buckets.find((b) => b.id === props(l).bucket)!;
                const target = bucketNamed(plan, props(l).targetBucket);
                assert.notEqual(target, source);
                assert.notEqual(props(target).objectLockEnabled, true, `${target.name}: AWS delivers no access logs to an Object Lock bucket`);
                const [sse] = byBucket(plan, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", target);
                assert.equal(props(sse).rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256", `${target.name}: SSE-S3 only on a log target`);
                const [policy] = byBucket(plan, "aws:s3/bucketPolicy:BucketPolicy", target);
                const grant = (JSON.parse(props(policy).policy).Statement as Json[]).find((s) => s.Principal?.Service === "logging.s3.amazonaws.com")!;
                assert.equal(grant.Condition.ArnLike["aws:SourceArn"], `arn:aws:s3:::${props(source).bucket}`);
                assert.ok(grant.Condition.StringEquals["aws:SourceAccount"]);
                assert.ok(grant.Resource.endsWith(`/${props(l).targetPrefix}*`), "writes only under the source's prefix");
            }
        });
    });
}
