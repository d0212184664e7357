/**
 * What the deploy runner's role may do: it runs `pulumi up` of the whole stack, so it needs to create what the
 * stack declares; pure, so the tests check it against the real plans (every AWS module a plan uses is covered).
 *
 * Scoped in three ways (an admin role would do, and is what a CI account too often gets):
 * - only the services the program uses (DEPLOY_SERVICES, one entry per Pulumi module), nothing else;
 * - only in the stack's regions (`aws:RequestedRegion`; us-east-1 too, where IAM, Route 53 and other global
 *   services are called), so a leaked token cannot build in another region;
 * - explicit denials of what no deploy needs and an attacker would: IAM users and access keys, changing this
 *   role itself (no self-escalation), stopping or deleting the audit trail, and the organization/account APIs.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/auth-and-access-control-iam-identity-based-access-control.html#customer-managed-policies-example-create-vpc-network-interface
 */
import { Statement, allow } from "../../model/iam";

/** Pulumi AWS module (the `aws:<module>/...` of a resource type) -> the IAM service prefixes its resources call. */
export const DEPLOY_SERVICES: Readonly<Record<string, readonly string[]>> = {
    acm: ["acm"],
    alb: ["elasticloadbalancing"],
    amp: ["aps"],
    appautoscaling: ["application-autoscaling"],
    autoscaling: ["autoscaling"],
    cloudtrail: ["cloudtrail"],
    // aws.cloudwatch holds log groups and subscription filters (logs), alarms and dashboards (cloudwatch), and EventBridge rules (events).
    cloudwatch: ["cloudwatch", "logs", "events"],
    codebuild: ["codebuild", "codeconnections", "codestar-connections"],
    ec2: ["ec2"],
    ecr: ["ecr"],
    eks: ["eks"],
    elasticache: ["elasticache"],
    grafana: ["grafana", "sso"],
    iam: ["iam"],
    kms: ["kms"],
    lambda: ["lambda"],
    lb: ["elasticloadbalancing"],
    opensearch: ["es"],
    rds: ["rds"],
    // The on-prem cluster's workloads authenticate to AWS through IAM Roles Anywhere.
    rolesanywhere: ["rolesanywhere"],
    route53: ["route53"],
    s3: ["s3"],
    secretsmanager: ["secretsmanager"],
    // AWS's rotation function comes from the Serverless Application Repository, which deploys it through CloudFormation.
    serverlessrepository: ["serverlessrepo", "cloudformation"],
    sns: ["sns"],
    sqs: ["sqs"],
    ssm: ["ssm"],
    // aws.vpc holds the security group rules (EC2 APIs).
    vpc: ["ec2"],
    wafv2: ["wafv2"],
    xray: ["xray"],
};

/** Every call the runner's role makes besides the ones of DEPLOY_SERVICES (identity, the EKS token, tag lookups). */
const ALWAYS = ["sts:GetCallerIdentity", "sts:TagSession", "tag:GetResources"];

/** Read verbs granted on "*" (many Describe/List calls support no resource-level permission). */
const READS = ["Describe*", "List*", "Get*"];

/** Creations AWS authorizes only on Resource "*". */
const UNSCOPED_CREATES = ["kms:CreateKey", "ec2:CreateTags", "wafv2:CreateWebACL", "aps:CreateWorkspace", "grafana:CreateWorkspace"];

/** ARNs without an account id (S3, Route 53, AWS-owned images): scoped by the statement's region and by their partition only. */
const ACCOUNTLESS_ARNS = ["arn:aws:s3:::*", "arn:aws:route53:::*", "arn:aws:ec2:*::image/*", "arn:aws:ec2:*::snapshot/*"];

