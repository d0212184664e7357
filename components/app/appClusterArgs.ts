/** What an `AppCluster` takes, documented and checked before anything is registered. */
import * as pulumi from "@pulumi/pulumi";
import { AppConfig } from "../../model/appConfig";
import { DataEndpoints } from "../data/endpoints";
import { Problem, cidrListProblems, integerProblems } from "./validation";

/** The bootstrap outputs an AppCluster uses (model/bootstrapOutputs.ts), narrowed to its stack and region. */
export interface AppBootstrap {
    /** Repository URL per image name (django-web, fastapi-api, celery-worker) in the cluster's region. */
    readonly repositoryUrls: pulumi.Input<Record<string, string>>;
    /** ARN of AWSServiceRoleForAutoScaling in this account. */
    readonly autoScalingRoleArn: pulumi.Input<string>;
    /** ARN of this stack's CI role (trusted through GitHub OIDC with a pinned subject). */
    readonly ciRoleArn: pulumi.Input<string>;
    /**
     * FQDN of the hostname's ACM DNS validation record, which the bootstrap stack owns (one per name and account,
     * every region): an issued certificate validates against it and the cluster creates no record (finding 16).
     * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
     */
    readonly certificateValidationRecordFqdn: pulumi.Input<string>;
}

export interface AppClusterArgs {
    /**
     * The validated `app:` config section: Kubernetes version, instance type, images, TLS policy,
     * release strategy, WAF rate limit, on-prem cluster.
     * @see model/appConfig.ts for each field's constraints and default
     */
    readonly app: AppConfig;
    /**
     * The environment name. "production" turns on ALB deletion protection and makes canary the
     * release strategy when `app.release.strategy` is unset (rolling elsewhere).
     * @default "production"
     */
    readonly environment?: string;
    /**
     * Concurrent users today and at the growth target: the capacity model sizes the HPA minima and
     * node groups from today's, the maxima from the target's. Non-negative numbers.
     */
    readonly capacity: { readonly concurrentUsers: number; readonly targetUsers: number };
    /** Public hostname citizens use: the TLS certificate's subject and the app's PUBLIC_HOSTNAME. Not empty. */
    readonly hostname: string;
    /**
     * Public Route53 hosted zone holding `hostname`, where an issued certificate is validated by DNS (through the
     * record the bootstrap stack owns there: `bootstrap.certificateValidationRecordFqdn`).
     * Required unless `app.certificateArn` names an existing certificate.
     * @default none
     * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
     */
    readonly zoneName?: string;
    /** AWS region of the cluster and its data (the Secrets Store provider and the IAM conditions name it). */
    readonly region: string;
    /**
     * The account the stack deploys to: IAM trust policies delegate to its root, and the ALB log
     * bucket's name and delivery path carry it. One lookup per stack, passed down.
     */
    readonly accountId: pulumi.Input<string>;
    /** VPC of the cluster, the ALB and its target groups. */
    readonly vpcId: pulumi.Input<string>;
    /**
     * One private subnet per AZ, in AZ order: the worker nodes (one managed node group each) and the
     * EKS control-plane ENIs. At least two (the capacity model survives the loss of one AZ).
     * @see https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
     */
    readonly privateSubnetIds: pulumi.Input<string>[];
    /**
     * Public subnets of the internet-facing ALB, in at least two AZs (an ALB requirement).
     * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer
     */
    readonly publicSubnetIds: pulumi.Input<string>[];
    /**
     * IPv4 CIDRs of `publicSubnetIds`, one each in the same order: the ALB's source addresses, the only
     * ones the NetworkPolicies admit to web/api.
     */
    readonly publicSubnetCidrs: string[];
    /**
     * IPv4 CIDRs of the isolated (data) subnets: the only destinations of the workloads' database and
     * Redis egress. At least one.
     */
    readonly dataSubnetCidrs: string[];
    /**
     * The blocks holding the interface VPC endpoints' addresses (`NetworkTier.apiEndpointCidrs`): with private DNS,
     * STS (IRSA), Secrets Manager, KMS and Logs resolve there, so the NetworkPolicies open HTTPS to them and to no
     * other private address. At least one.
     * @see https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html
     */
    readonly apiEndpointCidrs: string[];
    /**
     * The data tier the workloads use: hosts, secrets and documents bucket, the client security group
     * attached to every worker node, and the IAM statements each workload's IRSA role gets.
     * @see components/data/endpoints.ts
     */
    readonly data: DataEndpoints;
    /**
     * What the account's bootstrap stack created for this stack (components/bootstrap/bootstrapReads.ts):
     * the ECR repositories of this region the images come from, the EC2 Auto Scaling service-linked role
     * the node-volume key policy names, and this stack's GitHub OIDC CI role, the one principal the
     * cluster's ci-deployer role trusts.
     * @see model/bootstrapOutputs.ts
     */
    readonly bootstrap: AppBootstrap;
    /**
     * Pilot light (DR): every workload and node group at its floor, while the HPA and node group
     * maxima stay those of the full plan, so a failover scales up without a deploy.
     * @default false
     */
    readonly pilotLight?: boolean;
    /**
     * Kubeconfig of the on-prem cluster (a secret). With `app.onPrem` set, the same workloads are
     * deployed there too, through a second Kubernetes provider.
     * @default none (cloud only)
     */
    readonly onPremKubeconfig?: pulumi.Input<string>;
    /**
     * Security groups admitted to the private cluster API on 443 (the in-VPC deploy runner,
     * components/delivery/deployRunner.ts): the endpoint is private-only, so whoever runs `pulumi up`
     * must be inside the VPC and admitted by the EKS cluster security group.
     * @default none (only the cluster's own security group)
     * @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
     */
    readonly apiClientSecurityGroupIds?: pulumi.Input<string>[];
    /**
     * Tags for the AWS resources, on top of the provider's default tags.
     * @default none
     */
    readonly tags?: Record<string, string>;
}

