/**
 * The rules table behind `kms-key-admits-services` (policy/keyPolicies.ts): for each AWS service that
 * uses a customer managed key in this program, who calls KMS, which actions it needs, what encryption
 * context each call carries, which condition keys AWS documents for it, and the AWS page it comes from.
 *
 * Two ways a service uses a key:
 *  - `principal`: the service calls KMS as itself (a service principal or a service-linked role), so
 *    the key policy must name it, with the actions and conditions below;
 *  - `caller`: the service calls KMS on behalf of the IAM principal that configures or uses the
 *    resource (kms:ViaService, grants), so the key policy must let the account's IAM policies apply
 *    (the account-root statement, seed 4.2) and nothing names the service.
 *
 * Not in the table, on purpose: S3 server access logging and ALB access logs cannot use a KMS key at
 * all (their target bucket must use SSE-S3), so no key policy can make them work.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
import { T } from "../lib";

/** One KMS action a service needs. */
export interface KmsActionNeed {
    /** The action, e.g. "kms:GenerateDataKey" (matched against the statement's patterns, so "kms:GenerateDataKey*" grants it). */
    readonly action: string;
    /**
     * The encryption-context key the call carries (`kms:EncryptionContext:<key>` can match it), or
     * undefined when the call carries none (DescribeKey, CreateGrant): a statement conditioned on an
     * encryption context can then never match.
     */
    readonly context?: string;
    /** Needed only when the trail's bucket uses an S3 Bucket Key (CloudTrail's Decrypt). */
    readonly onlyWithBucketKey?: boolean;
    /** Extra condition the statement must carry for AWS to accept the call, e.g. CreateGrant's kms:GrantIsForAWSResource. */
    readonly note?: string;
}

/** Where a resource names the key it uses. */
export interface KeyUse {
    readonly type: string;
    /** Top-level props whose value (or a nested field of it) is the key's ARN: joined by propertyDependencies. */
    readonly props: readonly string[];
}

interface RuleBase {
    /** Short id used in messages and tests. */
    readonly id: string;
    /** The service in words. */
    readonly service: string;
    /** The resources that make the service use a key. */
    readonly uses: readonly KeyUse[];
    /** The AWS page the rule comes from. */
    readonly source: string;
}

/** The service calls KMS as itself: the key policy must admit it. */
export interface PrincipalRule extends RuleBase {
    readonly kind: "principal";
    /**
     * The principal the key policy must name, from the using resource's region and the account:
     * `{ service }` for a service principal, `{ role }` for a role ARN (service-linked roles).
     */
    readonly principal: (region: string, accountId: string) => { readonly service: string } | { readonly role: string };
    readonly actions: readonly KmsActionNeed[];
    /**
     * Condition keys AWS documents for this service's KMS calls (beyond the encryption context of
     * each action). A statement conditioned on another key may never match: reported, advisory.
     */
    readonly conditionKeys: readonly string[];
}

/** The service calls KMS for the IAM principal (kms:ViaService): the key policy must let IAM policies apply. */
export interface CallerRule extends RuleBase {
    readonly kind: "caller";
}

export type KmsServiceRule = PrincipalRule | CallerRule;

/** Condition keys that scope a grant without ever making a request from the service fail. */
export const NEUTRAL_CONDITION_KEYS: readonly string[] = ["kms:CallerAccount", "kms:GrantIsForAWSResource", "kms:ViaService"];

const CLOUDTRAIL_PAGE = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html";

