/**
 * Node groups step: the worker role, a launch template (IMDSv2 only, encrypted gp3 root on the
 * stack's volume key, the cluster and data-client security groups), and one managed node group per
 * AZ so the cluster autoscaler can grow each zone on its own.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig } from "../../model/appConfig";
import { policyJson } from "../../model/iam";
import { accountNaming } from "../bootstrap/bootstrapReads";
import { CustomerKey } from "../security/customerKey";
import { StepScope } from "./step";

export interface NodeGroupsArgs extends StepScope {
    readonly app: AppConfig;
    /** The account the volume key's policy delegates to. */
    readonly accountId: pulumi.Input<string>;
    /** AWSServiceRoleForAutoScaling from the bootstrap stack: the volume key policy names it, so it must exist first. */
    readonly autoScalingRoleArn: pulumi.Input<string>;
    readonly clusterName: pulumi.Output<string>;
    readonly clusterSecurityGroupId: pulumi.Input<string>;
    /** The data tier's client security group, which its database and Redis admit. */
    readonly dataClientSecurityGroupId: pulumi.Input<string>;
    /** One per AZ, in AZ order. */
    readonly privateSubnetIds: pulumi.Input<string>[];
    /** Node group bounds per AZ (capacity model). */
    readonly nodesPerAz: { readonly min: number; readonly max: number };
}

export interface NodeGroups {
    /** In AZ order; what cluster-side resources wait for. */
    readonly nodeGroups: aws.eks.NodeGroup[];
}

/** Policies every EKS worker needs: join the cluster, run the VPC CNI, pull from ECR. */
const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"];

export function createNodeGroups(parent: pulumi.ComponentResource, name: string, args: NodeGroupsArgs): NodeGroups {
    const { app, stack } = args;
    const volumeKey = new CustomerKey(
        `${name}-node-volumes`,
        {
            description: `EKS worker root volumes (${stack})`,
            purpose: "eks-node-volumes",
            // Resolved with the bootstrap's SLR ARN: the key policy depends on the role it names (KMS refuses a missing one).
            accountId: accountNaming(args.accountId, args.autoScalingRoleArn),
            // Managed node groups launch through EC2 Auto Scaling, whose service-linked role must be named in the key policy.
            roleGrants: [
                {
                    roleName: "aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
                    actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                },
                {
                    roleName: "aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
                    actions: ["kms:CreateGrant"],
                    condition: { Bool: { "kms:GrantIsForAWSResource": true } },
                },
            ],
        },
        { parent },
    );
    const nodeRole = new aws.iam.Role(
        `${name}-nodes`,
        {
            name: `${stack}-eks-nodes`,
            assumeRolePolicy: policyJson([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]),
            tags: args.tags,
        },
        { parent },
    );
    const nodePolicies = NODE_POLICIES.map(
        (p) => new aws.iam.RolePolicyAttachment(`${name}-nodes-${p}`, { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${p}` }, { parent }),
    );
    const launchTemplate = new aws.ec2.LaunchTemplate(
        `${name}-nodes`,
        {
            namePrefix: `${stack}-eks-nodes-`,
            description: "EKS workers: IMDSv2 only, encrypted gp3 root",
            // IMDSv2 only, hop limit 1: pods (one network hop further) cannot reach the node role's credentials; they use IRSA.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
            blockDeviceMappings: [
                {
                    deviceName: "/dev/xvda",
                    ebs: { volumeType: "gp3", volumeSize: app.nodeVolumeGiB, encrypted: "true", kmsKeyId: volumeKey.arn, deleteOnTermination: "true" },
                },
            ],
            // With a launch template's security groups EKS adds none itself: the cluster SG (control plane <-> nodes) plus the data-tier client SG.
            vpcSecurityGroupIds: [args.clusterSecurityGroupId, args.dataClientSecurityGroupId],
            monitoring: { enabled: true },
            tagSpecifications: [
                { resourceType: "instance", tags: { ...(args.tags ?? {}), Name: `${stack}-eks-node` } },
                // Never empty: EC2 refuses a tag specification without tags (InvalidTagSpecification.Malformed), and the
                // provider's defaultTags reach only the template's own tags, not these (terraform-provider-aws #19387).
                { resourceType: "volume", tags: { ...(args.tags ?? {}), Name: `${stack}-eks-node-volume` } },
            ],
            updateDefaultVersion: true,
            tags: args.tags,
        },
        { parent },
    );
    const nodeGroups = args.privateSubnetIds.map(
        (subnetId, i) =>
            new aws.eks.NodeGroup(
                `${name}-nodes-az${i + 1}`,
                {
                    clusterName: args.clusterName,
                    nodeGroupName: `${stack}-az${i + 1}`,
                    nodeRoleArn: nodeRole.arn,
                    subnetIds: [subnetId],
                    instanceTypes: [app.instanceType],
                    amiType: "AL2023_x86_64_STANDARD",
                    capacityType: "ON_DEMAND",
                    launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
                    scalingConfig: { minSize: args.nodesPerAz.min, desiredSize: args.nodesPerAz.min, maxSize: args.nodesPerAz.max },
                    updateConfig: { maxUnavailable: 1 },
                    labels: { "portal/az-index": String(i + 1) },
                    tags: args.tags,
                },
                // The cluster autoscaler moves desiredSize; Pulumi keeps min and max.
                { parent, dependsOn: nodePolicies, ignoreChanges: ["scalingConfig.desiredSize"] },
            ),
    );
    return { nodeGroups };
}
