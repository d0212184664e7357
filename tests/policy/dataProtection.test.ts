/** The data protection policies (policy/dataProtection.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { dataProtectionPolicies } from "../../policy/dataProtection";
import { Case, bucketWith, describeCases, single } from "../support/policyCases";
import { GUARDED_CASES } from "./guardedCases";

const CASES: Case[] = [
    single("rds-backup-retention", T.rds, () => ({ engine: "postgres", backupRetentionPeriod: 14, copyTagsToSnapshot: true }), {
        "1 day": () => ({ backupRetentionPeriod: 1 }),
        "default retention": () => ({ backupRetentionPeriod: undefined }),
        "snapshots untagged": () => ({ copyTagsToSnapshot: false }),
    }),
    single("cache-snapshots", T.redis, () => ({ snapshotRetentionLimit: 7 }), { "no snapshots": () => ({ snapshotRetentionLimit: 0 }) }),
    {
        policy: "deletion-protection-in-production",
        compliant: (f) => {
            f.add(T.rds, "db", { deletionProtection: true, skipFinalSnapshot: false });
            f.add(T.lb, "alb", { enableDeletionProtection: true });
            f.add(T.bucket, "documents", { forceDestroy: false });
        },
        violations: {
            "database unprotected": (f) => void f.add(T.rds, "db", { deletionProtection: false }),
            "no final snapshot": (f) => void f.add(T.rds, "db", { deletionProtection: true, skipFinalSnapshot: true }),
            "ALB unprotected": (f) => void f.add(T.lb, "alb", {}),
            "bucket force-destroy": (f) => void f.add(T.bucket, "documents", { forceDestroy: true }),
        },
    },
    {
        policy: "deletion-protection-in-production",
        environment: "staging",
        compliant: (f) => void f.add(T.rds, "db", { deletionProtection: false, skipFinalSnapshot: true }),
        violations: {},
    },
    {
        policy: "s3-versioning",
        compliant: (f) => void bucketWith(f),
        violations: { "no versioning": (f) => void bucketWith(f, { versioning: false }), suspended: (f) => void bucketWith(f, { versioning: "Suspended" }) },
    },
    {
        policy: "s3-public-access-block",
        compliant: (f) => void bucketWith(f),
        violations: {
            "no block": (f) => void bucketWith(f, { pab: false }),
            "public policies allowed": (f) => void bucketWith(f, { pab: { blockPublicPolicy: false } }),
        },
    },
];

// issue #11 (build 4): the policies that guard what the program already gets right.
CASES.push(...GUARDED_CASES.dataProtection);

describe("policy pack: data protection fixtures", () => {
    it("every data protection policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            dataProtectionPolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases(CASES);
});