export const KMS_SERVICE_RULES: readonly KmsServiceRule[] = [
    {
        kind: "principal",
        id: "cloudtrail",
        service: "CloudTrail",
        uses: [{ type: T.trail, props: ["kmsKeyId"] }],
        principal: () => ({ service: "cloudtrail.amazonaws.com" }),
        actions: [
            // "Granting encrypt permissions for trails": the log and digest files' data keys carry the trail's ARN.
            { action: "kms:GenerateDataKey", context: "aws:cloudtrail:arn" },
            // "Enable CloudTrail to describe KMS key properties": DescribeKey carries no encryption context.
            { action: "kms:DescribeKey" },
            // "If you're using an existing S3 bucket with an S3 Bucket Key, kms:Decrypt permissions are required to
            // create or update a trail with SSE-KMS encryption enabled." The bucket key's context is the bucket's ARN
            // (aws:s3:arn), never the trail's: a cloudtrail-context condition cannot match it.
            { action: "kms:Decrypt", onlyWithBucketKey: true },
        ],
        conditionKeys: ["aws:SourceArn", "aws:SourceAccount"],
        source: CLOUDTRAIL_PAGE,
    },
    {
        kind: "principal",
        id: "cloudwatch-logs",
        service: "CloudWatch Logs",
        uses: [{ type: T.logGroup, props: ["kmsKeyId"] }],
        // The regional principal: a key policy naming logs.amazonaws.com or another region's does not admit it.
        principal: (region) => ({ service: `logs.${region}.amazonaws.com` }),
        // "Step 2: Set permissions on the KMS key": every call carries the log group's ARN as kms:EncryptionContext:aws:logs:arn.
        actions: [
            { action: "kms:Encrypt", context: "aws:logs:arn" },
            { action: "kms:Decrypt", context: "aws:logs:arn" },
            { action: "kms:ReEncryptFrom", context: "aws:logs:arn" },
            { action: "kms:ReEncryptTo", context: "aws:logs:arn" },
            { action: "kms:GenerateDataKey", context: "aws:logs:arn" },
        ],
        // AWS documents only the encryption context for CloudWatch Logs' own KMS calls (no aws:SourceAccount/SourceArn).
        conditionKeys: [],
        source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    },
    {
        kind: "principal",
        id: "sns-publisher",
        service: "an AWS service publishing to an encrypted SNS topic",
        // The principal is each publisher wired to the topic (policy/keyPolicies.ts `publishersOf`).
        uses: [{ type: T.topic, props: ["kmsMasterKeyId"] }],
        principal: () => ({ service: "" }),
        // "Enable compatibility between event sources from AWS services and encrypted topics".
        actions: [{ action: "kms:GenerateDataKey" }, { action: "kms:Decrypt" }],
        conditionKeys: ["aws:SourceAccount", "aws:SourceArn"],
        source: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services",
    },
    {
        kind: "principal",
        id: "ebs-autoscaling",
        service: "EBS volumes launched by EC2 Auto Scaling (EKS managed node groups)",
        uses: [{ type: T.launchTemplate, props: ["blockDeviceMappings"] }],
        // Auto Scaling launches the nodes as its service-linked role, which accepts no customer IAM policy.
        principal: (_region, accountId) => ({ role: `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling` }),
        actions: [
            { action: "kms:Encrypt" },
            { action: "kms:Decrypt" },
            { action: "kms:ReEncryptFrom" },
            { action: "kms:ReEncryptTo" },
            { action: "kms:GenerateDataKeyWithoutPlaintext" },
            { action: "kms:DescribeKey" },
            { action: "kms:CreateGrant", note: 'conditioned on "kms:GrantIsForAWSResource": true' },
        ],
        conditionKeys: [],
        source: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html",
    },
    // ----- services that use the key for the caller: the account-root statement lets IAM policies grant it.
    {
        kind: "caller",
        id: "rds",
        service: "RDS (storage, snapshots, Performance Insights)",
        uses: [{ type: T.rds, props: ["kmsKeyId", "performanceInsightsKmsKeyId"] }],
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html",
    },
    {
        kind: "caller",
        id: "elasticache",
        service: "ElastiCache at rest",
        uses: [{ type: T.redis, props: ["kmsKeyId"] }],
        source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
    },
    {
        kind: "caller",
        id: "secrets-manager",
        service: "Secrets Manager (secrets and their replicas)",
        // Replication: the caller needs kms:Decrypt on the primary key and kms:GenerateDataKey/kms:Encrypt on the replica key.
        uses: [{ type: T.secret, props: ["kmsKeyId", "replicas"] }],
        source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ReplicateSecretToRegions.html",
    },
    {
        kind: "caller",
        id: "s3-sse-kms",
        service: "S3 default encryption and replication",
        uses: [
            { type: T.bucketSse, props: ["rules"] },
            { type: T.bucketSseV2, props: ["rules"] },
            { type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig", props: ["rules"] },
        ],
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
    },
    {
        kind: "caller",
        id: "ecr",
        service: "ECR repositories",
        uses: [{ type: T.ecr, props: ["encryptionConfigurations"] }],
        source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html",
    },
    {
        kind: "caller",
        id: "eks-secrets",
        service: "EKS envelope encryption of Kubernetes secrets",
        uses: [
            { type: T.eksComponent, props: ["encryptionConfigKeyArn"] },
            { type: T.eksCluster, props: ["encryptionConfig"] },
        ],
        source: "https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html",
    },
    {
        kind: "caller",
        id: "opensearch",
        service: "OpenSearch encryption at rest",
        uses: [{ type: T.opensearch, props: ["encryptAtRest"] }],
        source: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html",
    },
    {
        kind: "caller",
        id: "xray",
        service: "X-Ray traces",
        // "You must have user-level access to a customer managed key to configure X-Ray to use it."
        uses: [{ type: "aws:xray/encryptionConfig:EncryptionConfig", props: ["keyId"] }],
        source: "https://docs.aws.amazon.com/xray/latest/devguide/xray-console-encryption.html",
    },
    {
        kind: "caller",
        id: "amp",
        service: "Amazon Managed Service for Prometheus workspace",
        uses: [{ type: "aws:amp/workspace:Workspace", props: ["kmsKeyArn"] }],
        source: "https://docs.aws.amazon.com/prometheus/latest/userguide/encryption-at-rest-Amazon-Service-Prometheus.html",
    },
    {
        kind: "caller",
        id: "iam-policy",
        service: "IAM policies granting the key (IRSA roles, the replication and sync roles, the rotation function)",
        // "IAM policies by themselves are not sufficient": they take effect only if the key policy lets the account's IAM grant it.
        uses: [
            { type: T.rolePolicy, props: ["policy"] },
            { type: T.iamPolicy, props: ["policy"] },
            { type: "aws:serverlessrepository/cloudFormationStack:CloudFormationStack", props: ["parameters"] },
        ],
        source: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam",
    },
];

/**
 * Who publishes to an SNS topic, from what the program wires to it: each needs the topic's key
 * ("Enable compatibility between event sources from AWS services and encrypted topics").
 */
export const SNS_PUBLISHERS: readonly { readonly type: string; readonly props: readonly string[]; readonly service: string }[] = [
    { type: "aws:cloudwatch/metricAlarm:MetricAlarm", props: ["alarmActions", "okActions", "insufficientDataActions"], service: "cloudwatch.amazonaws.com" },
    {
        type: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
        props: ["alarmActions", "okActions", "insufficientDataActions"],
        service: "cloudwatch.amazonaws.com",
    },
    { type: "aws:cloudwatch/eventTarget:EventTarget", props: ["arn"], service: "events.amazonaws.com" },
    // AMP's alert manager names the topic in its YAML definition (sns_configs.topic_arn).
    { type: "aws:amp/alertManagerDefinition:AlertManagerDefinition", props: ["definition"], service: "aps.amazonaws.com" },
];

/** The actions the account-root statement must allow for `caller` services (grants included: RDS, EBS, OpenSearch create them). */
export const CALLER_ACTIONS: readonly string[] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:GenerateDataKey",
    "kms:DescribeKey",
    "kms:CreateGrant",
];
