/** RedisCache's AUTH secret (issue #11): ready for AWS's ElastiCache user rotation. */
import * as assert from "node:assert/strict";
import { PlannedResource } from "../../../tools/offline";
import { ofType, planOf } from "../../support";

type Json = Record<string, any>;
const props = (r: PlannedResource) => r.props as Json;

describe("RedisCache AUTH secret (prod plan)", () => {
    it("is built from the app user's ARN (the plan hides the value), which AWS's ElastiCache user rotation function requires", async () => {
        const plan = await planOf("prod");
        const version = ofType(plan, "aws:secretsmanager/secretVersion:SecretVersion").find((v) => v.name === "data-redis-auth")!;
        const user = ofType(plan, "aws:elasticache/user:User").find((u) => props(u).userName === "app")!;
        assert.ok((version.propertyDependencies.secretString ?? []).includes(user.urn), "secretString depends on the ElastiCache user (its user_arn)");
    });
});
