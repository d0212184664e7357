/**
 * Encryption at rest with customer-managed keys and encryption in transit (seed 4.2:
 * "AES-256 encryption using AWS KMS for RDS, S3, and EBS"; "TLS 1.3 for all public and
 * internal communications").
 */
import { PolicyResource } from "@pulumi/policy";
import { Graph, Guardrail, T, UNKNOWN, asArray, isSet, label, parseJson, peek, resourceGuardrail, stackGuardrail } from "./lib";

/** Bucket tag that declares an SSE-S3 opt-out and its reason (set by components/security/secureBucket.ts). */
export const SSE_S3_REASON_TAG = "hybrid-platform/sse-s3-reason";

/** AWS-managed key aliases: encrypted, but not with a key the platform controls (rotation, key policy, audit). */
const isAwsManagedKey = (v: unknown) => typeof v === "string" && /^(arn:aws[\w-]*:kms:[^:]*:[^:]*:)?alias\/aws\//.test(v);

function requireCmk(props: Record<string, unknown>, key: string, what: string, report: (m: string) => void) {
    if (!isSet(props, key)) return report(`${what}: ${key} is not set (a customer-managed KMS key is required)`);
    const v = peek(() => props[key]);
    if (v !== UNKNOWN && isAwsManagedKey(v)) report(`${what}: ${key} is an AWS-managed key (${v}); use a CustomerKey`);
}

export const rdsEncrypted = resourceGuardrail({
    name: "rds-encrypted-with-cmk",
    description: "RDS instances, clusters and read replicas encrypt storage with a customer-managed KMS key.",
    remediation: "Set storageEncrypted: true and kmsKeyId to a CustomerKey ARN (a cross-region replica needs a key in its own region).",
    concern: "encryption",
    seed: "4.2",
    why: "Database storage, snapshots and replicas hold citizen data; a CMK keeps key policy and rotation under the platform's control.",
    types: [T.rds, T.rdsCluster],
    check: ({ props }, report) => {
        const replica = isSet(props, "replicateSourceDb") || isSet(props, "replicationSourceIdentifier");
        // A replica inherits encryption from its source; what it must name is its own region's key.
        if (!replica && props.storageEncrypted !== true) report("storageEncrypted is not true");
        requireCmk(props, "kmsKeyId", replica ? "read replica" : "storage", report);
    },
});

export const cacheEncrypted = resourceGuardrail({
    name: "elasticache-encrypted-at-rest",
    description: "ElastiCache replication groups encrypt data at rest with a customer-managed KMS key.",
    remediation: "Set atRestEncryptionEnabled: true and kmsKeyId to a CustomerKey ARN.",
    concern: "encryption",
    seed: "4.2",
    why: "Redis holds sessions and cached data; snapshots and swap must not be readable outside KMS control.",
    types: [T.redis],
    check: ({ props }, report) => {
        if (props.atRestEncryptionEnabled !== true && props.atRestEncryptionEnabled !== "true") report("atRestEncryptionEnabled is not true");
        requireCmk(props, "kmsKeyId", "at-rest encryption", report);
    },
});

/** The encryption configurations, versioning configurations... that point at a bucket. */
export function bucketSettings(graph: Graph, bucket: PolicyResource, types: string[]): PolicyResource[] {
    return graph.referrers(bucket, types, "bucket");
}

