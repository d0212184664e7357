import * as assert from "node:assert/strict";
import { podsFor } from "../../model/capacity";
import { DB_CONNECTIONS_PER_POD, dbClassFor, poolConnections, storageInYear, usersInYear } from "../../model/capacityGrowth";

describe("model/capacityGrowth", () => {
    it("grows geometrically: the same factor each year, 1,000 -> 10,000 in 5 years is x10^(1/5) ~ 1.585 a year", () => {
        assert.deepEqual(
            [0, 1, 2, 3, 4, 5].map((y) => usersInYear(1000, 10_000, 5, y)),
            [1000, 1585, 2512, 3982, 6310, 10_000],
        );
        assert.equal(usersInYear(1000, 1000, 5, 3), 1000, "no growth when the target is today's load");
        assert.throws(() => usersInYear(0, 10, 5, 1), RangeError);
        assert.throws(() => usersInYear(10, 5, 5, 1), RangeError);
    });

    it("counts the pools at their ceiling: every backend pod and beat at 15 connections", () => {
        assert.equal(DB_CONNECTIONS_PER_POD, 15);
        assert.equal(poolConnections(podsFor(1000)), (10 + 10 + 4 + 1) * 15);
    });

    it("keeps the class while the pools stay under the alarm's share of LEAST(memory/9531392, 5000), then climbs the family", () => {
        // db.m5.xlarge: 16 GiB / 9531392 = 1802 connections; 80% = 1441.6.
        assert.deepEqual(dbClassFor(1441, "db.m5.xlarge", 80), { instanceClass: "db.m5.xlarge", maxConnections: 1802, connectionsNeeded: 1441, fits: true });
        assert.equal(dbClassFor(1442, "db.m5.xlarge", 80).instanceClass, "db.m5.2xlarge");
        assert.equal(dbClassFor(3600, "db.m5.xlarge", 80).instanceClass, "db.m5.4xlarge");
        assert.deepEqual(dbClassFor(4001, "db.r5.large", 80), { instanceClass: "db.r5.24xlarge", maxConnections: 5000, connectionsNeeded: 4001, fits: false });
        assert.equal(dbClassFor(10, "db.t4g.micro", 80).fits, false, "a class the max_connections table does not know is reported, not guessed");
    });

    it("adds the seed's ~200 GB a year to the 1 TB of day one", () => {
        assert.deepEqual(
            [0, 1, 5].map((y) => storageInYear(1000, 200, y)),
            [1000, 1200, 2000],
        );
    });
});
