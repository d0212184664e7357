import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
    BUCKET_NAME_MAX,
    accountBucketName,
    bucketNameProblem,
    componentId,
    keyPurposeProblem,
    kmsAliasName,
    stackLogGroupName,
    stackResourceName,
} from "../../model/names";

const stackName = fc.stringMatching(/^[a-z][a-z0-9-]{0,19}[a-z0-9]$/);
const purpose = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}[a-z0-9]$/);
const account = fc.stringMatching(/^\d{12}$/);

describe("physical names (model/names.ts)", () => {
    it("keeps every name the stacks use today", () => {
        assert.equal(stackResourceName("prod"), "hybrid-platform-prod");
        assert.equal(stackResourceName("dr", "documents", "eu-west-1"), "hybrid-platform-dr-documents-eu-west-1");
        assert.equal(accountBucketName("prod", "audit-trail", "111122223333"), "hybrid-platform-prod-audit-trail-111122223333");
        assert.equal(componentId("data-postgres", "prod"), "data-postgres-prod");
        assert.equal(stackLogGroupName("prod", "network", "vpc-flow-logs"), "/hybrid-platform/prod/network/vpc-flow-logs");
        assert.equal(kmsAliasName("prod", "network/flow-logs"), "alias/hybrid-platform/prod/network/flow-logs");
    });

    it("an account bucket name is valid for S3 exactly when it fits in 63 characters", () => {
        fc.assert(
            fc.property(stackName, purpose, account, (stack, p, id) => {
                const name = accountBucketName(stack, p, id);
                assert.ok(name.endsWith(`-${id}`));
                assert.equal(bucketNameProblem(name) === undefined, name.length <= BUCKET_NAME_MAX, name);
            }),
        );
    });

    it("S3's rules: lowercase, alphanumeric ends, no '..', not an IP address, 3 to 63 characters", () => {
        for (const bad of ["ab", "a".repeat(64), "Upper-case", "under_score", "-leading", "trailing-", "two..dots", "192.168.1.1"])
            assert.ok(bucketNameProblem(bad), bad);
        for (const good of ["abc", "a".repeat(63), "hybrid-platform-prod-documents-111122223333", "logs.example"])
            assert.equal(bucketNameProblem(good), undefined, good);
    });

    it("a key purpose is alias-safe path segments; the alias always sits under the stack", () => {
        fc.assert(
            fc.property(stackName, fc.array(purpose, { minLength: 1, maxLength: 3 }), (stack, segments) => {
                const p = segments.join("/");
                assert.equal(keyPurposeProblem(p), undefined);
                assert.ok(kmsAliasName(stack, p).startsWith(`alias/hybrid-platform/${stack}/`));
            }),
        );
        for (const bad of ["", "a//b", "/a", "a/", "a b", "a*"]) assert.ok(keyPurposeProblem(bad), JSON.stringify(bad));
    });
});
