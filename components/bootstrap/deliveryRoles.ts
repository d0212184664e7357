/**
 * The read-only and image roles of delivery (issue #14), each trusted from exactly one GitHub OIDC subject:
 * per stack a preview role for this repository's pull requests; per application repository an image push
 * role for its main branch, limited to its own ECR repositories; the drill role of the scheduled DR drill
 * (the dr-drill environment), which previews dr and reads the preflight's metrics. No long-lived keys.
 * @see https://docs.github.com/en/actions/reference/openid-connect-reference#subject-claims
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../model/config";
import { IMAGE_PUSH_ROLE_PREFIX } from "../../model/deliveryConfig";
import { Statement, allow, policyJson } from "../../model/iam";
import { DRILL_PREFLIGHT_ACTIONS, ECR_PUSH_ACTIONS, previewStatements, registryLogin } from "./deliveryActions";
import { branchSubject, githubSubject, githubTrustPolicy, pullRequestSubject } from "./githubTrust";

export interface DeliveryRolesArgs {
    readonly accountId: pulumi.Output<string>;
    readonly provider: aws.iam.OpenIdConnectProvider;
    /** "org/repo" of this infrastructure repository. */
    readonly repository: string;
    readonly organisation: string;
    /** Stacks that get a preview role. */
    readonly stacks: readonly string[];
    /** App repository -> image names it pushes. */
    readonly appRepositories: Readonly<Record<string, readonly string[]>>;
    /** Image name -> its repository ARN (home region). */
    readonly repositoryArns: Readonly<Record<string, pulumi.Input<string>>>;
    readonly drillEnvironment: string;
    readonly stateRegion: string;
    readonly stateKeyAlias: string;
    readonly tags?: Record<string, string>;
}

export interface DeliveryRoles {
    readonly previewRoleArns: pulumi.Output<Record<string, string>>;
    readonly imagePushRoleArns: pulumi.Output<Record<string, string>>;
    readonly drillRoleArn: pulumi.Output<string>;
}

/** A role GitHub jobs with `subject` assume, with one inline policy built from the account id. */
function githubRole(
    parent: pulumi.ComponentResource,
    resourceName: string,
    roleName: string,
    description: string,
    subject: string,
    args: DeliveryRolesArgs,
    statements: (accountId: string) => pulumi.Input<Statement[]>,
): aws.iam.Role {
    const role = new aws.iam.Role(
        resourceName,
        {
            name: roleName,
            description,
            assumeRolePolicy: args.accountId.apply((id) => githubTrustPolicy(id, subject)),
            maxSessionDuration: 3600,
            tags: args.tags,
        },
        // The trust names the provider by its ARN: IAM needs it to exist first.
        { parent, dependsOn: [args.provider] },
    );
    new aws.iam.RolePolicy(resourceName, { role: role.id, policy: args.accountId.apply((id) => pulumi.output(statements(id)).apply(policyJson)) }, { parent });
    return role;
}

export function createDeliveryRoles(parent: pulumi.ComponentResource, name: string, args: DeliveryRolesArgs): DeliveryRoles {
    const state = (accountId: string) => ({ accountId, region: args.stateRegion, keyAlias: args.stateKeyAlias });
    const previews = args.stacks.map((stack) => {
        const role = githubRole(
            parent,
            `${name}-preview-${stack}`,
            `${PROJECT}-preview-${stack}`,
            `Read-only pulumi preview of ${stack} from pull requests of ${args.repository}`,
            pullRequestSubject(args.repository),
            args,
            (id) => previewStatements(state(id)),
        );
        return [stack, role.arn] as const;
    });
    const pushes = Object.entries(args.appRepositories).map(([app, images]) => {
        const role = githubRole(
            parent,
            `${name}-image-push-${app}`,
            `${IMAGE_PUSH_ROLE_PREFIX}${app}`,
            `Image push from the main branch of ${args.organisation}/${app}`,
            branchSubject(`${args.organisation}/${app}`, "main"),
            args,
            () =>
                pulumi
                    .all(images.map((image) => args.repositoryArns[image]))
                    .apply((arns) => [registryLogin(), allow("PushOwnImages", [...ECR_PUSH_ACTIONS], arns)]),
        );
        return [app, role.arn] as const;
    });
    const drill = githubRole(
        parent,
        `${name}-drill`,
        `${PROJECT}-drill`,
        `Scheduled DR drill of ${args.repository} (environment ${args.drillEnvironment}): preflight reads and a preview of dr`,
        githubSubject(args.repository, args.drillEnvironment),
        args,
        (id) => [...previewStatements(state(id)), allow("DrillPreflight", [...DRILL_PREFLIGHT_ACTIONS], "*")],
    );
    return {
        previewRoleArns: pulumi.all(Object.fromEntries(previews)) as pulumi.Output<Record<string, string>>,
        imagePushRoleArns: pulumi.all(Object.fromEntries(pushes)) as pulumi.Output<Record<string, string>>,
        drillRoleArn: drill.arn,
    };
}
