/** The audit policies (policy/audit.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { auditPolicies } from "../../policy/audit";
import { Case, describeCases, key, single } from "../support/policyCases";
import { Declared, Fixture } from "../support/policyFixtures";

const BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging";

/** A log target as createAccessLogBucket makes it; each part can be spoilt. */
function logTarget(f: Fixture, opts: { sse?: "AES256" | "aws:kms"; objectLock?: boolean; policy?: "logging" | "none" | "computed" } = {}): Declared {
    const target = f.add(T.bucket, "access-logs", { objectLockEnabled: opts.objectLock ?? false });
    f.add(T.bucketSse, "access-logs", {
        bucket: f.ref(target),
        rules: [
            {
                applyServerSideEncryptionByDefault:
                    opts.sse === "aws:kms" ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: f.arn(key(f)) } : { sseAlgorithm: "AES256" },
            },
        ],
    });
    const doc = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: "arn:aws:s3:::access-logs/s3-access/*",
                Condition: { StringEquals: { "aws:SourceAccount": "111122223333" }, ArnLike: { "aws:SourceArn": "arn:aws:s3:::trail" } },
            },
        ],
    });
    if (opts.policy !== "none")
        f.add(T.bucketPolicy, "access-logs", { bucket: f.ref(target), policy: opts.policy === "computed" ? f.computed(target, doc) : doc });
    return target;
}

/** A database as prod's and the DR replica's (no engine: a replica's is its source's); each part can be spoilt. */
function database(f: Fixture, opts: { interval?: number; exports?: string[]; groups?: "encrypted" | "plain" | "none"; engine?: string } = {}) {
    const logKey = key(f, "logs");
    const exports = opts.exports ?? ["postgresql", "upgrade"];
    if (opts.groups !== "none") {
        for (const log of exports) {
            f.add(T.logGroup, `db-${log}`, {
                name: `/aws/rds/instance/dr-database/${log}`,
                retentionInDays: 365,
                ...(opts.groups === "plain" ? {} : { kmsKeyId: f.arn(logKey) }),
            });
        }
    }
    const role = f.add(T.role, "monitoring", { assumeRolePolicy: "{}" });
    f.add(T.rds, "db", {
        identifier: "dr-database",
        ...(opts.engine ? { engine: opts.engine } : {}),
        monitoringInterval: opts.interval ?? 15,
        ...(opts.interval === 0 ? {} : { monitoringRoleArn: f.arn(role) }),
        enabledCloudwatchLogsExports: exports,
    });
}

/** A trail, its bucket and a replicated copy; each property of the copy can be spoilt. */
function trailWithCopy(f: Fixture, opts: { copy?: boolean; mode?: string; sourceMode?: string; region?: string; status?: string } = {}) {
    const bucket = f.add(T.bucket, "trail", { objectLockEnabled: true });
    f.add("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "trail", {
        bucket: f.ref(bucket),
        objectLockEnabled: "Enabled",
        rule: { defaultRetention: { mode: opts.sourceMode ?? "COMPLIANCE", days: 365 } },
    });
    f.add(T.trail, "trail", { s3BucketName: f.ref(bucket), isMultiRegionTrail: true });
    if (opts.copy === false) return;
    const copy = f.add(T.bucket, "trail-copy", { objectLockEnabled: true, region: opts.region ?? "eu-west-1" });
    f.add("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "trail-copy", {
        bucket: f.ref(copy),
        objectLockEnabled: "Enabled",
        rule: { defaultRetention: { mode: opts.mode ?? "COMPLIANCE", days: 365 } },
    });
    f.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "trail-copy", {
        bucket: f.ref(bucket),
        role: "arn:aws:iam::111122223333:role/replication",
        rules: [{ id: "copy", status: opts.status ?? "Enabled", filter: {}, destination: { bucket: f.arn(copy) } }],
    });
}

/** A logged bucket (the trail's) and, unless disabled, its BucketLogging to `target`. */
function logged(f: Fixture, target: Declared | "self" | undefined, prefix = "s3-access/trail/"): Declared {
    const bucket = f.add(T.bucket, "trail", { objectLockEnabled: true });
    if (target !== undefined)
        f.add(BUCKET_LOGGING, "trail", {
            bucket: f.ref(bucket),
            targetBucket: f.ref(target === "self" ? bucket : target),
            ...(prefix ? { targetPrefix: prefix } : {}),
        });
    return bucket;
}

