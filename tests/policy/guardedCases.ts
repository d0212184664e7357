/**
 * Issue #11 (build 4): the cases of the policies that guard what the program already gets right
 * (IMDSv2, database and cache authentication, OpenSearch, monitoring encryption, SG egress, node
 * addresses, pod profile, bucket ACLs). Each concern's test file adds its share to its own CASES,
 * so its "every policy has a case" check covers them; describeCases runs them in both modes.
 */
import { T } from "../../policy/lib";
import { Case, deployment, key, single } from "../support/policyCases";
import { Fixture } from "../support/policyFixtures";

const goodMetadata = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" };

const CACHE_USER = "aws:elasticache/user:User";

/** The RedisCache shape: an RBAC user group whose default user is off. */
function redisWithUsers(f: Fixture, opts: { groups?: boolean; defaultAccess?: string; appAuth?: Record<string, unknown> } = {}) {
    const off = f.add(CACHE_USER, "default", {
        userName: "default",
        userId: "cache-default",
        engine: "redis",
        accessString: opts.defaultAccess ?? "off -@all",
    });
    const app = f.add(CACHE_USER, "app", {
        userName: "app",
        userId: "cache-app",
        engine: "redis",
        accessString: "on ~* &* +@all -@dangerous",
        authenticationMode: opts.appAuth ?? { type: "password", passwords: ["[secret]"] },
    });
    const group = f.add("aws:elasticache/userGroup:UserGroup", "cache", { userGroupId: "cache", engine: "redis", userIds: [f.ref(off), f.ref(app)] });
    f.add(T.redis, "cache", {
        engine: "redis",
        transitEncryptionEnabled: true,
        ...(opts.groups === false ? {} : { userGroupIds: [f.ref(group)] }),
    });
}

const openSearch = (f: Fixture) => ({
    engineVersion: "OpenSearch_2.19",
    encryptAtRest: { enabled: true, kmsKeyId: f.arn(key(f)) },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    advancedSecurityOptions: {
        enabled: true,
        anonymousAuthEnabled: false,
        internalUserDatabaseEnabled: false,
        masterUserOptions: { masterUserArn: "arn:aws:iam::111122223333:role/logs-admin" },
    },
    accessPolicies: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::111122223333:root" },
                Action: "es:ESHttp*",
                Resource: "arn:aws:es:eu-west-2:111122223333:domain/logs/*",
            },
        ],
    }),
});

/** The Observability shape: an AMP workspace, X-Ray with a KMS encryption config, a database with Performance Insights. */
function monitoring(f: Fixture, opts: { amp?: Record<string, unknown>; xray?: Record<string, unknown> | false; pi?: Record<string, unknown> } = {}) {
    const k = key(f);
    f.add("aws:amp/workspace:Workspace", "metrics", { alias: "metrics", kmsKeyArn: f.arn(k), ...(opts.amp ?? {}) });
    f.add("aws:xray/group:Group", "traces", { groupName: "portal", filterExpression: 'service("portal")' });
    if (opts.xray !== false) f.add("aws:xray/encryptionConfig:EncryptionConfig", "traces", { type: "KMS", keyId: f.arn(k), ...(opts.xray ?? {}) });
    f.add(T.rds, "db", { engine: "postgres", performanceInsightsEnabled: true, performanceInsightsKmsKeyId: f.arn(k), ...(opts.pi ?? {}) });
}

const SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

function egress(f: Fixture, rule: Record<string, unknown> | "sg") {
    const sg = f.add(T.sg, "clients", { description: "data clients" });
    const db = f.add(T.sg, "db", { description: "database" });
    f.add(SG_EGRESS, "to-db", {
        securityGroupId: f.ref(sg),
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        ...(rule === "sg" ? { referencedSecurityGroupId: f.ref(db) } : rule),
    });
}

/** A Deployment whose pod spec and first container are edited. */
function restrictedPod(f: Fixture, edit: (pod: Record<string, any>, container: Record<string, any>) => void = () => undefined) {
    const d = deployment(f);
    const pod = (d.props.spec as Record<string, any>).template.spec as Record<string, any>;
    pod.automountServiceAccountToken = false;
    pod.securityContext = { ...pod.securityContext, seccompProfile: { type: "RuntimeDefault" } };
    edit(pod, pod.containers[0]);
}