export const s3SseKms = stackGuardrail({
    name: "s3-bucket-sse-kms",
    description: "Every S3 bucket has a server-side encryption configuration using SSE-KMS with a customer-managed key.",
    remediation:
        "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm 'aws:kms' and kmsMasterKeyId set to a CustomerKey ARN (bucketKeyEnabled: true). A log target of a service that cannot use KMS (ALB access logs) may use AES256 with the bucket tag hybrid-platform/sse-s3-reason: <reason>, reported as advisory.",
    concern: "encryption",
    seed: "4.2",
    why: "Documents are citizen data; SSE-S3 would leave access to the data outside KMS key policies and CloudTrail key-usage audit.",
    types: [T.bucket, T.bucketV2, T.bucketSse, T.bucketSseV2],
    check: ({ graph }, report) => {
        for (const bucket of graph.ofType(T.bucket, T.bucketV2)) {
            const configs = bucketSettings(graph, bucket, [T.bucketSse, T.bucketSseV2]);
            const inline = peek(() => bucket.props.serverSideEncryptionConfiguration as Record<string, any> | undefined);
            const candidates: Array<{ rules: unknown; where: string }> = configs.map((c) => ({ rules: peek(() => c.props.rules), where: label(c) }));
            if (inline && inline !== UNKNOWN) candidates.push({ rules: peek(() => inline.rule ?? inline.rules), where: "inline configuration" });
            if (candidates.length === 0) {
                report(`bucket ${bucket.name} has no server-side encryption configuration`, bucket.urn);
                continue;
            }
            for (const { rules, where } of candidates) {
                if (rules === UNKNOWN) continue;
                const ok = asArray(rules as Record<string, any>[]).some((rule) => {
                    const d = peek(() => rule.applyServerSideEncryptionByDefault ?? rule.applyServerSideEncryptionByDefaults?.[0]);
                    if (d === UNKNOWN || !d) return false;
                    const algorithm = peek(() => d.sseAlgorithm);
                    return (
                        (algorithm === "aws:kms" || algorithm === "aws:kms:dsse") &&
                        isSet(d, "kmsMasterKeyId") &&
                        !isAwsManagedKey(peek(() => d.kmsMasterKeyId))
                    );
                });
                if (ok) continue;
                // A declared opt-out: SSE-S3 with a written reason on the bucket (log targets of services that cannot use KMS).
                const reason = peek(() => (bucket.props.tags as Record<string, unknown> | undefined)?.[SSE_S3_REASON_TAG]);
                const sseS3 = asArray(rules as Record<string, any>[]).some(
                    (rule) => peek(() => rule.applyServerSideEncryptionByDefault?.sseAlgorithm) === "AES256",
                );
                if (sseS3 && typeof reason === "string" && reason.trim().length >= 15) {
                    report(`bucket ${bucket.name}: declared SSE-S3 (${reason.trim()})`, bucket.urn, "advisory");
                } else {
                    report(`bucket ${bucket.name}: ${where} does not apply SSE-KMS with a customer-managed key by default`, bucket.urn);
                }
            }
        }
    },
});

export const ebsEncrypted = resourceGuardrail({
    name: "ebs-encrypted-with-cmk",
    description: "EBS volumes, launch templates, instances and EKS default node groups encrypt volumes with a customer-managed KMS key.",
    remediation:
        "Set encrypted: true (launch templates: blockDeviceMappings[].ebs.encrypted 'true') and kmsKeyId to a CustomerKey ARN; for eks.Cluster set nodeRootVolumeEncrypted.",
    concern: "encryption",
    seed: "4.2",
    why: "Node volumes cache container images, secrets mounted as files and application scratch data.",
    types: [T.ebs, T.launchTemplate, T.instance, T.eksComponent],
    check: ({ type, props }, report) => {
        if (type === T.ebs) {
            if (props.encrypted !== true) report("encrypted is not true");
            requireCmk(props, "kmsKeyId", "volume", report);
        } else if (type === T.launchTemplate) {
            const mappings = asArray(props.blockDeviceMappings as Record<string, any>[]);
            if (mappings.length === 0) report("no blockDeviceMappings: the AMI's default (unencrypted) root volume would be used");
            for (const m of mappings) {
                if (!m.ebs) continue;
                if (String(m.ebs.encrypted) !== "true") report(`block device ${m.deviceName ?? "?"}: ebs.encrypted is not "true"`);
                requireCmk(m.ebs, "kmsKeyId", `block device ${m.deviceName ?? "?"}`, report);
            }
        } else if (type === T.instance) {
            const root = props.rootBlockDevice as Record<string, any> | undefined;
            if (!root || root.encrypted !== true) report("rootBlockDevice.encrypted is not true");
            else requireCmk(root, "kmsKeyId", "root volume", report);
        } else if (props.skipDefaultNodeGroup !== true && props.nodeRootVolumeEncrypted !== true && props.nodeGroupOptions?.nodeRootVolumeEncrypted !== true) {
            report(
                "the default node group's root volumes are not encrypted (set skipDefaultNodeGroup and use managed node groups with an encrypted launch template, or nodeRootVolumeEncrypted: true)",
            );
        }
    },
});