export interface RunnerPolicyInput {
    readonly accountId: string;
    /** The regions the stack deploys to (dr: its own and the primary's). */
    readonly regions: readonly string[];
    /** The runner's own role name (denied changes to itself). */
    readonly roleName: string;
    /** The runner's log group ARN. */
    readonly logGroupArn: string;
    /** The private subnets' ARNs the runner's network interfaces may be placed in. */
    readonly subnetArns: readonly string[];
    /** The CodeConnections connection to GitHub, when the bootstrap stack created one. */
    readonly connectionArn?: string;
}

/** The IAM service prefix of every action the role may call, sorted. */
export function deployServicePrefixes(): string[] {
    return [...new Set(Object.values(DEPLOY_SERVICES).flat())].sort();
}

/** The runner role's policy statements. */
export function runnerStatements(input: RunnerPolicyInput): Statement[] {
    const { accountId } = input;
    // us-east-1: where IAM, Route 53, CloudFront-scoped WAF and the other global services are called.
    const regions = [...new Set([...input.regions, "us-east-1"])].sort();
    const prefixes = deployServicePrefixes();
    const statements: Statement[] = [
        allow("RunnerLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [input.logGroupArn, `${input.logGroupArn}:*`]),
        // CodeBuild places the build's network interface in the VPC with the project's role (AWS's documented VPC policy).
        allow(
            "RunnerNetworkInterfaces",
            [
                "ec2:CreateNetworkInterface",
                "ec2:DescribeDhcpOptions",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeVpcs",
            ],
            "*",
        ),
        allow("RunnerNetworkInterfacePermission", "ec2:CreateNetworkInterfacePermission", `arn:aws:ec2:*:${accountId}:network-interface/*`, {
            StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" },
            ArnEquals: { "ec2:Subnet": [...input.subnetArns] },
        }),
        // Every service the stack uses, on this account's resources only: ARNs with this account, and
        // aws:ResourceAccount for the ARNs that carry none (S3 buckets, Route 53 zones, AWS-owned AMIs read by EKS).
        allow(
            "DeployTheStack",
            prefixes.map((prefix) => `${prefix}:*`),
            [...prefixes.map((prefix) => `arn:aws:${prefix}:*:${accountId}:*`), ...ACCOUNTLESS_ARNS],
            {
                StringEquals: { "aws:RequestedRegion": regions },
            },
        ),
        // Reads and the few creations whose Resource AWS accepts only as "*" (a new key has no ARN yet), in the stack's regions.
        allow("ReadAndCreateUnscoped", [...prefixes.flatMap((prefix) => READS.map((verb) => `${prefix}:${verb}`)), ...UNSCOPED_CREATES, ...ALWAYS], "*", {
            StringEquals: { "aws:RequestedRegion": regions },
        }),
        {
            Sid: "NoLongLivedCredentials",
            Effect: "Deny",
            Action: ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"],
            Resource: "*",
        },
        // Its own policy changes only from phase 1 (a workstation's admin): the runner cannot widen what it may do.
        {
            Sid: "NoSelfEscalation",
            Effect: "Deny",
            Action: [
                "iam:PutRolePolicy",
                "iam:AttachRolePolicy",
                "iam:DetachRolePolicy",
                "iam:DeleteRolePolicy",
                "iam:UpdateAssumeRolePolicy",
                "iam:PutRolePermissionsBoundary",
                "iam:DeleteRolePermissionsBoundary",
                "iam:DeleteRole",
            ],
            Resource: `arn:aws:iam::${accountId}:role/${input.roleName}`,
        },
        {
            Sid: "AuditTrailStaysOn",
            Effect: "Deny",
            Action: ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"],
            Resource: "*",
        },
        { Sid: "NoAccountChanges", Effect: "Deny", Action: ["organizations:*", "account:*"], Resource: "*" },
    ];
    if (input.connectionArn) {
        statements.push(
            allow(
                "RunnerGitHubConnection",
                ["codeconnections:GetConnectionToken", "codeconnections:GetConnection", "codeconnections:UseConnection"],
                input.connectionArn,
            ),
        );
    }
    return statements;
}