function bucketOwnership(f: Fixture, ownership: string | false) {
    const bucket = f.add(T.bucket, "documents", { forceDestroy: false });
    if (ownership !== false)
        f.add("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "documents", { bucket: f.ref(bucket), rule: { objectOwnership: ownership } });
}

/** The AppWorkloads shape: a restricted namespace, its default deny and one Deployment in it. */
function isolatedNamespace(f: Fixture, opts: { psa?: string | false; deny?: Record<string, unknown> | false } = {}) {
    f.add("kubernetes:core/v1:Namespace", "portal", {
        metadata: { name: "portal", labels: opts.psa === false ? {} : { "pod-security.kubernetes.io/enforce": opts.psa ?? "restricted" } },
    });
    if (opts.deny !== false)
        f.add("kubernetes:networking.k8s.io/v1:NetworkPolicy", "default-deny", {
            metadata: { name: "default-deny", namespace: "portal" },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ...(opts.deny ?? {}) },
        });
    f.add("kubernetes:networking.k8s.io/v1:NetworkPolicy", "allow-dns", {
        metadata: { name: "allow-dns", namespace: "portal" },
        spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ ports: [{ port: 53, protocol: "UDP" }] }] },
    });
    deployment(f);
}

const csiDriver = {
    chart: "secrets-store-csi-driver",
    namespace: "kube-system",
    values: { enableSecretRotation: true, rotationPollInterval: "3600s", syncSecret: { enabled: false } },
};