export const eksSecretsEncrypted = resourceGuardrail({
    name: "eks-secrets-encrypted",
    description: "EKS clusters envelope-encrypt Kubernetes secrets with a customer-managed KMS key.",
    remediation: "eks.Cluster: set encryptionConfigKeyArn to a CustomerKey ARN; aws.eks.Cluster: encryptionConfig { resources: ['secrets'], provider.keyArn }.",
    concern: "encryption",
    seed: "4.2",
    why: "Without envelope encryption, Kubernetes secrets sit in etcd protected only by the AWS-managed volume key.",
    types: [T.eksComponent, T.eksCluster],
    check: ({ type, props }, report) => {
        if (type === T.eksComponent) {
            requireCmk(props, "encryptionConfigKeyArn", "secrets encryption", report);
            return;
        }
        const config = peek(() => props.encryptionConfig as Record<string, any> | undefined);
        if (config === UNKNOWN) return;
        if (!config) return report("encryptionConfig is not set");
        const resources = peek(() => config.resources as string[]);
        if (resources !== UNKNOWN && !asArray(resources).includes("secrets")) report("encryptionConfig.resources does not include 'secrets'");
        if (!config.provider || !isSet(config.provider, "keyArn")) report("encryptionConfig.provider.keyArn is not set");
    },
});

export const logGroupEncrypted = resourceGuardrail({
    name: "log-group-encrypted",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    remediation: "Set kmsKeyId to a CustomerKey ARN whose key policy grants logs.<region>.amazonaws.com.",
    concern: "encryption",
    seed: "4.2, 4.3",
    why: "Flow logs, VPN and control-plane logs reveal the network and identities; the SOC's access should go through a key policy.",
    types: [T.logGroup],
    check: ({ props }, report) => requireCmk(props, "kmsKeyId", "log group", report),
});

export const secretEncrypted = resourceGuardrail({
    name: "secret-encrypted-with-cmk",
    description: "Secrets Manager secrets are encrypted with a customer-managed KMS key.",
    remediation: "Set kmsKeyId to a CustomerKey ARN.",
    concern: "encryption",
    seed: "4.2",
    why: "With the default aws/secretsmanager key any principal with secretsmanager:GetSecretValue can read the secret; a CMK adds a key policy.",
    types: [T.secret],
    check: ({ props }, report) => requireCmk(props, "kmsKeyId", "secret", report),
});

export const topicEncrypted = resourceGuardrail({
    name: "sns-topic-encrypted",
    description: "SNS topics are encrypted with a customer-managed KMS key.",
    remediation: "Set kmsMasterKeyId to a CustomerKey ARN that grants sns.amazonaws.com and the publishing services.",
    concern: "encryption",
    seed: "4.2",
    why: "Alert payloads carry resource names and metric values of a regulated system.",
    types: [T.topic],
    check: ({ props }, report) => requireCmk(props, "kmsMasterKeyId", "topic", report),
});

export const kmsRotation = resourceGuardrail({
    name: "kms-key-rotation",
    description: "Symmetric KMS keys rotate automatically and stay recoverable for 30 days after deletion.",
    remediation: "Use the CustomerKey component (enableKeyRotation: true, deletionWindowInDays: 30).",
    concern: "encryption",
    seed: "4.2",
    why: "Rotation limits the data under one key version; a short deletion window risks unrecoverable data after a mistaken delete.",
    types: [T.kmsKey],
    check: ({ props }, report) => {
        const spec = props.customerMasterKeySpec ?? props.keySpec ?? "SYMMETRIC_DEFAULT";
        if (spec === "SYMMETRIC_DEFAULT" && props.enableKeyRotation !== true) report("enableKeyRotation is not true");
        if (props.deletionWindowInDays !== undefined && Number(props.deletionWindowInDays) < 30)
            report(`deletionWindowInDays is ${props.deletionWindowInDays} (< 30)`);
    },
});