const CASES: Case[] = [
    single(
        "cloudtrail-multi-region-validated",
        T.trail,
        (f) => ({ isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogFileValidation: true, kmsKeyId: f.arn(key(f)), s3BucketName: "trail" }),
        {
            "single region": () => ({ isMultiRegionTrail: false }),
            "no log file validation": () => ({ enableLogFileValidation: undefined }),
            "no CMK": () => ({ kmsKeyId: undefined }),
        },
    ),
    {
        policy: "vpc-flow-logs",
        compliant: (f) => {
            const vpc = f.add(T.vpc, "vpc", { cidrBlock: "10.10.0.0/16" });
            f.add(T.flowLog, "vpc", { vpcId: f.ref(vpc), trafficType: "ALL", logDestinationType: "cloud-watch-logs" });
        },
        violations: {
            "no flow log": (f) => void f.add(T.vpc, "vpc", { cidrBlock: "10.10.0.0/16" }),
            "rejected traffic only": (f) => {
                const vpc = f.add(T.vpc, "vpc", { cidrBlock: "10.10.0.0/16" });
                f.add(T.flowLog, "vpc", { vpcId: f.ref(vpc), trafficType: "REJECT" });
            },
        },
    },
    single("eks-control-plane-logs", T.eksComponent, () => ({ enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"] }), {
        "api only": () => ({ enabledClusterLogTypes: ["api"] }),
        none: () => ({ enabledClusterLogTypes: undefined }),
    }),
    {
        policy: "alb-access-logs",
        compliant: (f) => {
            const logs = f.add(T.bucket, "logs", {});
            f.add(T.lb, "alb", {
                loadBalancerType: "application",
                dropInvalidHeaderFields: true,
                accessLogs: { enabled: true, bucket: f.ref(logs), prefix: "alb" },
            });
        },
        violations: {
            "no access logs": (f) => void f.add(T.lb, "alb", { loadBalancerType: "application", dropInvalidHeaderFields: true }),
            "invalid headers forwarded": (f) => void f.add(T.lb, "alb", { loadBalancerType: "application", accessLogs: { enabled: true, bucket: "logs" } }),
        },
    },
    single("log-retention", T.logGroup, () => ({ retentionInDays: 365 }), {
        "30 days": () => ({ retentionInDays: 30 }),
        "never expires": () => ({ retentionInDays: undefined }),
    }),
    // issue #11: S3 server access logging and the log targets' rules
    {
        policy: "s3-access-logging",
        compliant: (f) => void logged(f, logTarget(f)),
        violations: {
            "audit bucket without access logging": (f) => {
                logTarget(f);
                logged(f, undefined);
            },
            "logs to itself": (f) => void logged(f, "self"),
            "no target prefix": (f) => void logged(f, logTarget(f), ""),
        },
    },
    {
        policy: "log-target-buckets",
        compliant: (f) => {
            logged(f, logTarget(f, { policy: "computed" }));
            const albLogs = f.add(T.bucket, "alb-logs", {});
            f.add(T.bucketSse, "alb-logs", { bucket: f.ref(albLogs), rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
            f.add(T.lb, "alb", { loadBalancerType: "application", accessLogs: { enabled: true, bucket: f.ref(albLogs) } });
        },
        violations: {
            "S3 access-log target under SSE-KMS": (f) => void logged(f, logTarget(f, { sse: "aws:kms" })),
            "S3 access-log target with Object Lock": (f) => void logged(f, logTarget(f, { objectLock: true })),
            "S3 access-log target without a policy for the logging principal": (f) => void logged(f, logTarget(f, { policy: "none" })),
            "ALB log bucket under SSE-KMS": (f) => {
                const albLogs = f.add(T.bucket, "alb-logs", {});
                f.add(T.bucketSse, "alb-logs", {
                    bucket: f.ref(albLogs),
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: f.arn(key(f)) } }],
                });
                f.add(T.lb, "alb", { loadBalancerType: "application", accessLogs: { enabled: true, bucket: f.ref(albLogs) } });
            },
        },
    },
    {
        policy: "rds-monitoring-and-log-exports",
        compliant: (f) => database(f),
        violations: {
            "no Enhanced Monitoring": (f) => database(f, { interval: 0 }),
            "no log exports": (f) => database(f, { exports: [] }),
            "postgres without the postgresql log": (f) => database(f, { engine: "postgres", exports: ["upgrade"] }),
            "log group left to RDS": (f) => database(f, { groups: "none" }),
            "log group without a CMK": (f) => database(f, { groups: "plain" }),
        },
    },
    {
        policy: "audit-trail-cross-region-copy",
        compliant: (f) => trailWithCopy(f),
        violations: {
            "a single copy": (f) => trailWithCopy(f, { copy: false }),
            "copy under governance mode": (f) => trailWithCopy(f, { mode: "GOVERNANCE" }),
            "trail bucket under governance mode (its replicas keep it)": (f) => trailWithCopy(f, { sourceMode: "GOVERNANCE" }),
            "copy in the trail's region": (f) => trailWithCopy(f, { region: "eu-west-2" }),
            "replication rule disabled": (f) => trailWithCopy(f, { status: "Disabled" }),
        },
    },
];

describe("policy pack: audit fixtures", () => {
    it("every audit policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            auditPolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases(CASES);
});
