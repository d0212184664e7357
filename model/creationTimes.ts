/**
 * Typical creation times per resource type (issue #15 build 5): what the deploy critical path
 * (tools/report/criticalPath.ts) adds up. Each figure is a *typical* time from a named source (AWS's own
 * statement, or create logs posted in provider issue threads); the provider's default create timeout is
 * an upper bound, never the figure used, and is named in `upperBound` where it is known. Where no source
 * gives a typical figure, the entry says so in `note` and the figure is the best one the sources allow.
 * Pure data and one lookup.
 */

export interface CreationTime {
    /** Typical minutes from the create call to the provider reporting the resource ready. */
    readonly minutes: number;
    /** Where the figure comes from (URL). */
    readonly source: string;
    /** The provider's default create timeout (minutes), an upper bound, where known. */
    readonly upperBound?: number;
    readonly note?: string;
}

/** A type's figure, or a function of the resource's props (Multi-AZ, read replica) when they change it. */
export type CreationTimeRule = CreationTime | ((props: Readonly<Record<string, unknown>>) => CreationTime);

const TF_RDS_MULTI_AZ = "https://github.com/hashicorp/terraform/issues/498";
const RDS_XREGION = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html";
const TF_LOG_EKS = "https://github.com/DevopsArtFactory/terraform-provisioning/pull/46";
const TF_LOG_VPC = "https://github.com/turbot/steampipe-plugin-aws/pull/246";
const TF_LOG_SG_RULES = "https://github.com/hashicorp-education/learn-terraform-variables/pull/6";

/** For types the table does not list: a few seconds of API calls (IAM, SG rules, tags, policies). */
export const DEFAULT_CREATION_TIME: CreationTime = {
    minutes: 0.1,
    source: TF_LOG_SG_RULES,
    note: "default for unlisted types: security group rules, route table associations and similar complete in 1-5 s in the create log",
};

/** Kubernetes objects: one API call each, applied in seconds (Deployments await their rollout: see below). */
const K8S_OBJECT: CreationTime = {
    minutes: 0.1,
    source: "https://pulumi.com/blog/improving-kubernetes-management-with-pulumis-await-logic/",
    note: "a Kubernetes object is accepted by the API server in seconds; Pulumi's await logic waits for readiness only for the kinds it knows (Deployments below)",
};