export const kmsKeyPolicy = resourceGuardrail({
    name: "kms-key-policy-scoped",
    description: "KMS key policies grant no wildcard principal without a condition.",
    remediation: "Grant the account root (IAM decides) and named service principals scoped by aws:SourceAccount, as CustomerKey does.",
    concern: "encryption",
    seed: "4.1, 4.3",
    why: "A key policy with Principal '*' lets any AWS account use the key, defeating encryption as an access control.",
    types: [T.kmsKey],
    check: ({ props }, report) => {
        const raw = peek(() => props.policy);
        if (raw === UNKNOWN || raw === undefined) return;
        for (const s of asArray((parseJson(raw)?.Statement ?? []) as Record<string, any>[])) {
            if (s.Effect === "Allow" && isWildcardPrincipal(s.Principal) && !s.Condition)
                report(`statement ${s.Sid ?? "(no Sid)"} allows Principal '*' without a condition`);
        }
    },
});

export function isWildcardPrincipal(p: unknown): boolean {
    if (p === "*") return true;
    if (p && typeof p === "object") return Object.values(p as Record<string, unknown>).some((v) => asArray(v as unknown).includes("*"));
    return false;
}

// ------------------------------------------------------------------ in transit

export const redisTls = resourceGuardrail({
    name: "redis-tls",
    description: "ElastiCache Redis requires TLS for every connection.",
    remediation: "Set transitEncryptionEnabled: true and leave transitEncryptionMode 'required'.",
    concern: "encryption",
    seed: "4.2",
    why: "Session tokens and cached personal data cross AZs between pods and cache nodes.",
    types: [T.redis],
    check: ({ props }, report) => {
        if (props.transitEncryptionEnabled !== true) report("transitEncryptionEnabled is not true");
        else if (props.transitEncryptionMode === "preferred") report("transitEncryptionMode is 'preferred': clients may still connect in plaintext");
    },
});

const isForceSsl = (pg: PolicyResource): boolean => {
    const params = peek(() => pg.props.parameters as Array<{ name: string; value: unknown }> | undefined);
    if (params === UNKNOWN) return true;
    return asArray(params).some((p) => p.name === "rds.force_ssl" && String(p.value) === "1");
};

export const rdsForceSsl = stackGuardrail({
    name: "rds-force-ssl",
    description: "PostgreSQL instances and clusters use a parameter group that sets rds.force_ssl = 1.",
    remediation:
        "Create an aws.rds.ParameterGroup with { name: 'rds.force_ssl', value: '1' } and set parameterGroupName (clusters: dbClusterParameterGroupName).",
    concern: "encryption",
    seed: "4.2",
    why: "Without rds.force_ssl the database accepts plaintext connections from any client that does not ask for TLS.",
    types: [T.rds, T.rdsCluster, T.rdsParams, T.rdsClusterParams],
    check: ({ graph }, report) => {
        for (const db of graph.ofType(T.rds, T.rdsCluster)) {
            const engine = peek(() => db.props.engine);
            const replica = isSet(db.props, "replicateSourceDb");
            if (engine !== UNKNOWN && !String(engine ?? (replica ? "postgres" : "")).includes("postgres")) continue;
            const key = db.type === T.rds ? "parameterGroupName" : "dbClusterParameterGroupName";
            const groups = graph.refs(db, key, T.rdsParams, T.rdsClusterParams);
            if (groups.length === 0) {
                report(
                    `${label(db)} does not use a parameter group of this stack (${key}); the default group does not force SSL on every engine version`,
                    db.urn,
                );
            } else if (!groups.some(isForceSsl)) {
                report(`${label(db)}: parameter group ${groups[0].name} does not set rds.force_ssl = 1`, db.urn);
            }
        }
        for (const pg of graph.ofType(T.rdsParams, T.rdsClusterParams)) {
            const family = peek(() => pg.props.family);
            if (typeof family === "string" && family.includes("postgres") && !isForceSsl(pg))
                report(`parameter group ${pg.name} does not set rds.force_ssl = 1`, pg.urn);
        }
    },
});

