/**
 * The permissions of the delivery roles (issue #14), as IAM statements. Read-only roles read the state
 * (S3 objects under `.pulumi/`, decrypt with the state key found by its alias) and describe what the
 * program looks up and a `pulumi preview --refresh` reads; no write, no data-plane read (no s3:GetObject
 * outside the state, no secretsmanager:GetSecretValue, no kms:Decrypt with another key).
 * @see https://www.pulumi.com/docs/iac/concepts/state-and-backends/#aws-s3
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
 */
import { Statement, allow } from "../../model/iam";

/** The S3 state bucket the README's `pulumi login` names. */
export const stateBucketName = (accountId: string): string => `${accountId}-hybrid-platform-state`;

/** ECR push: the layer upload and manifest actions (GetAuthorizationToken is granted apart, on "*"). */
export const ECR_PUSH_ACTIONS = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
    "ecr:BatchGetImage",
    "ecr:DescribeImages",
] as const;

/** GetAuthorizationToken has no resource-level permission (AWS: Resource "*"). */
export const registryLogin = (): Statement => allow("RegistryLogin", "ecr:GetAuthorizationToken", "*");

/**
 * What the program's invokes call during any preview (getAvailabilityZones, getManagedPrefixList,
 * route53 getZone); getCallerIdentity needs no permission. These describe calls take no resource ARN.
 */
export const PROGRAM_LOOKUP_ACTIONS = [
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeManagedPrefixLists",
    "ec2:GetManagedPrefixListEntries",
    "route53:GetHostedZone",
    "route53:ListHostedZones",
    "route53:ListHostedZonesByName",
] as const;

/**
 * The provider's Read of each resource type the stacks declare (`pulumi preview --refresh`): describe,
 * list and configuration gets of the control plane only.
 */
export const REFRESH_READ_ACTIONS = [
    "acm:DescribeCertificate",
    "acm:ListTagsForCertificate",
    "aps:DescribeWorkspace",
    "aps:DescribeRuleGroupsNamespace",
    "aps:ListTagsForResource",
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetEventSelectors",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:ListTags",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:GetDashboard",
    "cloudwatch:ListTagsForResource",
    "codebuild:BatchGetProjects",
    "codeconnections:GetConnection",
    "codeconnections:ListTagsForResource",
    "directconnect:DescribeConnections",
    "directconnect:DescribeVirtualInterfaces",
    "ec2:Describe*",
    "ecr:DescribeRepositories",
    "ecr:DescribeRegistry",
    "ecr:DescribeRepositoryCreationTemplates",
    "ecr:GetLifecyclePolicy",
    "ecr:GetRepositoryPolicy",
    "ecr:ListTagsForResource",
    "eks:Describe*",
    "eks:List*",
    "elasticache:Describe*",
    "elasticache:ListTagsForResource",
    "elasticloadbalancing:Describe*",
    "es:DescribeDomain",
    "es:DescribeDomainConfig",
    "es:ListTags",
    "grafana:DescribeWorkspace",
    "grafana:ListTagsForResource",
    "iam:GetOpenIDConnectProvider",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListRolePolicies",
    "iam:ListRoleTags",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListResourceTags",
    "lambda:GetFunctionConfiguration",
    "lambda:GetPolicy",
    "lambda:ListTags",
    "logs:DescribeLogGroups",
    "logs:ListTagsForResource",
    "rds:Describe*",
    "rds:ListTagsForResource",
    "rolesanywhere:GetProfile",
    "rolesanywhere:GetTrustAnchor",
    "rolesanywhere:ListTagsForResource",
    "route53:GetChange",
    "route53:ListResourceRecordSets",
    "route53:ListTagsForResource",
    "s3:GetBucketPolicy",
    "s3:GetBucketTagging",
    "s3:GetBucketVersioning",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetResourcePolicy",
    "sns:GetTopicAttributes",
    "sns:ListTagsForResource",
    "wafv2:GetWebACL",
    "wafv2:GetLoggingConfiguration",
    "wafv2:ListTagsForResource",
    "xray:GetEncryptionConfig",
    "xray:GetGroup",
] as const;

/** The drill's preflight (tools/failoverAdapters.ts): the replica lag and S3 replication metrics, the secret's replication state. */
export const DRILL_PREFLIGHT_ACTIONS = ["cloudwatch:GetMetricData", "secretsmanager:DescribeSecret"] as const;

export interface StateLocation {
    readonly accountId: string;
    /** Region of the state bucket and its key (the DR region). */
    readonly region: string;
    /** Alias of the secrets-provider key. */
    readonly keyAlias: string;
}

/** Read the state (list the bucket, get objects under `.pulumi/`) and decrypt the stacks' secrets with the state key alone. */
export function stateReadStatements(state: StateLocation): Statement[] {
    const bucket = `arn:aws:s3:::${stateBucketName(state.accountId)}`;
    return [
        allow("ListState", "s3:ListBucket", bucket),
        allow("ReadState", "s3:GetObject", `${bucket}/.pulumi/*`),
        // A key cannot be named by alias in Resource; kms:ResourceAliases matches the key that carries the alias.
        allow("DecryptStateSecrets", "kms:Decrypt", `arn:aws:kms:${state.region}:${state.accountId}:key/*`, {
            "ForAnyValue:StringEquals": { "kms:ResourceAliases": state.keyAlias },
        }),
    ];
}

/** Everything a read-only `pulumi preview` (optionally --refresh) of a stack needs. */
export function previewStatements(state: StateLocation): Statement[] {
    return [...stateReadStatements(state), allow("ProgramLookups", [...PROGRAM_LOOKUP_ACTIONS], "*"), allow("RefreshReads", [...REFRESH_READ_ACTIONS], "*")];
}