export const GUARDED_CASES: Record<"identity" | "encryption" | "exposure" | "workloads" | "dataProtection", Case[]> = {
    identity: [
        single("node-metadata-imdsv2", T.launchTemplate, () => ({ metadataOptions: goodMetadata }), {
            "IMDSv1 allowed (httpTokens optional)": () => ({ metadataOptions: { ...goodMetadata, httpTokens: "optional" } }),
            "hop limit 2: pods reach IMDS": () => ({ metadataOptions: { ...goodMetadata, httpPutResponseHopLimit: 2 } }),
            "no metadata options (AWS defaults)": () => ({ metadataOptions: undefined }),
        }),
        single("database-iam-auth", T.rds, () => ({ engine: "postgres", iamDatabaseAuthenticationEnabled: true }), {
            "IAM authentication off": () => ({ iamDatabaseAuthenticationEnabled: false }),
            "IAM authentication unset on a replica": () => ({
                engine: undefined,
                replicateSourceDb: "arn:aws:rds:eu-west-2:111122223333:db:primary",
                iamDatabaseAuthenticationEnabled: undefined,
            }),
        }),
        {
            policy: "redis-auth-required",
            compliant: (f) => redisWithUsers(f),
            violations: {
                "no user group and no AUTH token": (f) => redisWithUsers(f, { groups: false }),
                "the default user switched on": (f) => redisWithUsers(f, { defaultAccess: "on ~* +@all" }),
                "a user without a password": (f) => redisWithUsers(f, { appAuth: { type: "no-password-required" } }),
            },
        },
        single("opensearch-fine-grained-access", T.opensearch, openSearch, {
            "fine-grained access control off": () => ({ advancedSecurityOptions: { enabled: false } }),
            "anonymous access": (f) => ({ advancedSecurityOptions: { ...openSearch(f).advancedSecurityOptions, anonymousAuthEnabled: true } }),
            "access policy to Principal *": () => ({
                accessPolicies: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:*", Resource: "*" }],
                }),
            }),
        }),
        single("eks-access-entries-only", T.eksComponent, () => ({ authenticationMode: "API" }), {
            "aws-auth ConfigMap allowed too": () => ({ authenticationMode: "API_AND_CONFIG_MAP" }),
            "unset (CONFIG_MAP)": () => ({ authenticationMode: undefined }),
        }),
    ],
    encryption: [
        single("opensearch-encrypted-and-tls", T.opensearch, openSearch, {
            "no encryption at rest": () => ({ encryptAtRest: { enabled: false } }),
            "at rest with the AWS-managed key": () => ({ encryptAtRest: { enabled: true } }),
            "node-to-node in plaintext": () => ({ nodeToNodeEncryption: { enabled: false } }),
            "HTTP allowed": () => ({ domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" } }),
            "TLS 1.0 policy": () => ({ domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } }),
        }),
        {
            policy: "monitoring-encrypted-with-cmk",
            compliant: (f) => monitoring(f),
            violations: {
                "Prometheus workspace with the AWS-owned key": (f) => monitoring(f, { amp: { kmsKeyArn: undefined } }),
                "X-Ray encryption type NONE": (f) => monitoring(f, { xray: { type: "NONE", keyId: undefined } }),
                "X-Ray used without an encryption config": (f) => monitoring(f, { xray: false }),
                "Performance Insights with the aws/rds key": (f) => monitoring(f, { pi: { performanceInsightsKmsKeyId: undefined } }),
            },
        },
        single("rds-ca-current", T.rds, () => ({ engine: "postgres", caCertIdentifier: "rds-ca-rsa2048-g1" }), {
            "the expired rds-ca-2019": () => ({ caCertIdentifier: "rds-ca-2019" }),
        }),
    ],
    exposure: [
        {
            policy: "sg-egress-scoped",
            compliant: (f) => egress(f, "sg"),
            violations: {
                "egress rule to 0.0.0.0/0": (f) => egress(f, { cidrIpv4: "0.0.0.0/0" }),
                "egress rule to ::/0": (f) => egress(f, { cidrIpv6: "::/0" }),
                "all protocols to a public range": (f) => egress(f, { ipProtocol: "-1", cidrIpv4: "198.51.100.0/24" }),
                "inline egress to the world": (f) =>
                    void f.add(T.sg, "open", { description: "open", egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }),
                "HTTPS to the world with a reason too short": (f) =>
                    egress(f, { cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443, tags: { "hybrid-platform/internet-egress-reason": "github" } }),
                "a declared reason on a port other than 443": (f) =>
                    egress(f, { cidrIpv4: "0.0.0.0/0", tags: { "hybrid-platform/internet-egress-reason": "the CI runner fetches from GitHub" } }),
                "SecurityGroupRule egress to the world": (f) =>
                    void f.add(T.sgRule, "open", { type: "egress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }),
            },
        },
        single(
            "eks-nodes-no-public-ip",
            T.eksComponent,
            () => ({ endpointPrivateAccess: true, endpointPublicAccess: false, nodeAssociatePublicIpAddress: false }),
            {
                "nodes get public IPs": () => ({ nodeAssociatePublicIpAddress: true }),
                "unset (@pulumi/eks default true)": () => ({ nodeAssociatePublicIpAddress: undefined }),
            },
        ),
    ],
    workloads: [
        {
            policy: "k8s-pod-restricted-profile",
            compliant: (f) => restrictedPod(f),
            violations: {
                "capabilities not dropped": (f) => restrictedPod(f, (_, c) => delete c.securityContext.capabilities),
                "a capability added": (f) => restrictedPod(f, (_, c) => (c.securityContext.capabilities = { drop: ["ALL"], add: ["NET_ADMIN"] })),
                "seccomp unconfined": (f) =>
                    restrictedPod(f, (pod) => (pod.securityContext = { ...pod.securityContext, seccompProfile: { type: "Unconfined" } })),
                "API token mounted": (f) => restrictedPod(f, (pod) => (pod.automountServiceAccountToken = true)),
            },
        },
        {
            policy: "k8s-namespace-isolation",
            compliant: (f) => isolatedNamespace(f),
            violations: {
                "no default-deny NetworkPolicy": (f) => isolatedNamespace(f, { deny: false }),
                "the deny lets ingress through": (f) => isolatedNamespace(f, { deny: { ingress: [{}] } }),
                "Pod Security baseline only": (f) => isolatedNamespace(f, { psa: "baseline" }),
                "no Pod Security label": (f) => isolatedNamespace(f, { psa: false }),
            },
        },
        single("secrets-store-no-k8s-secret-sync", "kubernetes:helm.sh/v3:Release", () => csiDriver, {
            "secrets synced into etcd": () => ({ values: { ...csiDriver.values, syncSecret: { enabled: true } } }),
            "rotation not polled": () => ({ values: { ...csiDriver.values, enableSecretRotation: false } }),
        }),
    ],
    dataProtection: [
        {
            policy: "s3-acls-disabled",
            compliant: (f) => bucketOwnership(f, "BucketOwnerEnforced"),
            violations: {
                "ACLs enabled (ObjectWriter)": (f) => bucketOwnership(f, "ObjectWriter"),
                "no ownership controls": (f) => bucketOwnership(f, false),
            },
        },
        single("rds-backups-retained", T.rds, () => ({ engine: "postgres", backupRetentionPeriod: 14, deleteAutomatedBackups: false }), {
            "backups deleted with the instance": () => ({ deleteAutomatedBackups: true }),
            "unset (provider default true)": () => ({ deleteAutomatedBackups: undefined }),
        }),
        single(
            "rds-backups-retained",
            T.rds,
            () => ({
                replicateSourceDb: "arn:aws:rds:eu-west-2:111122223333:db:primary",
                backupRetentionPeriod: 7,
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: false,
            }),
            {
                "replica without backups": () => ({ backupRetentionPeriod: 0 }),
                "replica without tags on snapshots": () => ({ copyTagsToSnapshot: false }),
            },
        ),
        // Outside production a stack may drop its backups with it: nothing to reject.
        single("rds-backups-retained", T.rds, () => ({ engine: "postgres", deleteAutomatedBackups: true }), {}, { environment: "staging" }),
        single("secret-recovery-window", T.secret, () => ({ name: "db/master", recoveryWindowInDays: 30 }), {
            "deleted at once": () => ({ recoveryWindowInDays: 0 }),
        }),
    ],
};

/** A declared HTTPS-only internet egress (a CI runner reaching GitHub) is reported, as advisory, with its reason. */
export const DECLARED_INTERNET_EGRESS = (f: Fixture) =>
    egress(f, {
        cidrIpv4: "0.0.0.0/0",
        fromPort: 443,
        toPort: 443,
        tags: { "hybrid-platform/internet-egress-reason": "the CI runner fetches from GitHub over HTTPS" },
    });
