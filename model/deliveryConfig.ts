/**
 * Config section `hybrid-platform:delivery` of the bootstrap stack (issue #14): the GitHub organisation, this
 * infrastructure repository and the application repositories whose workflows get an OIDC role in this account
 * (components/bootstrap/githubCi.ts, deliveryRoles.ts), and where the Pulumi state the preview and drill roles
 * read lives. Supersedes `ci.githubRepository` (still accepted; when both are set they must name the same
 * repository). Defaults: model/defaults.ts BOOTSTRAP_DEFAULTS.delivery. Pure.
 */
import { z } from "zod";
import { BOOTSTRAP_DEFAULTS } from "./defaults";
import { AWS_REGIONS } from "./regions";

/** GitHub's rules: an owner of 1-39 letters, digits or hyphens, not starting with a hyphen. */
export const GITHUB_OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
/** A repository name: 1-100 letters, digits, ".", "_" or "-". */
export const GITHUB_REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;
/** The images the account's registry holds (components/app/registries.ts IMAGES; a test keeps both equal). */
export const DELIVERY_IMAGES = ["django-web", "fastapi-api", "celery-worker"] as const;

/**
 * IAM role names are at most 64 characters; an image push role is named `hybrid-platform-image-push-<app repository>`.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const IMAGE_PUSH_ROLE_PREFIX = "hybrid-platform-image-push-";
const MAX_ROLE_NAME = 64;

export const deliverySchema = z
    .strictObject({
        githubOrganisation: z.string().regex(GITHUB_OWNER, "a GitHub organisation or user (1-39 letters, digits or hyphens)").meta({
            description:
                "Site value: the GitHub organisation owning this repository and the application repositories (the `repo:<org>/...` of every OIDC subject).",
            see: "https://docs.github.com/en/actions/reference/openid-connect-reference#subject-claims",
        }),
        repository: z.string().regex(GITHUB_REPOSITORY_NAME, "a repository name").meta({
            description:
                "Site value: this infrastructure repository's name in the organisation: its pull requests get the preview roles, its stack environments the deploy roles, its dr-drill environment the drill role.",
        }),
        appRepositories: z
            .record(z.string(), z.array(z.enum(DELIVERY_IMAGES)).min(1))
            // Checked here rather than as the record's key schema, so the message names the repository and the rule.
            .superRefine((record, ctx) => {
                for (const app of Object.keys(record))
                    if (!GITHUB_REPOSITORY_NAME.test(app))
                        ctx.addIssue({ code: "custom", path: [app], message: "a repository name (letters, digits, '.', '_', '-')" });
                    else if ((IMAGE_PUSH_ROLE_PREFIX + app).length > MAX_ROLE_NAME)
                        ctx.addIssue({
                            code: "custom",
                            path: [app],
                            message: `a repository name of at most ${MAX_ROLE_NAME - IMAGE_PUSH_ROLE_PREFIX.length} characters (its role's name: IAM allows 64)`,
                        });
            })
            .default(() => Object.fromEntries(Object.entries(BOOTSTRAP_DEFAULTS.delivery.appRepositories).map(([app, images]) => [app, [...images]])))
            .meta({
                description:
                    "Application repository (in the organisation) -> the ECR repositories its main branch may push (one image push role each, limited to those).",
            }),
        drillEnvironment: z
            .string()
            .regex(/^[A-Za-z0-9_.-]+$/, "a GitHub environment name")
            .default(BOOTSTRAP_DEFAULTS.delivery.drillEnvironment)
            .meta({ description: "The GitHub environment of the scheduled DR drill workflow (the drill role's OIDC subject)." }),
        stateRegion: z.enum(AWS_REGIONS).optional().meta({
            description:
                "Region of the S3 state bucket `<account>-hybrid-platform-state` and its KMS key, which the preview and drill roles read. Default: the first registry.replicaRegions entry (the DR region, as docs/first-deploy.md requires).",
        }),
        stateKeyAlias: z
            .string()
            .regex(/^alias\/[A-Za-z0-9/_-]{1,250}$/, "a KMS alias such as alias/hybrid-platform/pulumi-state")
            .default(BOOTSTRAP_DEFAULTS.delivery.stateKeyAlias)
            .meta({
                description: "Alias of the state's KMS secrets-provider key: the read-only roles may Decrypt with the key carrying it (kms:ResourceAliases).",
                see: "https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html",
            }),
    })
    .meta({
        description:
            "Delivery (issue #14): the GitHub organisation, this repository and the app repositories whose workflows assume the account's OIDC roles (preview, deploy, image push, drill).",
    });

export type DeliveryConfig = z.infer<typeof deliverySchema>;

/** The delivery settings a bootstrap stack resolves to (the state region filled in). */
export interface ResolvedDelivery extends Omit<DeliveryConfig, "stateRegion"> {
    readonly stateRegion: string;
}
