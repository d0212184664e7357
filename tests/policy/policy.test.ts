/**
 * Every policy of the pack has a compliant fixture and violating ones, each evaluated in
 * the update shape and the preview shape (references unknown, joined through
 * propertyDependencies) through the same analyzer path as `pulumi preview --policy-pack`.
 */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { allPolicies } from "../../policy/policies";
import { analyzeResources } from "../../tools/policyRunner";
import { Declared, Fixture, Mode, network } from "../support/policyFixtures";

type Build = (f: Fixture) => void;

interface Case {
    readonly policy: string;
    readonly compliant: Build;
    readonly violations: Record<string, Build>;
    /** The compliant fixture computes a checked prop from another resource's output: preview can only say "can't run". */
    readonly previewCannotRun?: boolean;
    /** Environment of the fixture stack. Default production. */
    readonly environment?: string;
}

const key = (f: Fixture, name = "key") => f.add(T.kmsKey, name, { enableKeyRotation: true, deletionWindowInDays: 30 });

/** One resource per case: good props, and each violation a shallow patch (undefined deletes). */
function single(policy: string, type: string, good: (f: Fixture) => Record<string, unknown>, bad: Record<string, (f: Fixture) => Record<string, unknown>>, extra: Partial<Case> = {}): Case {
    return {
        policy,
        compliant: (f) => void f.add(type, "subject", good(f)),
        violations: Object.fromEntries(Object.entries(bad).map(([what, patch]) => [what, (f: Fixture) => void f.add(type, "subject", { ...good(f), ...patch(f) })])),
        ...extra,
    };
}

const container = (overrides: Record<string, unknown> = {}) => ({
    name: "web",
    image: "111122223333.dkr.ecr.eu-west-2.amazonaws.com/web:1.4.2",
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ["ALL"] } },
    resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
    readinessProbe: { httpGet: { path: "/healthz", port: 8000 } },
    livenessProbe: { httpGet: { path: "/healthz", port: 8000 } },
    env: [{ name: "DATABASE_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }, { name: "DATABASE_CREDENTIALS_FILE", value: "/mnt/secrets/db" }],
    ...overrides,
});

function deployment(f: Fixture, opts: { replicas?: number; container?: Record<string, unknown>; spread?: boolean; annotations?: Record<string, string>; image?: unknown } = {}): Declared {
    return f.add(T.deployment, "web", {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "portal", annotations: opts.annotations ?? {} },
        spec: {
            replicas: opts.replicas ?? 3,
            selector: { matchLabels: { app: "web" } },
            template: {
                metadata: { labels: { app: "web" } },
                spec: {
                    securityContext: { runAsNonRoot: true },
                    containers: [{ ...container(opts.container), ...(opts.image !== undefined ? { image: opts.image } : {}) }],
                    ...(opts.spread === false ? {} : { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } } }] }),
                },
            },
        },
    });
}
const pdb = (f: Fixture, labels: Record<string, string> = { app: "web" }) =>
    f.add(T.pdb, "web", { metadata: { name: "web", namespace: "portal" }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } });

const denyInsecure = (arn: string) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }] });