/** Every argument problem, before anything is registered. Pure. */
export function appClusterProblems(args: AppClusterArgs): Problem[] {
    const problems: Problem[] = [];
    if (args.privateSubnetIds.length < 2)
        problems.push({
            propertyPath: "privateSubnetIds",
            reason: `one private subnet per AZ, at least 2 (surviving an AZ loss), got ${args.privateSubnetIds.length}`,
        });
    if (args.publicSubnetIds.length < 2)
        problems.push({ propertyPath: "publicSubnetIds", reason: `an ALB needs subnets in at least 2 AZs, got ${args.publicSubnetIds.length}` });
    if (args.publicSubnetCidrs.length !== args.publicSubnetIds.length) {
        problems.push({
            propertyPath: "publicSubnetCidrs",
            reason: `one CIDR per public subnet: ${args.publicSubnetIds.length} subnet IDs but ${args.publicSubnetCidrs.length} CIDRs`,
        });
    }
    problems.push(...cidrListProblems("publicSubnetCidrs", args.publicSubnetCidrs), ...cidrListProblems("dataSubnetCidrs", args.dataSubnetCidrs));
    problems.push(...cidrListProblems("apiEndpointCidrs", args.apiEndpointCidrs));
    if (args.hostname.trim() === "") problems.push({ propertyPath: "hostname", reason: "the public hostname, not empty" });
    if (!args.app.certificateArn && !args.zoneName)
        problems.push({ propertyPath: "zoneName", reason: "required to issue a certificate (or set app.certificateArn)" });
    for (const key of ["concurrentUsers", "targetUsers"] as const) {
        const users = args.capacity[key];
        if (!Number.isFinite(users) || users < 0) problems.push({ propertyPath: `capacity.${key}`, reason: `a non-negative number, got ${users}` });
    }
    problems.push(...integerProblems("app.release.canaryWeight", args.app.release.canaryWeight, 1, 99));
    return problems;
}
