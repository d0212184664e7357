/**
 * VPC endpoint policies and the documents bucket's `aws:SourceVpce` condition (issue #12, seed 4.3: no perimeter-based
 * trust). Without a policy an endpoint has AWS's default one, full access for anyone to anything of the service, so a
 * stolen or foreign credential could use our endpoints to reach another account's buckets. Each policy here admits
 * this account's principals, plus exactly what AWS itself needs through the endpoint (the rules table below, each
 * row with its AWS page). Pure: values are plain strings.
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html (endpoint policies: a boundary, they grant nothing)
 * @see https://github.com/aws-samples/data-perimeter-policy-examples/tree/main/vpc_endpoint_policies (AWS's data-perimeter examples these follow)
 */
import { Statement } from "./iam";

/** What AWS documents for one endpoint service we create (model/network.ts INTERFACE_ENDPOINTS, and S3). */
export interface EndpointServiceRule {
    /** The service name's last part (com.amazonaws.<region>.<service>). */
    readonly service: string;
    /** Whether the service honours an endpoint policy; one that does not keeps AWS's default (and the pack accepts that). */
    readonly supportsPolicy: boolean;
    /**
     * Whether the policy also pins the resource to this account (`aws:ResourceAccount`). Only S3: the interface endpoints
     * also carry calls without a resource the deploy runner makes (sts:GetCallerIdentity, kms:CreateKey,
     * secretsmanager:GetRandomPassword, ecr:GetAuthorizationToken), and the kubelet pulls the EKS add-ons from AWS's
     * own registry account, so a resource-account condition there would break deploys and node boots.
     */
    readonly resourceScoped: boolean;
    /** The AWS page saying the service supports endpoint policies (and what it needs through them). */
    readonly page: string;
}

