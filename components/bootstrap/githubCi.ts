/**
 * GitHub CI step: the account's IAM OIDC provider for GitHub Actions, one deploy (CI) role per stack whose
 * trust pins the token's audience and subject (`repo:<owner/repo>:environment:<stack>`: only a job of that
 * repository running in that GitHub environment, whose protection rules restrict it to main/develop), the
 * read-only, image push and drill roles (deliveryRoles.ts, issue #14), and the CodeConnections connection
 * a CodeBuild-hosted runner uses. A deploy role may push the project's images and assume its stack's EKS
 * ci-deployer role, nothing else.
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../model/config";
import { allow, policyJson } from "../../model/iam";
import { ECR_PUSH_ACTIONS, registryLogin } from "./deliveryActions";
import { createDeliveryRoles } from "./deliveryRoles";
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST, githubSubject, githubTrustPolicy } from "./githubTrust";

export { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST, githubSubject, githubTrustCondition } from "./githubTrust";

/** The EKS role a stack's CI role may assume (components/app/cluster.ts names it so). */
export const ciDeployerRoleName = (stack: string): string => `${stack}-eks-ci-deployer`;

export interface GithubCiArgs {
    readonly accountId: pulumi.Input<string>;
    readonly region: string;
    readonly githubRepository: string;
    /** Organisation, app repositories, drill environment and state location of the delivery roles. */
    readonly delivery: {
        readonly githubOrganisation: string;
        readonly appRepositories: Readonly<Record<string, readonly string[]>>;
        readonly drillEnvironment: string;
        readonly stateRegion: string;
        readonly stateKeyAlias: string;
    };
    readonly environments: readonly string[];
    readonly githubConnection: boolean;
    /** Repository ARNs CI pushes to (the home region's; ECR replicates). */
    readonly repositoryArns: Readonly<Record<string, pulumi.Input<string>>>;
    readonly tags?: Record<string, string>;
}

export interface GithubCi {
    readonly oidcProviderArn: pulumi.Output<string>;
    /** Per stack: the deploy role (`repo:<org>/<repo>:environment:<stack>`); prod and dr read it as ciRoleArns. */
    readonly ciRoleArns: pulumi.Output<Record<string, string>>;
    readonly previewRoleArns: pulumi.Output<Record<string, string>>;
    readonly imagePushRoleArns: pulumi.Output<Record<string, string>>;
    readonly drillRoleArn: pulumi.Output<string>;
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
                // Built from the account id (not provider.arn), so the pack checks the trust in preview too.
                assumeRolePolicy: account.apply((id) => githubTrustPolicy(id, githubSubject(args.githubRepository, environment))),
                maxSessionDuration: 3600,
                tags: args.tags,
            },
            { parent, dependsOn: [provider] },
        );
        new aws.iam.RolePolicy(
            `${name}-ci-${environment}`,
            {
                role: role.id,
                policy: pulumi
                    .all([account, pulumi.all(Object.values(args.repositoryArns))])
                    .apply(([id, repos]) =>
                        policyJson([
                            registryLogin(),
                            allow("PushProjectImages", [...ECR_PUSH_ACTIONS], repos),
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
    const delivery = createDeliveryRoles(parent, name, {
        accountId: account,
        provider,
        repository: args.githubRepository,
        organisation: args.delivery.githubOrganisation,
        stacks: args.environments,
        appRepositories: args.delivery.appRepositories,
        repositoryArns: args.repositoryArns,
        drillEnvironment: args.delivery.drillEnvironment,
        stateRegion: args.delivery.stateRegion,
        stateKeyAlias: args.delivery.stateKeyAlias,
        tags: args.tags,
    });
    return {
        oidcProviderArn: provider.arn,
        ciRoleArns: pulumi.all(Object.fromEntries(roles)) as pulumi.Output<Record<string, string>>,
        ...delivery,
        connectionArn: connection?.arn,
    };
}
