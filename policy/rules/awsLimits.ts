/**
 * AWS's limits on physical names, each from the AWS page that states it (issue #11: "physical names within AWS limits
 * after Pulumi's suffix"). A resource whose name prop is unset is auto-named by Pulumi: `<logical name>-<7 hex>`
 * (pulumi/sdk `resource.NewUniqueHex(name + "-", 7, maxLength)`, which fails with "name '<name>-' plus 7 random chars is
 * longer than maximum length 32" for a target group), so its logical name must leave PULUMI_SUFFIX characters free. A
 * prefix prop gets the provider's 26-character unique suffix, hence each `prefixMax` = `max` - 26.
 */

/** Pulumi's auto-name suffix: "-" and 7 random hex characters. */
export const PULUMI_SUFFIX = 8;

export interface NameLimit {
    readonly type: string;
    /** The prop holding the physical name. */
    readonly prop: string;
    readonly max: number;
    /** The prop holding a name prefix (the provider appends a 26-character unique suffix) and its own limit. */
    readonly prefixProp?: string;
    readonly prefixMax?: number;
    /** Pulumi auto-names the resource when `prop` is unset. */
    readonly autoNamed: boolean;
    readonly source: string;
}

export const NAME_LIMITS: readonly NameLimit[] = [
    {
        type: "aws:iam/role:Role",
        prop: "name",
        max: 64,
        prefixProp: "namePrefix",
        prefixMax: 38,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (role name 64 characters)",
    },
    {
        type: "aws:iam/policy:Policy",
        prop: "name",
        max: 128,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (policy name 128)",
    },
    {
        type: "aws:iam/rolePolicy:RolePolicy",
        prop: "name",
        max: 128,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (inline policy name 128)",
    },
    {
        type: "aws:s3/bucket:Bucket",
        prop: "bucket",
        max: 63,
        prefixProp: "bucketPrefix",
        prefixMax: 37,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (3 to 63 characters)",
    },
    {
        type: "aws:s3/bucketV2:BucketV2",
        prop: "bucket",
        max: 63,
        prefixProp: "bucketPrefix",
        prefixMax: 37,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (3 to 63 characters)",
    },
    {
        type: "aws:lb/loadBalancer:LoadBalancer",
        prop: "name",
        max: 32,
        prefixProp: "namePrefix",
        prefixMax: 6,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html (Name: at most 32 characters)",
    },
    {
        type: "aws:lb/targetGroup:TargetGroup",
        prop: "name",
        max: 32,
        prefixProp: "namePrefix",
        prefixMax: 6,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html (Name: at most 32 characters)",
    },
    {
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        prop: "replicationGroupId",
        max: 40,
        autoNamed: false,
        source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html (ReplicationGroupId: 1 to 40 characters)",
    },
    {
        type: "aws:rds/instance:Instance",
        prop: "identifier",
        max: 63,
        prefixProp: "identifierPrefix",
        prefixMax: 37,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (DBInstanceIdentifier: 1 to 63 characters)",
    },
    {
        type: "aws:lambda/function:Function",
        prop: "name",
        max: 64,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (FunctionName: 64 characters, unqualified)",
    },
    {
        type: "aws:sns/topic:Topic",
        prop: "name",
        max: 256,
        prefixProp: "namePrefix",
        prefixMax: 230,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name: up to 256 characters)",
    },
    {
        type: "aws:cloudwatch/logGroup:LogGroup",
        prop: "name",
        max: 512,
        prefixProp: "namePrefix",
        prefixMax: 486,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (logGroupName: 1 to 512 characters)",
    },
    {
        type: "aws:kms/alias:Alias",
        prop: "name",
        max: 256,
        autoNamed: false,
        source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html (AliasName: 1 to 256 characters, alias/ prefix included)",
    },
    {
        type: "aws:secretsmanager/secret:Secret",
        prop: "name",
        max: 512,
        prefixProp: "namePrefix",
        prefixMax: 486,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html (Name: 1 to 512 characters)",
    },
    {
        type: "aws:opensearch/domain:Domain",
        prop: "domainName",
        max: 28,
        autoNamed: false,
        source: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createupdatedomains.html (domain names: 3 to 28 characters)",
    },
    {
        type: "aws:eks/nodeGroup:NodeGroup",
        prop: "nodeGroupName",
        max: 63,
        prefixProp: "nodeGroupNamePrefix",
        prefixMax: 37,
        autoNamed: false,
        source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html (nodegroupName: 1 to 63 characters)",
    },
    {
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        prop: "name",
        max: 128,
        prefixProp: "namePrefix",
        prefixMax: 102,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html (LaunchTemplateName: 3 to 128 characters)",
    },
    {
        type: "aws:cloudtrail/trail:Trail",
        prop: "name",
        max: 128,
        autoNamed: true,
        source: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html (Name: 3 to 128 characters)",
    },
];

/** The buckets whose name is global: S3 bucket names are unique across all AWS accounts, so one without the account id can be held by anyone. */
export const GLOBAL_NAME_SOURCE =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (bucket names are unique across all AWS accounts in a partition; AWS recommends a suffix such as the account id)";

/** An account id as one hyphen- or dot-separated part of a name. */
export const ACCOUNT_ID_PART = /(^|[-.])\d{12}([-.]|$)/;
