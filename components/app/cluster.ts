/**
 * Cluster step: the EKS control plane (private endpoint by default, every control-plane log, Secrets
 * envelope-encrypted with a CMK, OIDC for IRSA), the IAM roles people and CI assume to reach its API,
 * and the Kubernetes provider everything on the cluster is declared through.
 */
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig } from "../../model/appConfig";
import { Statement, accountRoot, policyJson, trust } from "../../model/iam";
import { DEPLOYER_GROUP, OPERATOR_GROUP } from "../../model/rbac";
import { CustomerKey } from "../security/customerKey";
import { StepScope } from "./step";

export interface ClusterArgs extends StepScope {
    readonly app: AppConfig;
    readonly accountId: pulumi.Input<string>;
    readonly vpcId: pulumi.Input<string>;
    readonly privateSubnetIds: pulumi.Input<string>[];
    /** Security groups admitted to the private API on 443 (the deploy runner). @default none */
    readonly apiClientSecurityGroupIds?: pulumi.Input<string>[];
    /** This stack's CI role from the bootstrap stack (GitHub OIDC, pinned subject): the only principal the ci-deployer trusts. */
    readonly ciRoleArn: pulumi.Input<string>;
}

export interface Cluster {
    readonly cluster: eks.Cluster;
    readonly clusterName: pulumi.Output<string>;
    /** The EKS-managed cluster security group (control plane <-> nodes, and the ALB's target). */
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** The cluster's IAM OIDC provider, which IRSA roles trust. */
    readonly oidc: { readonly providerArn: pulumi.Output<string>; readonly issuer: pulumi.Output<string> };
    /** Kubernetes provider for this cluster (server-side apply). */
    readonly provider: k8s.Provider;
}

/** Trust in this account's IAM (its principals still need sts:AssumeRole on the role), optionally with a condition. */
const assumableByAccount = (accountId: pulumi.Input<string>, condition?: Statement["Condition"]) =>
    pulumi
        .output(accountId)
        .apply((id) =>
            policyJson([{ Effect: "Allow", Principal: { AWS: accountRoot(id) }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }]),
        );

export function createCluster(parent: pulumi.ComponentResource, name: string, args: ClusterArgs): Cluster {
    const { app, stack } = args;
    const secretsKey = new CustomerKey(
        `${name}-eks-secrets`,
        { description: `EKS secrets envelope encryption (${stack})`, purpose: "eks-secrets", accountId: args.accountId },
        { parent },
    );

    // Who may use the Kubernetes API: people through MFA, CI through its own role; each maps to one Kubernetes group.
    const operatorRole = new aws.iam.Role(
        `${name}-operators`,
        {
            name: `${stack}-eks-operators`,
            description: "Read-only operators of the portal cluster",
            assumeRolePolicy: assumableByAccount(args.accountId, { Bool: { "aws:MultiFactorAuthPresent": "true" } }),
            maxSessionDuration: 3600,
            tags: args.tags,
        },
        { parent },
    );
    const deployerRole = new aws.iam.Role(
        `${name}-ci-deployer`,
        {
            name: `${stack}-eks-ci-deployer`,
            description: "CI image roll-outs in the portal namespace",
            // Only the stack's CI role (issue #11 finding 19): not the account root, which any principal with sts:AssumeRole on it used.
            assumeRolePolicy: pulumi.output(args.ciRoleArn).apply((arn) => policyJson([trust({ AWS: arn })])),
            maxSessionDuration: 3600,
            tags: args.tags,
        },
        { parent },
    );

    const cluster = new eks.Cluster(
        `${name}-eks`,
        {
            version: app.kubernetesVersion,
            vpcId: args.vpcId,
            privateSubnetIds: args.privateSubnetIds,
            nodeAssociatePublicIpAddress: false,
            skipDefaultNodeGroup: true,
            skipDefaultSecurityGroups: true,
            authenticationMode: eks.AuthenticationMode.Api,
            accessEntries: {
                operators: { principalArn: operatorRole.arn, kubernetesGroups: [OPERATOR_GROUP], type: eks.AccessEntryType.Standard },
                ciDeployer: { principalArn: deployerRole.arn, kubernetesGroups: [DEPLOYER_GROUP], type: eks.AccessEntryType.Standard },
            },
            enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
            encryptionConfigKeyArn: secretsKey.arn,
            endpointPrivateAccess: true,
            endpointPublicAccess: app.endpointPublicAccessCidrs.length > 0,
            publicAccessCidrs: app.endpointPublicAccessCidrs.length > 0 ? app.endpointPublicAccessCidrs : undefined,
            createOidcProvider: true,
            // NetworkPolicies are enforced by the VPC CNI's network policy agent.
            vpcCniOptions: { enableNetworkPolicy: true },
            tags: args.tags,
        },
        { parent },
    );
    // The private endpoint answers only what the cluster security group admits: the deploy runner, before any
    // Kubernetes object is applied through it (the provider waits for the rules).
    const apiClients = (args.apiClientSecurityGroupIds ?? []).map(
        (clientId, i) =>
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-api-client-${i}`,
                {
                    securityGroupId: cluster.clusterSecurityGroupId,
                    referencedSecurityGroupId: clientId,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    description: "Deploy runner to the private cluster API",
                    tags: args.tags,
                },
                { parent },
            ),
    );
    const provider = new k8s.Provider(`${name}-eks`, { kubeconfig: cluster.kubeconfigJson, enableServerSideApply: true }, { parent, dependsOn: apiClients });
    return {
        cluster,
        clusterName: cluster.eksCluster.name,
        clusterSecurityGroupId: cluster.clusterSecurityGroupId,
        oidc: { providerArn: cluster.oidcProviderArn, issuer: cluster.oidcIssuer },
        provider,
    };
}