/** ELB security policies that negotiate TLS 1.3 (and at most 1.2 as a fallback). */
export const TLS13_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-(Res-)?(FIPS-)?20\d\d-\d\d$/;

export const albTls = resourceGuardrail({
    name: "alb-listener-tls13",
    description: "ALB listeners serve HTTPS with a TLS 1.3 security policy; HTTP listeners only redirect to HTTPS.",
    remediation:
        "HTTPS listeners: sslPolicy 'ELBSecurityPolicy-TLS13-1-2-2021-06' (or stricter) and a certificate; HTTP listeners: a single redirect action to HTTPS with HTTP_301.",
    concern: "encryption",
    seed: "4.2",
    why: "Citizens' credentials and personal data reach the platform through these listeners.",
    types: [T.listener],
    check: ({ props }, report) => {
        const protocol = peek(() => props.protocol);
        if (protocol === "HTTPS" || protocol === "TLS") {
            const policy = peek(() => props.sslPolicy);
            if (policy !== UNKNOWN && !(typeof policy === "string" && TLS13_POLICY.test(policy)))
                report(`sslPolicy ${policy ?? "(default: TLS 1.2, no TLS 1.3)"} is not a TLS 1.3 policy`);
            if (!isSet(props, "certificateArn")) report("no certificateArn");
        } else if (protocol === "HTTP") {
            const actions = asArray(props.defaultActions as Record<string, any>[]);
            const redirects = actions.length > 0 && actions.every((a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS");
            if (!redirects) report("an HTTP listener must only redirect to HTTPS");
        } else if (protocol !== UNKNOWN) {
            report(`protocol ${protocol ?? "(unset)"}: internet traffic must use HTTPS`);
        }
    },
});

export const ingressTls = resourceGuardrail({
    name: "ingress-tls13",
    description: "ALB ingresses listen on HTTPS with a TLS 1.3 policy and redirect HTTP to HTTPS.",
    remediation:
        "Annotate the Ingress with alb.ingress.kubernetes.io/listen-ports '[{\"HTTP\":80},{\"HTTPS\":443}]', ssl-redirect '443', ssl-policy 'ELBSecurityPolicy-TLS13-1-2-2021-06' and certificate-arn.",
    concern: "encryption",
    seed: "4.2",
    why: "The AWS Load Balancer Controller creates the ALB from these annotations; its defaults are HTTP only and a TLS 1.2 policy.",
    types: [T.ingress],
    check: ({ props }, report) => {
        const a = (props.metadata?.annotations ?? {}) as Record<string, string>;
        const ports = peek(() => a["alb.ingress.kubernetes.io/listen-ports"]);
        if (ports !== UNKNOWN && !String(ports ?? "").includes("HTTPS")) report("alb.ingress.kubernetes.io/listen-ports has no HTTPS listener");
        const policy = peek(() => a["alb.ingress.kubernetes.io/ssl-policy"]);
        if (policy !== UNKNOWN && !(typeof policy === "string" && TLS13_POLICY.test(policy)))
            report(`alb.ingress.kubernetes.io/ssl-policy ${policy ?? "(unset)"} is not a TLS 1.3 policy`);
        if (!isSet(a, "alb.ingress.kubernetes.io/ssl-redirect"))
            report("alb.ingress.kubernetes.io/ssl-redirect is not set: HTTP is served instead of redirected");
        if (!isSet(a, "alb.ingress.kubernetes.io/certificate-arn") && asArray(peek(() => props.spec?.tls) as unknown[]).length === 0)
            report("no certificate-arn annotation and no spec.tls");
    },
});

/** True if a bucket policy denies requests with aws:SecureTransport = false. */
function deniesInsecureTransport(doc: Record<string, unknown> | undefined): boolean {
    return asArray((doc?.Statement ?? []) as Record<string, any>[]).some((s) => {
        if (s.Effect !== "Deny") return false;
        const bool = s.Condition?.Bool ?? {};
        return String(bool["aws:SecureTransport"]) === "false";
    });
}

export const s3DenyInsecure = stackGuardrail({
    name: "s3-deny-insecure-transport",
    description: "Every S3 bucket policy denies requests that do not use TLS.",
    remediation: "Add an aws.s3.BucketPolicy with a Deny statement on s3:* for the bucket and its objects when aws:SecureTransport is false.",
    concern: "encryption",
    seed: "4.2",
    why: "S3 accepts plain HTTP unless the bucket policy refuses it.",
    types: [T.bucket, T.bucketV2, T.bucketPolicy],
    check: ({ graph }, report) => {
        for (const bucket of graph.ofType(T.bucket, T.bucketV2)) {
            const policies = bucketSettings(graph, bucket, [T.bucketPolicy]);
            if (policies.length === 0) {
                report(`bucket ${bucket.name} has no bucket policy denying non-TLS requests`, bucket.urn);
                continue;
            }
            // The document usually embeds the bucket ARN, unknown in preview: then only the update can read it,
            // and the other buckets are still checked now.
            const docs = policies.map((p) => peek(() => p.props.policy));
            if (docs.includes(UNKNOWN)) continue;
            if (!docs.some((d) => deniesInsecureTransport(parseJson(d))))
                report(`bucket ${bucket.name}: its bucket policy does not deny aws:SecureTransport = false`, bucket.urn);
        }
    },
});

export const encryptionPolicies: Guardrail[] = [
    rdsEncrypted,
    cacheEncrypted,
    s3SseKms,
    ebsEncrypted,
    eksSecretsEncrypted,
    logGroupEncrypted,
    secretEncrypted,
    topicEncrypted,
    kmsRotation,
    kmsKeyPolicy,
    redisTls,
    rdsForceSsl,
    albTls,
    ingressTls,
    s3DenyInsecure,
];

// ---------------------------------------------------------------------------------------------
// issue #11 (build 4): settings the program already gets right, now guarded by the pack too
// ---------------------------------------------------------------------------------------------

/** OpenSearch TLS policies that refuse TLS 1.0/1.1 (AWS OpenSearch 'Infrastructure security'). */
const OPENSEARCH_TLS12 = ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"];

export const opensearchEncryption = resourceGuardrail({
    name: "opensearch-encrypted-and-tls",
    description: "OpenSearch domains encrypt at rest with a customer-managed key, encrypt node-to-node traffic, enforce HTTPS and refuse TLS below 1.2.",
    remediation:
        "Set encryptAtRest { enabled: true, kmsKeyId: <CustomerKey> }, nodeToNodeEncryption.enabled: true, domainEndpointOptions { enforceHttps: true, tlsSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' }.",
    concern: "encryption",
    seed: "4.2",
    why: "Logs carry citizen identifiers; the domain's disks, its inter-node traffic and its endpoint must all be encrypted (AWS OpenSearch 'Encryption at rest' https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html, 'Node-to-node encryption' https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html, 'Infrastructure security' https://docs.aws.amazon.com/opensearch-service/latest/developerguide/infrastructure-security.html; Security Hub Opensearch.8).",
    types: [T.opensearch],
    check: ({ props }, report) => {
        const atRest = peek(() => props.encryptAtRest as Record<string, unknown> | undefined);
        if (atRest !== UNKNOWN) {
            if (atRest?.enabled !== true) report("encryptAtRest.enabled is not true");
            else requireCmk(atRest, "kmsKeyId", "encryptAtRest", report);
        }
        const n2n = peek(() => props.nodeToNodeEncryption as Record<string, unknown> | undefined);
        if (n2n !== UNKNOWN && n2n?.enabled !== true) report("nodeToNodeEncryption.enabled is not true");
        const endpoint = peek(() => props.domainEndpointOptions as Record<string, unknown> | undefined);
        if (endpoint !== UNKNOWN) {
            if (endpoint?.enforceHttps !== true) report("domainEndpointOptions.enforceHttps is not true");
            const tls = endpoint?.tlsSecurityPolicy;
            if (typeof tls !== "string" || !OPENSEARCH_TLS12.includes(tls))
                report(`domainEndpointOptions.tlsSecurityPolicy ${JSON.stringify(tls ?? "(unset: Policy-Min-TLS-1-0-2019-07)")} admits TLS 1.0/1.1`);
        }
    },
});

const AMP_WORKSPACE = "aws:amp/workspace:Workspace";
const XRAY_ENCRYPTION = "aws:xray/encryptionConfig:EncryptionConfig";
const XRAY_USERS = ["aws:xray/group:Group", "aws:xray/samplingRule:SamplingRule"];

export const monitoringEncrypted = stackGuardrail({
    name: "monitoring-encrypted-with-cmk",
    description:
        "Monitoring data is encrypted with customer-managed keys: Prometheus workspaces, X-Ray traces (a KMS encryption config wherever X-Ray is used) and RDS Performance Insights.",
    remediation:
        "Set kmsKeyArn on each aws.amp.Workspace; add an aws.xray.EncryptionConfig { type: 'KMS', keyId: <CustomerKey> } in every stack that creates X-Ray groups or sampling rules; set performanceInsightsKmsKeyId wherever performanceInsightsEnabled.",
    concern: "encryption",
    seed: "4.2, 6",
    why: "Metrics, traces and Performance Insights samples contain SQL text, URLs and identifiers; left to AWS-owned or AWS-managed keys their access escapes the platform's key policies (AWS 'Encryption at rest in Amazon Managed Service for Prometheus' https://docs.aws.amazon.com/prometheus/latest/userguide/encryption-at-rest-Amazon-Service-Prometheus.html; X-Ray 'Data protection' https://docs.aws.amazon.com/xray/latest/devguide/xray-console-encryption.html; RDS 'Turning Performance Insights on' https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Enabling.html).",
    types: [AMP_WORKSPACE, XRAY_ENCRYPTION, ...XRAY_USERS, T.rds, T.rdsCluster],
    check: ({ graph }, report) => {
        for (const ws of graph.ofType(AMP_WORKSPACE)) requireCmk(ws.props, "kmsKeyArn", `${label(ws)}: workspace`, (m) => report(m, ws.urn));
        const configs = graph.ofType(XRAY_ENCRYPTION);
        for (const c of configs) {
            const type = peek(() => c.props.type);
            if (type !== UNKNOWN && type !== "KMS") report(`${label(c)}: type ${JSON.stringify(type)}, not "KMS"`, c.urn);
            else requireCmk(c.props, "keyId", `${label(c)}: traces`, (m) => report(m, c.urn));
        }
        const users = graph.ofType(...XRAY_USERS);
        if (users.length > 0 && configs.length === 0)
            report(`X-Ray is used (${users.map(label).join(", ")}) but no aws.xray.EncryptionConfig encrypts its traces with KMS`, users[0].urn);
        for (const db of graph.ofType(T.rds, T.rdsCluster)) {
            if (peek(() => db.props.performanceInsightsEnabled) !== true) continue;
            requireCmk(db.props, "performanceInsightsKmsKeyId", `${label(db)}: Performance Insights`, (m) => report(m, db.urn));
        }
    },
});

encryptionPolicies.push(opensearchEncryption, monitoringEncrypted);

/** RDS certificate authorities that are current (rds-ca-2019 expired in August 2024). */
const RDS_CURRENT_CAS = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"];

export const rdsCaCurrent = resourceGuardrail({
    name: "rds-ca-current",
    description: "RDS instances present a server certificate from a current RDS certificate authority, so clients can verify TLS.",
    remediation: "Leave caCertIdentifier unset (rds-ca-rsa2048-g1) or set rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1.",
    concern: "encryption",
    seed: "4.2",
    why: "With an expired CA (rds-ca-2019) clients that verify the server certificate (sslmode=verify-full) fail, and the fix is turning verification off (AWS RDS 'Rotating your SSL/TLS certificate', https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html).",
    types: [T.rds],
    check: ({ props }, report) => {
        const ca = peek(() => props.caCertIdentifier);
        if (typeof ca === "string" && !RDS_CURRENT_CAS.includes(ca)) report(`caCertIdentifier ${ca} is not a current RDS CA (${RDS_CURRENT_CAS.join(", ")})`);
    },
});

encryptionPolicies.push(rdsCaCurrent);
