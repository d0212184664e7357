/**
 * GitHub CI step: the account's IAM OIDC provider for GitHub Actions, one CI role per stack whose trust
 * pins the token's audience and subject (`repo:<owner/repo>:environment:<stack>`: only a job of that
 * repository running in that GitHub environment, whose protection rules gate it), and the CodeConnections
 * connection a CodeBuild-hosted runner uses. What the pipelines do with the roles comes in a later issue:
 * today a role may push the project's images and assume its stack's EKS ci-deployer role, nothing else.
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../model/config";
import { Condition, allow, policyJson, trust } from "../../model/iam";

/** GitHub's OIDC issuer; the IAM provider and the trust's condition keys are named after its host. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience the official aws-actions/configure-aws-credentials action requests. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** The subject GitHub puts in a job's token when the job runs in `environment`. */
export const githubSubject = (repository: string, environment: string): string => `repo:${repository}:environment:${environment}`;

/** The trust condition of a CI role: this audience and exactly this subject (StringEquals: no wildcard). */
export const githubTrustCondition = (repository: string, environment: string): Condition => ({
    StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: githubSubject(repository, environment) },
});

/** The EKS role a stack's CI role may assume (components/app/cluster.ts names it so). */
export const ciDeployerRoleName = (stack: string): string => `${stack}-eks-ci-deployer`;

export interface GithubCiArgs {
    readonly accountId: pulumi.Input<string>;
    readonly region: string;
    readonly githubRepository: string;
    readonly environments: readonly string[];
    readonly githubConnection: boolean;
    /** Repository ARNs CI pushes to (the home region's; ECR replicates). */
    readonly repositoryArns: pulumi.Input<string>[];
    readonly tags?: Record<string, string>;
}

export interface GithubCi {
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly ciRoleArns: pulumi.Output<Record<string, string>>;
    /** Undefined when `githubConnection` is off. */
    readonly connectionArn?: pulumi.Output<string>;
}

export function createGithubCi(parent: pulumi.ComponentResource, name: string, args: GithubCiArgs): GithubCi {
    // IAM trusts GitHub's issuer through its own CA library: no thumbprint to pin or rotate.
    const provider = new aws.iam.OpenIdConnectProvider(
        `${name}-github`,
        { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [GITHUB_OIDC_AUDIENCE], tags: args.tags },
        { parent },
    );
    const account = pulumi.output(args.accountId);
    const roles = args.environments.map((environment) => {
        const role = new aws.iam.Role(
            `${name}-ci-${environment}`,
            {
                name: `${PROJECT}-ci-${environment}`,
                description: `GitHub Actions of ${args.githubRepository} in environment ${environment}`,
                assumeRolePolicy: provider.arn.apply((arn) =>
                    policyJson([trust({ Federated: arn }, "sts:AssumeRoleWithWebIdentity", githubTrustCondition(args.githubRepository, environment))]),
                ),
                maxSessionDuration: 3600,
                tags: args.tags,
            },
            { parent },
        );
        new aws.iam.RolePolicy(
            `${name}-ci-${environment}`,
            {
                role: role.id,
                policy: pulumi.all([account, pulumi.all(args.repositoryArns)]).apply(([id, repos]) =>
                    policyJson([
                        // GetAuthorizationToken has no resource-level permission (AWS: Resource "*").
                        allow("RegistryLogin", "ecr:GetAuthorizationToken", "*"),
                        allow(
                            "PushProjectImages",
                            [
                                "ecr:BatchCheckLayerAvailability",
                                "ecr:InitiateLayerUpload",
                                "ecr:UploadLayerPart",
                                "ecr:CompleteLayerUpload",
                                "ecr:PutImage",
                                "ecr:BatchGetImage",
                                "ecr:DescribeImages",
                            ],
                            repos,
                        ),
                        allow("AssumeStackDeployer", "sts:AssumeRole", `arn:aws:iam::${id}:role/${ciDeployerRoleName(environment)}`),
                    ]),
                ),
            },
            { parent },
        );
        return [environment, role.arn] as const;
    });
    // PENDING until an admin authorises the AWS Connector GitHub App once in the console (AWS cannot do it).
    const connection = args.githubConnection
        ? new aws.codeconnections.Connection(`${name}-github`, { name: `${PROJECT}-github`, providerType: "GitHub", tags: args.tags }, { parent })
        : undefined;
    return {
        oidcProviderArn: provider.arn,
        ciRoleArns: pulumi.all(Object.fromEntries(roles)) as pulumi.Output<Record<string, string>>,
        connectionArn: connection?.arn,
    };
}
