/** The data protection policies (policy/dataProtection.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { dataProtectionPolicies } from "../../policy/dataProtection";
import { Case, bucketWith, describeCases, single } from "../support/policyCases";
import { GUARDED_CASES } from "./guardedCases";
import { Fixture } from "../support/policyFixtures";

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

// issue #11 (finding 20): a database or cache credential is rotated. The secret is recognised by its version's
// dependency on the store (a host, a user ARN), never by its (secret) value; in preview every reference is unknown.
const SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const CACHE_USER = "aws:elasticache/user:User";
const credential = (
    f: Fixture,
    opts: { store?: "cache" | "database" | "none"; rotation?: "none" | Record<string, unknown>; rules?: Record<string, unknown> | null } = {},
) => {
    const store =
        opts.store === "none"
            ? undefined
            : opts.store === "database"
              ? f.add(T.rds, "db", { engine: "postgres" })
              : f.add(CACHE_USER, "app", { userName: "app", engine: "redis" });
    const password = f.add(T.randomPassword, "pw", { length: 40 });
    const secret = f.add(T.secret, "auth", { kmsKeyId: "arn:aws:kms:eu-west-2:111122223333:key/k" });
    f.add(T.secretVersion, "auth", {
        secretId: f.ref(secret),
        secretString: store ? f.computed(store, "{...}") : f.computed(password, "{...}"),
    });
    const fn = f.add("aws:lambda/function:Function", "rotation", { runtime: "nodejs24.x" });
    if (opts.rotation === "none") return;
    f.add(SECRET_ROTATION, "auth", {
        secretId: f.ref(secret),
        rotationLambdaArn: f.arn(fn),
        ...(opts.rules === null ? {} : { rotationRules: opts.rules ?? { automaticallyAfterDays: 30 } }),
        ...(opts.rotation ?? {}),
    });
};
CASES.push(
    {
        policy: "credential-secrets-rotated",
        compliant: (f) => credential(f),
        violations: {
            "cache credential never rotated": (f) => credential(f, { rotation: "none" }),
            "database credential never rotated": (f) => credential(f, { store: "database", rotation: "none" }),
            "rotation without a schedule": (f) => credential(f, { rules: null }),
            "rotated yearly": (f) => credential(f, { rules: { automaticallyAfterDays: 365 } }),
        },
    },
    // A secret that is no store's credential (here an API key from a generated password) is out of scope.
    { policy: "credential-secrets-rotated", compliant: (f) => credential(f, { store: "none", rotation: "none" }), violations: {} },
);

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