/** AWS's rules for each endpoint service we create. A service missing here fails the pack (vpc-endpoint-policy-scoped). */
export const ENDPOINT_SERVICE_RULES: readonly EndpointServiceRule[] = [
    {
        service: "s3",
        supportsPolicy: true,
        resourceScoped: true,
        page: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#vpc-endpoints-policies-s3",
    },
    {
        service: "ecr.api",
        supportsPolicy: true,
        resourceScoped: false,
        page: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-vpc-endpoint-policy",
    },
    {
        service: "ecr.dkr",
        supportsPolicy: true,
        resourceScoped: false,
        page: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-vpc-endpoint-policy",
    },
    { service: "sts", supportsPolicy: true, resourceScoped: false, page: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_sts_vpce.html" },
    {
        service: "secretsmanager",
        supportsPolicy: true,
        resourceScoped: false,
        page: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html",
    },
    { service: "kms", supportsPolicy: true, resourceScoped: false, page: "https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html" },
    {
        service: "logs",
        supportsPolicy: true,
        resourceScoped: false,
        page: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch-logs-and-interface-VPC.html",
    },
    {
        service: "elasticache",
        supportsPolicy: true,
        resourceScoped: false,
        page: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/elasticache-privatelink.html",
    },
    // issue #13: the collectors' endpoints. AMP and X-Ray are listed with endpoint-policy support in "AWS services that
    // integrate with AWS PrivateLink" (https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html);
    // their own pages below were read for the service names only. Every caller is one of this account's roles (IRSA on EKS,
    // Roles Anywhere on-prem), so the account condition admits them all.
    {
        service: "aps-workspaces",
        supportsPolicy: true,
        resourceScoped: false,
        page: "https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-and-interface-VPC.html",
    },
    { service: "xray", supportsPolicy: true, resourceScoped: false, page: "https://docs.aws.amazon.com/xray/latest/devguide/xray-security-vpc-endpoint.html" },
    // "VPC endpoint policies are supported for IAM Roles Anywhere on all API methods except CreateSession": the certificate-signed
    // CreateSession (no AWS principal) passes whatever the policy says, so the account condition cannot lock the on-prem collector out.
    {
        service: "rolesanywhere",
        supportsPolicy: true,
        resourceScoped: false,
        page: "https://docs.aws.amazon.com/rolesanywhere/latest/userguide/vpc-interface-endpoints.html",
    },
];

export const endpointRule = (service: string): EndpointServiceRule | undefined => ENDPOINT_SERVICE_RULES.find((r) => r.service === service);

/** An AWS-owned bucket that callers of this VPC read through the S3 gateway endpoint, with the page that names it. */
export interface AwsOwnedBucket {
    readonly arn: (region: string) => string;
    readonly why: string;
    readonly page: string;
}

/**
 * AWS-owned buckets the nodes need through the S3 gateway endpoint. Reads of these are signed by AWS (ECR hands the
 * kubelet pre-signed layer URLs) or anonymous (the Amazon Linux repositories), so no principal-account condition can
 * admit them: the statement is `Principal: *`, `s3:GetObject`, these ARNs only.
 */
export const AWS_OWNED_BUCKETS: readonly AwsOwnedBucket[] = [
    {
        arn: (region) => `arn:aws:s3:::prod-${region}-starport-layer-bucket/*`,
        why: "ECR image layers: every image pull of the kubelet downloads its layers from this bucket",
        page: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms",
    },
    {
        arn: (region) => `arn:aws:s3:::al2023-repos-${region}-de612dc2/*`,
        why: "the Amazon Linux 2023 package repositories of the nodes (AL2023_x86_64_STANDARD: components/app/nodeGroups.ts)",
        page: "https://github.com/aws-samples/data-perimeter-policy-examples/blob/main/vpc_endpoint_policies/s3_endpoint_policy.json",
    },
];

/** Sid of the AWS-owned-buckets statement (the only Allow the pack accepts without an account condition on S3). */
export const AWS_OWNED_BUCKETS_SID = "AwsOwnedBucketsTheNodesRead";
/** Sid of the STS statement for web-identity (IRSA) calls, which carry no AWS principal. */
export const WEB_IDENTITY_SID = "WebIdentityToThisAccountsRoles";

/** The endpoint policy of one service, or undefined where AWS's default must stay (a service without policy support). */
export function endpointPolicyStatements(service: string, accountId: string, region: string): Statement[] | undefined {
    const rule = endpointRule(service);
    if (!rule?.supportsPolicy) return undefined;
    const statements: Statement[] = [
        {
            Sid: rule.resourceScoped ? "ThisAccountsPrincipalsToThisAccountsResources" : "ThisAccountsPrincipals",
            Effect: "Allow",
            Principal: "*",
            Action: "*",
            Resource: "*",
            Condition: {
                StringEquals: { "aws:PrincipalAccount": accountId, ...(rule.resourceScoped ? { "aws:ResourceAccount": accountId } : {}) },
            },
        },
    ];
    if (service === "s3")
        statements.push({
            Sid: AWS_OWNED_BUCKETS_SID,
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: AWS_OWNED_BUCKETS.map((b) => b.arn(region)),
        });
    // IRSA: the pods' SDK calls AssumeRoleWithWebIdentity unsigned (the OIDC token is the credential), so the request has no
    // aws:PrincipalAccount; the role it asks for is the resource, and it must be one of ours.
    // @see https://github.com/aws-samples/data-perimeter-policy-examples/blob/main/vpc_endpoint_policies/sts_endpoint_policy.json
    if (service === "sts")
        statements.push({
            Sid: WEB_IDENTITY_SID,
            Effect: "Allow",
            Principal: "*",
            Action: "sts:AssumeRoleWithWebIdentity",
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceAccount": accountId } },
        });
    return statements;
}

/** Sid of the documents bucket's network deny. */
export const SOURCE_VPCE_SID = "DenyObjectAccessOutsideTheVpcEndpoint";

/**
 * Object reads and writes the documents bucket refuses unless they arrive through the named gateway endpoint(s).
 * Listed one by one, never `s3:GetObject*`: S3 replication to the DR bucket reads the source with
 * s3:GetObjectVersionForReplication from S3's own network (the replication role's calls carry no aws:SourceVpce),
 * and bucket-level calls (the deploy runner's PutBucketPolicy, dr's PutReplicationConfiguration from the other
 * region) must keep working, or a wrong ID would lock the bucket until the root user deletes the policy.
 */
export const DOCUMENT_OBJECT_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"] as const;

/**
 * The documents bucket's network condition (seed 4.3): object reads and writes only through this VPC's S3 gateway
 * endpoint. `aws:SourceVpce` (not `aws:SourceVpc`): the endpoint we created, not any endpoint someone adds to the VPC.
 * Exempt by ARN only the principals that legitimately come another way: the on-prem MinIO sync agent (IAM Roles
 * Anywhere, over the internet: a gateway endpoint cannot be reached from on-prem). No aws:ViaAWSService or
 * aws:PrincipalIsAWSService exemption: nothing reads these objects through another service (replication uses its
 * own action, access logs go to the log bucket, CloudTrail only records the calls), and such an exemption would let a
 * stolen pod credential read documents through another service from outside. A pre-signed URL the portal hands to a
 * browser is refused too (the request comes from the internet): documents are streamed by the pods (docs/flows.md).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html ("Restricting access to a specific VPC endpoint", and its warning that such a policy can lock everyone out)
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpce (absent outside an endpoint, so StringNotEquals matches and denies)
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html (gateway endpoints are not reachable from on-prem over a VPN)
 */
export function sourceVpceDeny(bucketArn: string, endpointIds: readonly string[], exemptPrincipalArns: readonly string[]): Statement {
    return {
        Sid: SOURCE_VPCE_SID,
        Effect: "Deny",
        Principal: "*",
        Action: [...DOCUMENT_OBJECT_ACTIONS],
        Resource: `${bucketArn}/*`,
        Condition: {
            StringNotEquals: { "aws:SourceVpce": [...endpointIds] },
            ...(exemptPrincipalArns.length > 0 ? { ArnNotEquals: { "aws:PrincipalArn": [...exemptPrincipalArns] } } : {}),
        },
    };
}
