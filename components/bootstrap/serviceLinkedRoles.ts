/**
 * Service-linked roles step: the ones a new account lacks when prod and dr first need them. They are
 * per account (IAM is global), so the bootstrap stack creates them once and prod and dr read their ARNs.
 *
 * Which roles, for what this program creates (each service's SLR page):
 *  - EC2 Auto Scaling (`AWSServiceRoleForAutoScaling`): created by Auto Scaling with the first group, but the
 *    EKS node-volume key policy names it before any group exists, and KMS refuses a policy naming a principal
 *    that does not exist (MalformedPolicyDocumentException). Created here.
 *    https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html
 *    https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
 *  - OpenSearch Service (`AWSServiceRoleForAmazonOpenSearchService`): a VPC domain needs it to place its ENIs.
 *    OpenSearch creates it with the first domain only if the deployer may call iam:CreateServiceLinkedRole
 *    (and uses a legacy AWSServiceRoleForAmazonElasticsearchService instead if the account has one). Created
 *    here, so the in-VPC deployer of prod and dr needs no IAM right on service-linked roles, and the order is explicit.
 *    https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr-aos.html
 *  - Not needed here: EKS (AWSServiceRoleForAmazonEKS, ...Nodegroup), RDS (AWSServiceRoleForRDS), ElastiCache
 *    (AWSServiceRoleForElastiCache), Elastic Load Balancing, ECR replication (AWSServiceRoleForECRReplication,
 *    created with the first replication configuration) and Managed Grafana/Prometheus create theirs with the
 *    first resource, and nothing of this program names them before.
 *    https://docs.aws.amazon.com/eks/latest/userguide/using-service-linked-roles-eks.html
 *    https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAM.ServiceLinkedRoles.html
 *    https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/using-service-linked-roles.html
 *    https://docs.aws.amazon.com/AmazonECR/latest/userguide/using-service-linked-roles.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The service-linked roles the bootstrap stack declares, by the output that carries each ARN. */
export const SERVICE_LINKED_ROLES = {
    autoScalingRoleArn: { service: "autoscaling.amazonaws.com", roleName: "AWSServiceRoleForAutoScaling" },
    openSearchRoleArn: { service: "opensearchservice.amazonaws.com", roleName: "AWSServiceRoleForAmazonOpenSearchService" },
} as const;
export type ServiceLinkedRoleOutput = keyof typeof SERVICE_LINKED_ROLES;

/** The ARN IAM gives a service-linked role (path aws-service-role/<service>/). */
export const serviceLinkedRoleArn = (accountId: string, role: ServiceLinkedRoleOutput): string =>
    `arn:aws:iam::${accountId}:role/aws-service-role/${SERVICE_LINKED_ROLES[role].service}/${SERVICE_LINKED_ROLES[role].roleName}`;

export interface ServiceLinkedRolesArgs {
    /** Services whose role already exists in the account (imported or created by hand): only its ARN is output. */
    readonly existing: readonly string[];
    readonly accountId: pulumi.Input<string>;
}

export function createServiceLinkedRoles(
    parent: pulumi.ComponentResource,
    name: string,
    args: ServiceLinkedRolesArgs,
): Record<ServiceLinkedRoleOutput, pulumi.Output<string>> {
    const arns = {} as Record<ServiceLinkedRoleOutput, pulumi.Output<string>>;
    for (const output of Object.keys(SERVICE_LINKED_ROLES) as ServiceLinkedRoleOutput[]) {
        const { service } = SERVICE_LINKED_ROLES[output];
        if (args.existing.includes(service)) {
            arns[output] = pulumi.output(args.accountId).apply((id) => serviceLinkedRoleArn(id, output));
            continue;
        }
        // Kept on `pulumi destroy`: IAM refuses to delete a service-linked role while the service still uses it.
        const role = new aws.iam.ServiceLinkedRole(
            `${name}-${service.split(".")[0]}`,
            { awsServiceName: service, description: `Created by the ${pulumi.getProject()} bootstrap stack before prod and dr name it` },
            { parent, retainOnDelete: true },
        );
        arns[output] = role.arn;
    }
    return arns;
}
