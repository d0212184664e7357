/** The encryption policies (policy/encryption.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { encryptionPolicies } from "../../policy/encryption";
import { Case, bucketWith, describeCases, diagnose, ingress, key, single } from "../support/policyCases";
import { GUARDED_CASES } from "./guardedCases";

const CASES: Case[] = [
    single("rds-encrypted-with-cmk", T.rds, (f) => ({ engine: "postgres", storageEncrypted: true, kmsKeyId: f.arn(key(f)) }), {
        "storage not encrypted": () => ({ storageEncrypted: false }),
        "no CMK": () => ({ kmsKeyId: undefined }),
        "AWS-managed key": () => ({ kmsKeyId: "alias/aws/rds" }),
        "cross-region replica without its own key": () => ({
            replicateSourceDb: "arn:aws:rds:eu-west-2:111122223333:db:primary",
            storageEncrypted: undefined,
            kmsKeyId: undefined,
        }),
    }),
    single("elasticache-encrypted-at-rest", T.redis, (f) => ({ atRestEncryptionEnabled: true, kmsKeyId: f.arn(key(f)) }), {
        "at rest off": () => ({ atRestEncryptionEnabled: false }),
        "no CMK": () => ({ kmsKeyId: undefined }),
    }),
    {
        policy: "s3-bucket-sse-kms",
        compliant: (f) => void bucketWith(f),
        violations: {
            "no encryption configuration": (f) => void bucketWith(f, { sse: false }),
            "SSE-S3 (AES256)": (f) => void bucketWith(f, { sse: { sseAlgorithm: "AES256" } }),
            "SSE-KMS with the AWS-managed key": (f) => void bucketWith(f, { sse: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" } }),
            "SSE-S3 with a reason too short to count": (f) =>
                void bucketWith(f, { sse: { sseAlgorithm: "AES256" }, tags: { "hybrid-platform/sse-s3-reason": "logs" } }),
            "no encryption configuration, whatever the tag says": (f) =>
                void bucketWith(f, { sse: false, tags: { "hybrid-platform/sse-s3-reason": "ALB access log delivery supports SSE-S3 only" } }),
        },
    },
    {
        policy: "ebs-encrypted-with-cmk",
        compliant: (f) => {
            const k = key(f);
            f.add(T.launchTemplate, "nodes", {
                blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: f.arn(k), volumeSize: 50 } }],
            });
            f.add(T.ebs, "data", { encrypted: true, kmsKeyId: f.arn(k), availabilityZone: "eu-west-2a" });
            f.add(T.eksComponent, "cluster", { skipDefaultNodeGroup: true });
        },
        violations: {
            "launch template volume unencrypted": (f) =>
                void f.add(T.launchTemplate, "nodes", {
                    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", kmsKeyId: f.arn(key(f)) } }],
                }),
            "launch template without block devices": (f) => void f.add(T.launchTemplate, "nodes", { imageId: "ami-123" }),
            "volume without CMK": (f) => void f.add(T.ebs, "data", { encrypted: true }),
            "eks.Cluster default node group unencrypted": (f) => void f.add(T.eksComponent, "cluster", { instanceType: "m5.large" }),
        },
    },
    {
        policy: "eks-secrets-encrypted",
        compliant: (f) => {
            const k = key(f);
            f.add(T.eksComponent, "cluster", { encryptionConfigKeyArn: f.arn(k) });
            f.add(T.eksCluster, "raw", { encryptionConfig: { resources: ["secrets"], provider: { keyArn: f.arn(k) } } });
        },
        violations: {
            "eks.Cluster without encryptionConfigKeyArn": (f) => void f.add(T.eksComponent, "cluster", {}),
            "aws.eks.Cluster without encryptionConfig": (f) => void f.add(T.eksCluster, "raw", { roleArn: "arn:aws:iam::111122223333:role/eks" }),
            "encryptionConfig without secrets": (f) =>
                void f.add(T.eksCluster, "raw", { encryptionConfig: { resources: [], provider: { keyArn: f.arn(key(f)) } } }),
        },
    },
    single("log-group-encrypted", T.logGroup, (f) => ({ kmsKeyId: f.arn(key(f)), retentionInDays: 365 }), { "no CMK": () => ({ kmsKeyId: undefined }) }),
    single("secret-encrypted-with-cmk", T.secret, (f) => ({ kmsKeyId: f.arn(key(f)) }), {
        "default key": () => ({ kmsKeyId: undefined }),
        "AWS-managed alias": () => ({ kmsKeyId: "alias/aws/secretsmanager" }),
    }),
    single("sns-topic-encrypted", T.topic, (f) => ({ kmsMasterKeyId: f.arn(key(f)) }), {
        unencrypted: () => ({ kmsMasterKeyId: undefined }),
        "AWS-managed alias": () => ({ kmsMasterKeyId: "alias/aws/sns" }),
    }),
    single("kms-key-rotation", T.kmsKey, () => ({ enableKeyRotation: true, deletionWindowInDays: 30, customerMasterKeySpec: "SYMMETRIC_DEFAULT" }), {
        "rotation off": () => ({ enableKeyRotation: false }),
        "7-day deletion window": () => ({ deletionWindowInDays: 7 }),
    }),
    single(
        "kms-key-policy-scoped",
        T.kmsKey,
        () => ({
            policy: JSON.stringify({
                Statement: [{ Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }],
            }),
        }),
        {
            "Principal *": () => ({
                policy: JSON.stringify({ Statement: [{ Sid: "Open", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }] }),
            }),
            "Principal AWS *": () => ({
                policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "kms:*", Resource: "*" }] }),
            }),
        },
    ),
    single("redis-tls", T.redis, () => ({ transitEncryptionEnabled: true, transitEncryptionMode: "required" }), {
        "TLS off": () => ({ transitEncryptionEnabled: false }),
        "TLS preferred": () => ({ transitEncryptionMode: "preferred" }),
    }),
    {
        policy: "rds-force-ssl",
        compliant: (f) => {
            const pg = f.add(T.rdsParams, "pg", { family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }] });
            f.add(T.rds, "db", { engine: "postgres", parameterGroupName: f.ref(pg) });
            f.add(T.rds, "replica", { replicateSourceDb: "arn:aws:rds:eu-west-2:111122223333:db:db", parameterGroupName: f.ref(pg) });
        },
        violations: {
            "default parameter group": (f) => void f.add(T.rds, "db", { engine: "postgres" }),
            "force_ssl 0": (f) => {
                const pg = f.add(T.rdsParams, "pg", { family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "0" }] });
                f.add(T.rds, "db", { engine: "postgres", parameterGroupName: f.ref(pg) });
            },
        },
    },
    {
        policy: "alb-listener-tls13",
        compliant: (f) => {
            f.add(T.listener, "https", {
                protocol: "HTTPS",
                port: 443,
                sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                certificateArn: "arn:aws:acm:eu-west-2:111122223333:certificate/abc",
                defaultActions: [{ type: "forward" }],
            });
            f.add(T.listener, "http", {
                protocol: "HTTP",
                port: 80,
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            });
        },
        violations: {
            "TLS 1.2 policy": (f) =>
                void f.add(T.listener, "https", {
                    protocol: "HTTPS",
                    sslPolicy: "ELBSecurityPolicy-2016-08",
                    certificateArn: "arn:aws:acm:eu-west-2:111122223333:certificate/abc",
                }),
            "HTTP forwarding": (f) => void f.add(T.listener, "http", { protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }),
        },
    },
    {
        policy: "ingress-tls13",
        compliant: (f) => void ingress(f),
        violations: {
            "no ssl-redirect": (f) => void ingress(f, { "alb.ingress.kubernetes.io/ssl-redirect": undefined }),
            "TLS 1.2 policy": (f) => void ingress(f, { "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-2016-08" }),
            "HTTP only": (f) => void ingress(f, { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80}]' }),
        },
    },
    {
        policy: "s3-deny-insecure-transport",
        compliant: (f) => void bucketWith(f),
        violations: {
            "no bucket policy": (f) => void bucketWith(f, { policy: false }),
            "a second bucket without policy (checked in preview too)": (f) => {
                bucketWith(f);
                f.add(T.bucket, "logs", {});
            },
            "policy without the TLS deny": (f) => void bucketWith(f, { policy: "plain" }),
        },
    },
];

// issue #11 (build 4): the policies that guard what the program already gets right.
CASES.push(...GUARDED_CASES.encryption);

describe("policy pack: encryption fixtures", () => {
    it("every encryption policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            encryptionPolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases(CASES);
});

describe("s3-bucket-sse-kms: a declared SSE-S3 opt-out", () => {
    for (const mode of ["update", "preview"] as const) {
        it(`is reported as advisory with its reason (${mode})`, async () => {
            const reason = "ALB access log delivery supports SSE-S3 only";
            const ds = await diagnose(
                (f) => void bucketWith(f, { sse: { sseAlgorithm: "AES256" }, tags: { "hybrid-platform/sse-s3-reason": reason } }),
                mode,
                "s3-bucket-sse-kms",
            );
            assert.deepEqual(
                ds.map((d) => d.enforcementLevel),
                ["advisory"],
            );
            assert.ok(ds[0].message.includes(reason));
        });
    }
});
