import * as assert from "node:assert/strict";
import fc from "fast-check";
import { AWS_REGIONS, arnInRegion } from "../../model/regions";

describe("model/regions arnInRegion", () => {
    it("names a Secrets Manager replica: same name and suffix, the replica's region", () => {
        assert.equal(
            arnInRegion("arn:aws:secretsmanager:eu-west-2:111122223333:secret:data-postgres-prod/master-AbCdEf", "eu-west-1"),
            "arn:aws:secretsmanager:eu-west-1:111122223333:secret:data-postgres-prod/master-AbCdEf",
        );
    });

    it("rejects what is not an ARN", () => {
        assert.throws(() => arnInRegion("data-postgres-prod/master", "eu-west-1"), /not an ARN/);
    });

    it("property: only the region field changes, and swapping back restores the ARN", () => {
        const region = fc.constantFrom(...AWS_REGIONS);
        const resource = fc.stringMatching(/^secret:[a-z0-9/_+=.@-]{1,40}-[A-Za-z0-9]{6}$/);
        fc.assert(
            fc.property(region, region, resource, (from, to, res) => {
                const arn = `arn:aws:secretsmanager:${from}:111122223333:${res}`;
                const moved = arnInRegion(arn, to);
                const [a, b] = [arn.split(":"), moved.split(":")];
                assert.equal(b[3], to);
                assert.deepEqual([...b.slice(0, 3), ...b.slice(4)], [...a.slice(0, 3), ...a.slice(4)]);
                assert.equal(arnInRegion(moved, from), arn);
            }),
        );
    });
});