export const CREATION_TIMES: Readonly<Record<string, CreationTimeRule>> = {
    "eks:index:Cluster": {
        minutes: 13,
        source: "https://github.com/aws/containers-roadmap/issues/1227",
        note:
            "EKS: 'control plane provisioning time currently averages 15 minutes' (AWS, containers-roadmap #1227); a 2024 create log shows 8m33s (" +
            TF_LOG_EKS +
            "); 12 min for the control plane plus ~1 min for the component's own children (OIDC provider, security groups, aws-auth)",
    },
    "aws:eks/cluster:Cluster": {
        minutes: 12,
        source: "https://github.com/aws/containers-roadmap/issues/1227",
        upperBound: 30,
        note: "AWS: averages 15 min (containers-roadmap #1227); 8m33s in a 2024 create log (" + TF_LOG_EKS + "): 12 min, between the two",
    },
    "aws:eks/nodeGroup:NodeGroup": {
        minutes: 4,
        source: "https://github.com/eksctl-io/eksctl/pull/482",
        upperBound: 60,
        note: "a node group stack reached CREATE_COMPLETE after 3m36s in eksctl's log (eksctl #482); 3-5 min typical",
    },
    "aws:rds/instance:Instance": (props) =>
        typeof props.replicateSourceDb === "string" && props.replicateSourceDb.startsWith("arn:")
            ? {
                  minutes: 30,
                  source: RDS_XREGION,
                  upperBound: 40,
                  note: "a cross-region read replica is created from a snapshot copied across regions, so it takes longer than the source instance and grows with the data; no published typical figure was found: 30 min, below the provider's 40 min create timeout",
              }
            : props.multiAz === true
              ? {
                    minutes: 20,
                    source: TF_RDS_MULTI_AZ,
                    upperBound: 40,
                    note: "'up to 15/20 minutes for an RDS instance to be up and ready with multi_az on' (RDS event log in terraform #498); the provider's create timeout was raised to 40 min for it",
                }
              : {
                    minutes: 10,
                    source: TF_RDS_MULTI_AZ,
                    upperBound: 40,
                    note: "'up to 5/10 minutes with multi_az off' (RDS event log in terraform #498)",
                },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        minutes: 12,
        source: "https://github.com/hashicorp/terraform-provider-aws/pull/4093",
        upperBound: 60,
        note: "the provider's create timeout was raised to 50 then 60 min after slow acceptance runs (PRs #2048, #4093); a single cache cluster's acceptance test took 6.6 min create and destroy (terraform #8275); no published typical figure for a Multi-AZ group was found: 12 min, the middle of the 10-15 min usually reported",
    },
    "aws:opensearch/domain:Domain": {
        minutes: 20,
        source: "https://alchemy.run/providers/aws/opensearch/domain",
        upperBound: 60,
        note: "'Domains take roughly 15-25 minutes to provision'",
    },
    "aws:ec2/natGateway:NatGateway": {
        minutes: 2,
        source: "https://github.com/kubernetes/kops/pull/944",
        upperBound: 10,
        note: "kops waits for it: 'up to 5 min' to become available; 1-2 min typical",
    },
    "aws:ec2/vpc:Vpc": { minutes: 0.5, source: TF_LOG_VPC, note: "'Creation complete after 20s' and 'after 39s' in two create logs" },
    "aws:ec2/subnet:Subnet": { minutes: 0.15, source: TF_LOG_VPC, note: "'Creation complete after 5s' / 'after 8s'" },
    "aws:ec2/internetGateway:InternetGateway": { minutes: 0.2, source: TF_LOG_VPC, note: "created and attached in seconds, like the VPC's other parts" },
    "aws:ec2/vpnConnection:VpnConnection": {
        minutes: 5,
        source: "https://docs.aws.amazon.com/cli/latest/reference/ec2/wait/vpn-connection-available.html",
        upperBound: 10,
        note: "AWS's own waiter polls 40 x 15 s (10 min) for 'available'; no published typical figure was found: 5 min, half of it",
    },
    "aws:ec2/vpnGateway:VpnGateway": {
        minutes: 1,
        source: "https://docs.aws.amazon.com/cli/latest/reference/ec2/wait/vpn-connection-available.html",
        note: "create and attach to the VPC; no published typical figure was found (the source is the connection's waiter, for scale)",
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        minutes: 2,
        source: "https://boto3.amazonaws.com/v1/documentation/api/1.26.89/reference/services/ec2/client/create_vpc_endpoint.html",
        upperBound: 10,
        note: "an interface endpoint's ENIs go from pending to available; no published typical figure was found",
    },
    "aws:lb/loadBalancer:LoadBalancer": {
        minutes: 3,
        source: "https://github.com/hashicorp/terraform/issues/24799",
        upperBound: 10,
        note: "'Spinning up an amazon application load balancer should take no more than 5 minutes' (most CI runs); provider timeout 10 min (terraform-provider-aws #8054)",
    },
    "aws:acm/certificateValidation:CertificateValidation": {
        minutes: 5,
        source: "https://github.com/aws/aws-cdk/commit/5b5ca48",
        upperBound: 75,
        note: "DNS validation: the CDK's handler waits up to 9.5 min (5 min timed out for some users); the provider waits 75 min",
    },
    "aws:route53/resolverEndpoint:ResolverEndpoint": {
        minutes: 3,
        source: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_ResolverEndpoint.html",
        upperBound: 10,
        note: "one ENI per subnet, CREATING until OPERATIONAL; no published typical figure was found",
    },
    "aws:grafana/workspace:Workspace": {
        minutes: 5,
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/iam_example_iam_GettingStarted_044_section.html",
        upperBound: 20,
        note: "the workspace goes from CREATING to ACTIVE; no published typical figure was found",
    },
    "aws:lambda/function:Function": {
        minutes: 0.5,
        source: "https://github.com/hashicorp/terraform-provider-aws/commit/922037e7c91f7a9681091cece377b3fc4580de69",
        note: "TestAccAWSLambdaFunction_basic (create and destroy, Hyperplane ENIs) took 23 s",
    },
    "kubernetes:helm.sh/v3:Release": {
        minutes: 1.5,
        source: "https://pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/",
        upperBound: 5,
        note: "a Release waits for its resources to be ready (helm's --wait, default timeout 300 s); 1-2 min for the charts here",
    },
    "kubernetes:apps/v1:Deployment": {
        minutes: 1,
        source: "https://www.pulumi.com/docs/reference/pkg/kubernetes/extensions/v1beta1/deployment/",
        upperBound: 10,
        note: "Pulumi waits until the Deployment is Available ('after 10 minutes, it will time out'): image pull and readiness, about a minute; no typical figure is published",
    },
    "pulumi:pulumi:StackReference": {
        minutes: 0,
        source: "https://www.pulumi.com/docs/iac/concepts/resources/providers",
        note: "a read of another stack's outputs, by the engine",
    },
};

/** The creation time of a resource of `type` with `props`; providers and components without an entry take no time of their own. */
export function creationTimeOf(type: string, props: Readonly<Record<string, unknown>>, custom: boolean): CreationTime {
    const rule = CREATION_TIMES[type];
    if (rule) return typeof rule === "function" ? rule(props) : rule;
    if (type.startsWith("pulumi:providers:"))
        return {
            minutes: 0,
            source: "https://www.pulumi.com/docs/iac/concepts/resources/providers",
            note: "a provider is configured in the engine, not created in the cloud",
        };
    if (!custom)
        return {
            minutes: 0,
            source: "https://github.com/pulumi/pulumi/issues/7542",
            note: "a component finishes when its children do (depending on it waits for them)",
        };
    if (type.startsWith("kubernetes:")) return K8S_OBJECT;
    return DEFAULT_CREATION_TIME;
}