function bucketWith(
    f: Fixture,
    parts: { sse?: Record<string, unknown> | false; versioning?: string | false; pab?: Record<string, boolean> | false; policy?: "deny" | "plain" | false; tags?: Record<string, string> } = {},
) {
    const bucket = f.add(T.bucket, "documents", { forceDestroy: false, ...(parts.tags ? { tags: parts.tags } : {}) });
    if (parts.sse !== false) {
        f.add(T.bucketSse, "documents", { bucket: f.ref(bucket), rules: [{ applyServerSideEncryptionByDefault: parts.sse ?? { sseAlgorithm: "aws:kms", kmsMasterKeyId: f.arn(key(f)) }, bucketKeyEnabled: true }] });
    }
    if (parts.versioning !== false) f.add(T.bucketVersioning, "documents", { bucket: f.ref(bucket), versioningConfiguration: { status: parts.versioning ?? "Enabled" } });
    if (parts.pab !== false) {
        f.add(T.bucketPab, "documents", { bucket: f.ref(bucket), blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, ...(parts.pab ?? {}) });
    }
    if (parts.policy === "deny" || parts.policy === undefined) f.add(T.bucketPolicy, "documents", { bucket: f.ref(bucket), policy: f.computed(bucket, denyInsecure(f.arnOf(bucket))) });
    if (parts.policy === "plain") {
        f.add(T.bucketPolicy, "documents", { bucket: f.ref(bucket), policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:GetObject", Resource: "*" }] }) });
    }
    return bucket;
}

const goodVpn: Record<string, unknown> = Object.fromEntries(
    ["tunnel1", "tunnel2"].flatMap((t) => [
        [`${t}IkeVersions`, ["ikev2"]],
        [`${t}Phase1EncryptionAlgorithms`, ["AES256-GCM-16"]],
        [`${t}Phase2EncryptionAlgorithms`, ["AES256-GCM-16"]],
        [`${t}Phase1IntegrityAlgorithms`, ["SHA2-384"]],
        [`${t}Phase2IntegrityAlgorithms`, ["SHA2-384"]],
        [`${t}Phase1DhGroupNumbers`, [20, 21]],
        [`${t}Phase2DhGroupNumbers`, [20, 21]],
        [`${t}LogOptions`, { cloudwatchLogOptions: { logEnabled: true, logGroupArn: "arn:aws:logs:eu-west-2:111122223333:log-group:vpn" } }],
    ]),
);

const webAclRules = (opts: { sqli?: boolean; commonCount?: boolean; rate?: boolean } = {}) => [
    ...(opts.sqli === false ? [] : [{ name: "sqli", priority: 1, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesSQLiRuleSet" } }, visibilityConfig: {} }]),
    { name: "common", priority: 2, overrideAction: opts.commonCount ? { count: {} } : { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } }, visibilityConfig: {} },
    ...(opts.rate === false ? [] : [{ name: "rate", priority: 3, action: { block: {} }, statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } }, visibilityConfig: {} }]),
];

function edge(f: Fixture, opts: { assoc?: boolean; acl?: Parameters<typeof webAclRules>[0] } = {}) {
    const sg = f.add(T.sg, "alb", { description: "ALB" });
    const lb = f.add(T.lb, "alb", { internal: false, loadBalancerType: "application", securityGroups: [f.ref(sg)], dropInvalidHeaderFields: true, enableDeletionProtection: true });
    const acl = f.add(T.webAcl, "edge", { scope: "REGIONAL", defaultAction: { allow: {} }, rules: webAclRules(opts.acl) });
    if (opts.assoc !== false) f.add(T.webAclAssoc, "edge", { resourceArn: f.arn(lb), webAclArn: f.arn(acl) });
    return { sg, lb, acl };
}

const trust = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", ...statement }] });

const ingressAnnotations = {
    "alb.ingress.kubernetes.io/scheme": "internet-facing",
    "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
    "alb.ingress.kubernetes.io/ssl-redirect": "443",
    "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:eu-west-2:111122223333:certificate/abc",
    "alb.ingress.kubernetes.io/wafv2-acl-arn": "arn:aws:wafv2:eu-west-2:111122223333:regional/webacl/edge/1",
};
const ingress = (f: Fixture, annotations: Record<string, string | undefined> = {}) =>
    f.add(T.ingress, "portal", { metadata: { name: "portal", namespace: "portal", annotations: JSON.parse(JSON.stringify({ ...ingressAnnotations, ...annotations })) }, spec: { ingressClassName: "alb" } });

export const CASES: Case[] = [
    // ------------------------------------------------------------------ encryption
    single("rds-encrypted-with-cmk", T.rds, (f) => ({ engine: "postgres", storageEncrypted: true, kmsKeyId: f.arn(key(f)) }), {
        "storage not encrypted": () => ({ storageEncrypted: false }),
        "no CMK": () => ({ kmsKeyId: undefined }),
        "AWS-managed key": () => ({ kmsKeyId: "alias/aws/rds" }),
        "cross-region replica without its own key": () => ({ replicateSourceDb: "arn:aws:rds:eu-west-2:111122223333:db:primary", storageEncrypted: undefined, kmsKeyId: undefined }),
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
            "SSE-S3 with a reason too short to count": (f) => void bucketWith(f, { sse: { sseAlgorithm: "AES256" }, tags: { "hybrid-platform/sse-s3-reason": "logs" } }),
            "no encryption configuration, whatever the tag says": (f) => void bucketWith(f, { sse: false, tags: { "hybrid-platform/sse-s3-reason": "ALB access log delivery supports SSE-S3 only" } }),
        },
    },
    {
        policy: "ebs-encrypted-with-cmk",
        compliant: (f) => {
            const k = key(f);
            f.add(T.launchTemplate, "nodes", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: f.arn(k), volumeSize: 50 } }] });
            f.add(T.ebs, "data", { encrypted: true, kmsKeyId: f.arn(k), availabilityZone: "eu-west-2a" });
            f.add(T.eksComponent, "cluster", { skipDefaultNodeGroup: true });
        },
        violations: {
            "launch template volume unencrypted": (f) => void f.add(T.launchTemplate, "nodes", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", kmsKeyId: f.arn(key(f)) } }] }),
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
            "encryptionConfig without secrets": (f) => void f.add(T.eksCluster, "raw", { encryptionConfig: { resources: [], provider: { keyArn: f.arn(key(f)) } } }),
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
        () => ({ policy: JSON.stringify({ Statement: [{ Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }] }) }),
        {
            "Principal *": () => ({ policy: JSON.stringify({ Statement: [{ Sid: "Open", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }] }) }),
            "Principal AWS *": () => ({ policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "kms:*", Resource: "*" }] }) }),
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
            f.add(T.listener, "https", { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: "arn:aws:acm:eu-west-2:111122223333:certificate/abc", defaultActions: [{ type: "forward" }] });
            f.add(T.listener, "http", { protocol: "HTTP", port: 80, defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] });
        },
        violations: {
            "TLS 1.2 policy": (f) => void f.add(T.listener, "https", { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08", certificateArn: "arn:aws:acm:eu-west-2:111122223333:certificate/abc" }),
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
    // ------------------------------------------------------------------ availability
    {
        policy: "rds-multi-az",
        compliant: (f) => {
            f.add(T.rds, "db", { engine: "postgres", multiAz: true });
            f.add(T.rds, "dr-replica", { replicateSourceDb: "arn:aws:rds:eu-west-2:111122223333:db:db" });
        },
        violations: { "single-AZ primary": (f) => void f.add(T.rds, "db", { engine: "postgres", multiAz: false }) },
    },
    single("redis-multi-az-failover", T.redis, () => ({ automaticFailoverEnabled: true, multiAzEnabled: true, numCacheClusters: 3 }), {
        "no failover": () => ({ automaticFailoverEnabled: false }),
        "not multi-AZ": () => ({ multiAzEnabled: undefined }),
        "no replica": () => ({ numCacheClusters: 1 }),
    }),
    {
        policy: "tier-subnets-span-azs",
        compliant: (f) => {
            const net = network(f);
            f.add(T.rdsSubnets, "db", { subnetIds: net.subnets.isolated.map((s) => f.ref(s)) });
        },
        violations: {
            "two AZs": (f) => void network(f, { azs: 2 }),
            "subnet group in one AZ": (f) => {
                const net = network(f);
                f.add(T.cacheSubnets, "redis", { subnetIds: [f.ref(net.subnets.isolated[0])] });
            },
        },
    },
    {
        policy: "nat-gateway-per-az",
        compliant: (f) => void network(f),
        violations: { "single NAT gateway (network.singleNatGateway)": (f) => void network(f, { singleNat: true }) },
    },
    {
        policy: "private-tier-no-internet-route",
        compliant: (f) => void network(f),
        violations: {
            "private route to the internet gateway": (f) => {
                const net = network(f);
                f.add(T.route, "private-0-direct", { routeTableId: f.ref(net.tables.private[0]), destinationCidrBlock: "198.51.100.0/24", gatewayId: f.ref(net.igw) });
            },
        },
    },
    {
        policy: "prod-workload-availability",
        compliant: (f) => {
            deployment(f);
            pdb(f);
        },
        violations: {
            "one replica": (f) => {
                deployment(f, { replicas: 1 });
                pdb(f);
            },
            "no PodDisruptionBudget": (f) => void deployment(f),
            "PDB selecting other pods": (f) => {
                deployment(f);
                pdb(f, { app: "other" });
            },
            "no zone spread": (f) => {
                deployment(f, { spread: false });
                pdb(f);
            },
        },
    },
    {
        policy: "node-groups-span-azs",
        compliant: (f) => {
            const net = network(f);
            net.subnets.private.forEach((s, i) => f.add(T.nodeGroup, `nodes-${i}`, { subnetIds: [f.ref(s)], scalingConfig: { minSize: 2, maxSize: 6, desiredSize: 2 } }));
        },
        violations: {
            "one AZ": (f) => {
                const net = network(f);
                f.add(T.nodeGroup, "nodes", { subnetIds: [f.ref(net.subnets.private[0])], scalingConfig: { minSize: 2 } });
            },
            "minSize 1": (f) => {
                const net = network(f);
                f.add(T.nodeGroup, "nodes", { subnetIds: net.subnets.private.map((s) => f.ref(s)), scalingConfig: { minSize: 1 } });
            },
        },
    },
    // ------------------------------------------------------------------ network exposure
    {
        policy: "data-subnets-isolated",
        compliant: (f) => {
            const net = network(f);
            f.add(T.rdsSubnets, "db", { subnetIds: net.subnets.isolated.map((s) => f.ref(s)) });
            f.add(T.cacheSubnets, "redis", { subnetIds: net.subnets.isolated.map((s) => f.ref(s)) });
        },
        violations: {
            "subnet group on NAT-routed private subnets": (f) => {
                const net = network(f);
                f.add(T.rdsSubnets, "db", { subnetIds: net.subnets.private.map((s) => f.ref(s)) });
            },
            "isolated route table routed to the internet gateway": (f) => {
                const net = network(f);
                f.add(T.route, "isolated-0-internet", { routeTableId: f.ref(net.tables.isolated[0]), destinationCidrBlock: "0.0.0.0/0", gatewayId: f.ref(net.igw) });
            },
            "subnet group on subnets outside the stack": (f) => {
                network(f);
                f.add(T.cacheSubnets, "redis", { subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] });
            },
        },
    },
    single("data-stores-not-public", T.rds, () => ({ engine: "postgres", publiclyAccessible: false }), { "publicly accessible": () => ({ publiclyAccessible: true }) }),
    {
        policy: "no-world-ingress",
        compliant: (f) => {
            const { sg } = edge(f);
            f.add(T.sgIngress, "alb-https", { securityGroupId: f.ref(sg), ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
            f.add(T.sgIngress, "alb-http", { securityGroupId: f.ref(sg), ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv6: "::/0" });
            const app = f.add(T.sg, "app", { ingress: [{ fromPort: 8000, toPort: 8000, protocol: "tcp", securityGroups: [f.ref(sg)] }] });
            f.add(T.sgRule, "app-vpc", { type: "ingress", securityGroupId: f.ref(app), fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["10.10.0.0/16"] });
        },
        violations: {
            "SSH from the world": (f) => {
                const { sg } = edge(f);
                f.add(T.sgIngress, "ssh", { securityGroupId: f.ref(sg), ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" });
            },
            "443 from the world on a group no load balancer uses": (f) => {
                const app = f.add(T.sg, "app", {});
                f.add(T.sgRule, "app-https", { type: "ingress", securityGroupId: f.ref(app), fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] });
            },
            "inline ::/0 all ports": (f) => void f.add(T.sg, "app", { ingress: [{ fromPort: 0, toPort: 0, protocol: "-1", ipv6CidrBlocks: ["::/0"] }] }),
        },
    },
    {
        policy: "data-sg-private-sources",
        compliant: (f) => {
            const app = f.add(T.sg, "app", {});
            const data = f.add(T.sg, "data", {});
            f.add(T.rds, "db", { engine: "postgres", vpcSecurityGroupIds: [f.ref(data)] });
            f.add(T.sgIngress, "from-app", { securityGroupId: f.ref(data), referencedSecurityGroupId: f.ref(app), ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
            f.add(T.sgIngress, "from-on-prem", { securityGroupId: f.ref(data), cidrIpv4: "172.16.16.0/20", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
        },
        violations: {
            "public CIDR on the cache": (f) => {
                const data = f.add(T.sg, "data", {});
                f.add(T.redis, "redis", { securityGroupIds: [f.ref(data)] });
                f.add(T.sgIngress, "partner", { securityGroupId: f.ref(data), cidrIpv4: "203.0.113.0/24", ipProtocol: "tcp", fromPort: 6379, toPort: 6379 });
            },
        },
    },
    {
        policy: "eks-api-not-public",
        compliant: (f) => {
            f.add(T.eksComponent, "private", { endpointPrivateAccess: true, endpointPublicAccess: false });
            f.add(T.eksCluster, "listed", { vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.0/24"] } });
        },
        violations: {
            "eks.Cluster defaults (public, all CIDRs)": (f) => void f.add(T.eksComponent, "cluster", {}),
            "public to 0.0.0.0/0": (f) => void f.add(T.eksCluster, "raw", { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } }),
        },
    },
    {
        policy: "isolated-nacl-not-allow-all",
        compliant: (f) => {
            const net = network(f);
            const nacl = f.add(T.nacl, "isolated", { vpcId: f.ref(net.vpc), subnetIds: net.subnets.isolated.map((s) => f.ref(s)), tags: { "hybrid:tier": "isolated" } });
            f.add(T.naclRule, "isolated-in-100", { networkAclId: f.ref(nacl), ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "10.10.4.0/22", fromPort: 5432, toPort: 5432 });
            const pub = f.add(T.nacl, "public", { vpcId: f.ref(net.vpc), subnetIds: net.subnets.public.map((s) => f.ref(s)), tags: { "hybrid:tier": "public" } });
            f.add(T.naclRule, "public-in-100", { networkAclId: f.ref(pub), ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 443, toPort: 443 });
        },
        violations: {
            "0.0.0.0/0 rule on an untagged NACL of isolated subnets": (f) => {
                const net = network(f);
                const nacl = f.add(T.nacl, "data", { vpcId: f.ref(net.vpc), subnetIds: net.subnets.isolated.map((s) => f.ref(s)) });
                f.add(T.naclRule, "data-in-100", { networkAclId: f.ref(nacl), ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 5432, toPort: 5432 });
            },
            "inline all-protocol rule": (f) => {
                const net = network(f);
                f.add(T.nacl, "isolated", { vpcId: f.ref(net.vpc), tags: { "hybrid:tier": "isolated" }, ingress: [{ ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: "10.0.0.0/8", fromPort: 0, toPort: 0 }] });
            },
        },
    },
    single("subnets-no-public-ip-on-launch", T.subnet, () => ({ cidrBlock: "10.10.0.0/24", mapPublicIpOnLaunch: false }), { "public IPs on launch": () => ({ mapPublicIpOnLaunch: true }) }),
    {
        policy: "default-sg-and-nacl-deny-all",
        compliant: (f) => {
            f.add(T.defaultSg, "default", { ingress: [], egress: [] });
            f.add(T.defaultNacl, "default", { defaultNetworkAclId: "acl-1" });
        },
        violations: {
            "default SG allows its members": (f) => void f.add(T.defaultSg, "default", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }], egress: [] }),
            "default NACL allows all": (f) => void f.add(T.defaultNacl, "default", { ingress: [{ ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 }] }),
        },
    },
    single("vpn-strong-crypto", T.vpn, () => ({ type: "ipsec.1", ...goodVpn }), {
        "IKEv1 allowed": () => ({ tunnel1IkeVersions: ["ikev1", "ikev2"] }),
        "DH group 2": () => ({ tunnel2Phase1DhGroupNumbers: [2, 20] }),
        "AWS defaults": () => ({ tunnel1Phase2EncryptionAlgorithms: undefined }),
        "tunnel logs off": () => ({ tunnel2LogOptions: { cloudwatchLogOptions: { logEnabled: false } } }),
    }),
    // ------------------------------------------------------------------ identity
    single("iam-role-trust-scoped", T.role, () => ({
        assumeRolePolicy: trust({
            Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-2.amazonaws.com/id/ABC" },
            Condition: { StringEquals: { "oidc.eks.eu-west-2.amazonaws.com/id/ABC:sub": "system:serviceaccount:portal:web", "oidc.eks.eu-west-2.amazonaws.com/id/ABC:aud": "sts.amazonaws.com" } },
        }),
    }), {
        "Principal *": () => ({ assumeRolePolicy: trust({ Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) }),
        "IRSA without :sub": () => ({
            assumeRolePolicy: trust({ Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/x" }, Condition: { StringEquals: { "oidc.eks.eu-west-2.amazonaws.com/id/ABC:aud": "sts.amazonaws.com" } } }),
        }),
    }),
    single("iam-no-wildcard-admin", T.rolePolicy, () => ({
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::documents/*" }] }),
    }), {
        "Action *": () => ({ policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) }),
        "s3:* on *": () => ({ policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["s3:*"], Resource: ["*"] }] }) }),
    }),
    {
        policy: "no-plaintext-passwords",
        compliant: (f) => {
            // The PostgresDatabase shape: generated, write-only to RDS, stored in a secret.
            const generated = f.add(T.randomPassword, "master", { length: 40, special: true });
            const db = f.add(T.rds, "db", { engine: "postgres", username: "platform_admin", passwordWo: f.computed(generated, "generated"), passwordWoVersion: 1 });
            const secret = f.add(T.secret, "master", { name: "db/master" });
            f.add(T.secretVersion, "master", { secretId: f.ref(secret), secretStringWo: f.computed(generated, JSON.stringify({ password: "generated" })), secretStringWoVersion: 1, host: f.ref(db) });
            f.add(T.rds, "managed", { engine: "postgres", manageMasterUserPassword: true, username: "portal" });
            f.add(T.rds, "replica", { replicateSourceDb: "arn:aws:rds:eu-west-2:111122223333:db:db" });
            // A promoted replica: no password of its own, the inherited one named by its secret.
            f.add(T.rds, "promoted", { tags: { "hybrid-platform/master-credential": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db/master-AbCdEf" } });
        },
        violations: {
            "literal password": (f) => void f.add(T.rds, "db", { engine: "postgres", password: "correct-horse" }),
            "password not managed": (f) => void f.add(T.rds, "db", { engine: "postgres", manageMasterUserPassword: false }),
            "write-only literal": (f) => void f.add(T.rds, "db", { engine: "postgres", passwordWo: "correct-horse", passwordWoVersion: 1 }),
            "generated but stored nowhere": (f) => {
                const generated = f.add(T.randomPassword, "master", { length: 40 });
                f.add(T.rds, "db", { engine: "postgres", passwordWo: f.computed(generated, "generated"), passwordWoVersion: 1 });
            },
            "stored, but a different password": (f) => {
                const generated = f.add(T.randomPassword, "master", { length: 40 });
                const other = f.add(T.randomPassword, "other", { length: 40 });
                f.add(T.rds, "db", { engine: "postgres", passwordWo: f.computed(generated, "generated"), passwordWoVersion: 1 });
                f.add(T.secretVersion, "master", { secretId: "db/master", secretStringWo: f.computed(other, "other"), secretStringWoVersion: 1 });
            },
            "cluster master password": (f) => void f.add(T.rdsCluster, "db", { engine: "aurora-postgresql", masterPassword: "correct-horse", manageMasterUserPassword: true }),
            "credential tag not a secret": (f) => void f.add(T.rds, "promoted", { tags: { "hybrid-platform/master-credential": "ask the DBA" } }),
        },
    },
    // ------------------------------------------------------------------ audit
    single("cloudtrail-multi-region-validated", T.trail, (f) => ({ isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogFileValidation: true, kmsKeyId: f.arn(key(f)), s3BucketName: "trail" }), {
        "single region": () => ({ isMultiRegionTrail: false }),
        "no log file validation": () => ({ enableLogFileValidation: undefined }),
        "no CMK": () => ({ kmsKeyId: undefined }),
    }),
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
            f.add(T.lb, "alb", { loadBalancerType: "application", dropInvalidHeaderFields: true, accessLogs: { enabled: true, bucket: f.ref(logs), prefix: "alb" } });
        },
        violations: {
            "no access logs": (f) => void f.add(T.lb, "alb", { loadBalancerType: "application", dropInvalidHeaderFields: true }),
            "invalid headers forwarded": (f) => void f.add(T.lb, "alb", { loadBalancerType: "application", accessLogs: { enabled: true, bucket: "logs" } }),
        },
    },
    single("log-retention", T.logGroup, () => ({ retentionInDays: 365 }), { "30 days": () => ({ retentionInDays: 30 }), "never expires": () => ({ retentionInDays: undefined }) }),
    // ------------------------------------------------------------------ data protection
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
        violations: { "no block": (f) => void bucketWith(f, { pab: false }), "public policies allowed": (f) => void bucketWith(f, { pab: { blockPublicPolicy: false } }) },
    },
    // ------------------------------------------------------------------ Kubernetes workloads
    {
        policy: "k8s-pod-hardening",
        compliant: (f) => void deployment(f),
        violations: {
            privileged: (f) => void deployment(f, { container: { securityContext: { ...container().securityContext, privileged: true } } }),
            "privilege escalation": (f) => void deployment(f, { container: { securityContext: { ...container().securityContext, allowPrivilegeEscalation: true } } }),
            "writable root filesystem": (f) => void deployment(f, { container: { securityContext: { ...container().securityContext, readOnlyRootFilesystem: false } } }),
            "root user": (f) => void deployment(f, { container: { securityContext: { ...container().securityContext, runAsUser: 0 } } }),
        },
    },
    {
        policy: "k8s-resources-and-probes",
        compliant: (f) => void deployment(f),
        violations: {
            "no limits": (f) => void deployment(f, { container: { resources: { requests: { cpu: "500m", memory: "1Gi" } } } }),
            "no readiness probe": (f) => void deployment(f, { container: { readinessProbe: undefined } }),
        },
    },
    {
        policy: "k8s-no-secret-literals",
        compliant: (f) => void deployment(f),
        violations: {
            "literal password": (f) => void deployment(f, { container: { env: [{ name: "DATABASE_PASSWORD", value: "hunter2" }] } }),
            "password from a program value": (f) => {
                const secret = f.add(T.secret, "db", {});
                deployment(f, { container: { env: [{ name: "REDIS_AUTH_TOKEN", value: f.computed(secret, "s3cr3t") }] } });
            },
        },
    },
    // ------------------------------------------------------------------ supply chain
    {
        policy: "images-from-project-ecr",
        compliant: (f) => {
            const repo = f.add(T.ecr, "web", { name: "web", imageTagMutability: "IMMUTABLE" });
            deployment(f, { image: f.computed(repo, "111122223333.dkr.ecr.eu-west-2.amazonaws.com/web:1.4.2") });
        },
        violations: {
            "another project's ECR repository": (f) => {
                f.add(T.ecr, "web", { name: "web", imageTagMutability: "IMMUTABLE" });
                deployment(f, { image: "444455556666.dkr.ecr.eu-west-2.amazonaws.com/someone-else:2.0.0" });
            },
            "Docker Hub image": (f) => void deployment(f, { image: "nginx:1.27" }),
            "ECR latest": (f) => void deployment(f, { image: "111122223333.dkr.ecr.eu-west-2.amazonaws.com/web:latest" }),
            "image computed from something else": (f) => {
                const other = f.add(T.secret, "tag", {});
                deployment(f, { image: f.computed(other, "docker.io/library/web:1") });
            },
        },
    },
    single("ecr-scan-immutable-kms", T.ecr, (f) => ({ imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: f.arn(key(f)) }] }), {
        "mutable tags": () => ({ imageTagMutability: "MUTABLE" }),
        "no scan on push": () => ({ imageScanningConfiguration: { scanOnPush: false } }),
        "AES256 encryption": () => ({ encryptionConfigurations: [{ encryptionType: "AES256" }] }),
    }),
    // ------------------------------------------------------------------ edge
    single("waf-managed-rules", T.webAcl, () => ({ scope: "REGIONAL", rules: webAclRules() }), {
        "no SQLi rule group": () => ({ rules: webAclRules({ sqli: false }) }),
        "common rules in count mode": () => ({ rules: webAclRules({ commonCount: true }) }),
        "no rate-based rule": () => ({ rules: webAclRules({ rate: false }) }),
    }),
    {
        policy: "waf-on-internet-facing",
        compliant: (f) => {
            edge(f);
            ingress(f);
            f.add(T.lb, "internal", { internal: true, loadBalancerType: "application" });
        },
        violations: {
            "ALB without web ACL": (f) => void edge(f, { assoc: false }),
            "ALB with a web ACL lacking SQLi": (f) => void edge(f, { acl: { sqli: false } }),
            "internet-facing ingress without wafv2-acl-arn": (f) => void ingress(f, { "alb.ingress.kubernetes.io/wafv2-acl-arn": undefined }),
        },
    },
];

async function diagnose(build: Build, mode: Mode, policy: string, environment?: string) {
    const f = new Fixture(environment);
    build(f);
    const p = allPolicies.find((x) => x.name === policy);
    assert.ok(p, `no policy ${policy}`);
    return analyzeResources(f.resources(mode), { policies: [p] });
}

describe("policy pack: compliant and violating fixtures", () => {
    it("every policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(allPolicies.map((p) => p.name).filter((n) => !covered.has(n)), []);
    });

    it("every policy states its concern, seed section, remediation and a waiverReason setting", () => {
        for (const p of allPolicies) {
            assert.ok(p.description.length > 20 && p.remediationSteps && p.meta.seed && p.meta.why, p.name);
            assert.ok(p.configSchema?.properties.waiverReason, p.name);
        }
        assert.equal(new Set(allPolicies.map((p) => p.name)).size, allPolicies.length, "policy names are unique");
    });

    for (const c of CASES) {
        describe(`${c.policy}${c.environment ? ` (${c.environment})` : ""}`, () => {
            for (const mode of ["update", "preview"] as const) {
                it(`passes the compliant fixture (${mode})`, async () => {
                    const ds = await diagnose(c.compliant, mode, c.policy, c.environment);
                    const unexpected = ds.filter((d) => !(c.previewCannotRun && mode === "preview" && d.enforcementLevel === "advisory" && /can't run/.test(d.message)));
                    assert.deepEqual(unexpected.map((d) => d.message), []);
                });
                for (const [what, build] of Object.entries(c.violations)) {
                    it(`rejects: ${what} (${mode})`, async () => {
                        const ds = await diagnose(build, mode, c.policy, c.environment);
                        assert.ok(
                            ds.some((d) => d.policy === c.policy && d.enforcementLevel === "mandatory"),
                            `expected a mandatory ${c.policy} violation, got ${JSON.stringify(ds.map((d) => `${d.enforcementLevel}: ${d.message}`))}`,
                        );
                    });
                }
            }
        });
    }
});

describe("s3-bucket-sse-kms: a declared SSE-S3 opt-out", () => {
    for (const mode of ["update", "preview"] as const) {
        it(`is reported as advisory with its reason (${mode})`, async () => {
            const reason = "ALB access log delivery supports SSE-S3 only";
            const ds = await diagnose((f) => void bucketWith(f, { sse: { sseAlgorithm: "AES256" }, tags: { "hybrid-platform/sse-s3-reason": reason } }), mode, "s3-bucket-sse-kms");
            assert.deepEqual(ds.map((d) => d.enforcementLevel), ["advisory"]);
            assert.ok(ds[0].message.includes(reason));
        });
    }
});

describe("node-groups-span-azs: a lowered node floor", () => {
    const pilotLight = (f: Fixture) => {
        const subnets = ["a", "b", "c"].map((z) => f.add(T.subnet, `private-${z}`, { availabilityZone: `eu-west-2${z}`, tags: { "hybrid:tier": "private" } }));
        subnets.forEach((s, i) => f.add(T.nodeGroup, `nodes-${i}`, { subnetIds: [f.ref(s)], scalingConfig: { minSize: 1, maxSize: 21, desiredSize: 1 } }));
    };
    const run = (config: Record<string, unknown>) => {
        const f = new Fixture();
        pilotLight(f);
        return analyzeResources(f.resources("update"), { policies: allPolicies.filter((p) => p.name === "node-groups-span-azs"), config: { "node-groups-span-azs": config } });
    };

    it("stays mandatory when lowered without a written reason, or with only a waiverReason", async () => {
        for (const config of [{ minNodesPerGroup: 1 }, { minNodesPerGroup: 1, waiverReason: "a reason for something else entirely" }]) {
            const ds = await run(config);
            assert.deepEqual([...new Set(ds.map((d) => d.enforcementLevel))], ["mandatory"]);
        }
    });

    it("is reported as advisory, with the reason, when lowered with one", async () => {
        const reason = "pilot light: one node per AZ until failover";
        const ds = await run({ minNodesPerGroup: 1, minNodesPerGroupReason: reason });
        assert.equal(ds.length, 3);
        assert.ok(ds.every((d) => d.enforcementLevel === "advisory" && d.message.includes(reason)));
    });
});
