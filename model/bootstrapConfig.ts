/**
 * The configuration of a bootstrap stack (`hybrid-platform:role: bootstrap`, Pulumi.bootstrap.yaml): what
 * one account needs before its prod and dr stacks (stacks/bootstrap.ts). Its own schema, because a
 * bootstrap stack has none of the network, app or data sections the prod and dr roles require. Pure.
 */
import { z } from "zod";
import { PROJECT, configErrorOf, dnsSchema, nestConfig } from "./config";
import { BOOTSTRAP_DEFAULTS, DEFAULTS } from "./defaults";
import { DeliveryConfig, ResolvedDelivery, deliverySchema } from "./deliveryConfig";
import { AWS_REGIONS } from "./regions";

const awsRegion = z.enum(AWS_REGIONS, "an AWS commercial-partition region such as eu-west-1");
const stackName = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a stack name such as "prod"');

/** GitHub's rules: an owner of 1-39 letters, digits or hyphens; a repository of 1-100 letters, digits, ".", "_" or "-". */
export const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

const ciSchema = z
    .strictObject({
        githubRepository: z.string().regex(GITHUB_REPOSITORY, 'a GitHub repository "owner/repo"').optional().meta({
            description:
                'Deprecated (use delivery.githubOrganisation and delivery.repository; when both are set they must agree): the GitHub repository ("owner/repo") whose Actions workflows may assume the CI roles; each role pins the OIDC subject to repo:<owner/repo>:environment:<stack>.',
            see: "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
        }),
        environments: z
            .array(stackName)
            .min(1)
            .default([...BOOTSTRAP_DEFAULTS.ci.environments])
            .meta({ description: "The stacks of this account (each a GitHub environment of the same name) that get a CI role; prod and dr read theirs." }),
        githubConnection: z.boolean().default(BOOTSTRAP_DEFAULTS.ci.githubConnection).meta({
            description:
                "Create a CodeConnections connection to GitHub (for the CodeBuild-hosted runner); an admin completes its handshake once in the console.",
            see: "https://docs.aws.amazon.com/codebuild/latest/userguide/connections-github-app.html",
        }),
    })
    .meta({ description: "The GitHub Actions side: OIDC provider, one CI role per stack, the CodeConnections connection." });

const registrySchema = z
    .strictObject({
        replicaRegions: z
            .array(awsRegion)
            .min(1)
            .max(25)
            .meta({ description: "Regions ECR replicates every image to (the DR region), so dr pulls from its own region." }),
    })
    .meta({ description: "The account's ECR registry: repositories in aws:region, replicated." });

export const bootstrapProjectSchema = z.strictObject({
    role: z.literal("bootstrap"),
    environment: z.enum(["production", "staging", "development"]).default(DEFAULTS.environment),
    ci: ciSchema,
    delivery: deliverySchema.optional(),
    registry: registrySchema,
    dns: dnsSchema.meta({
        description:
            "The public hostname prod and dr serve (their dns section) and its public Route53 zone: this stack owns the hostname's ACM DNS validation record, the same CNAME for every certificate of the name in the account, in every region, so destroying prod or dr never stops the other's certificate renewing.",
        see: "https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html",
    }),
    additionalHostnames: z
        .array(z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "a lower-case DNS name"))
        .default([])
        .meta({
            description:
                "Further public hostnames inside dns.zoneName that other stacks of this account serve (the dev stack's dns.hostname): this stack owns one ACM validation record per name, as for dns.hostname.",
            see: "https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html",
        }),
    serviceLinkedRoles: z
        .strictObject({
            existing: z
                .array(z.enum(["autoscaling.amazonaws.com", "opensearchservice.amazonaws.com"]))
                .default([])
                .meta({ description: "Services whose service-linked role the account already has (IAM refuses a second): only their ARN is output." }),
        })
        .prefault({})
        .meta({ description: "The service-linked roles prod and dr name (EC2 Auto Scaling, OpenSearch Service)." }),
    tags: z.record(z.string().regex(/^[\w .:/=+@-]{1,128}$/, "a tag key"), z.string().max(256)).default(DEFAULTS.tags),
});

export const bootstrapConfigSchema = z
    .strictObject({ [PROJECT]: bootstrapProjectSchema, aws: z.looseObject({ region: awsRegion }) })
    .superRefine((root, ctx) => {
        const { ci, delivery } = root[PROJECT];
        if (!delivery && !ci.githubRepository)
            ctx.addIssue({
                code: "custom",
                path: [PROJECT, "delivery"],
                message: "required: the GitHub organisation and repository (or the deprecated ci.githubRepository)",
            });
        if (delivery && ci.githubRepository && ci.githubRepository !== `${delivery.githubOrganisation}/${delivery.repository}`)
            ctx.addIssue({
                code: "custom",
                path: [PROJECT, "ci", "githubRepository"],
                message: `${ci.githubRepository} is not delivery's ${delivery.githubOrganisation}/${delivery.repository}: drop the deprecated key or make them agree`,
            });
        const replicas = root[PROJECT].registry.replicaRegions;
        replicas.forEach((r, i) => {
            if (r === root.aws.region)
                ctx.addIssue({
                    code: "custom",
                    path: [PROJECT, "registry", "replicaRegions", i],
                    message: "a region other than aws:region (the home registry)",
                });
        });
    });

type ParsedBootstrap = z.infer<typeof bootstrapProjectSchema>;
/** A validated bootstrap config: `delivery` resolved (from ci.githubRepository when absent) and ci.githubRepository filled from it. */
export type BootstrapConfig = Omit<ParsedBootstrap, "ci" | "delivery"> & {
    ci: ParsedBootstrap["ci"] & { githubRepository: string };
    delivery: ResolvedDelivery;
    region: (typeof AWS_REGIONS)[number];
};

/** The delivery section a parsed config means: the deprecated ci.githubRepository stands for organisation/repository. */
function resolveDelivery(parsed: ParsedBootstrap): ResolvedDelivery {
    const [org, repo] = (parsed.ci.githubRepository ?? "/").split("/");
    const delivery: DeliveryConfig = parsed.delivery ?? deliverySchema.parse({ githubOrganisation: org, repository: repo });
    return { ...delivery, stateRegion: delivery.stateRegion ?? parsed.registry.replicaRegions[0] };
}

/** Whether a flat Pulumi config is a bootstrap stack's (index.ts dispatches on it before the prod/dr schema). */
export const isBootstrapConfig = (flat: Readonly<Record<string, string>>): boolean => flat[`${PROJECT}:role`] === "bootstrap";

/** Validates a bootstrap stack's flat config; throws ConfigError (one line, naming the key) on the first problem. */
export function loadBootstrapConfig(flat: Readonly<Record<string, string>>): BootstrapConfig {
    const nested = nestConfig(flat);
    const input = { [PROJECT]: nested[PROJECT] ?? {}, aws: nested.aws ?? {} };
    const result = bootstrapConfigSchema.safeParse(input);
    if (result.success) {
        const parsed = result.data[PROJECT];
        const delivery = resolveDelivery(parsed);
        return {
            ...parsed,
            ci: { ...parsed.ci, githubRepository: `${delivery.githubOrganisation}/${delivery.repository}` },
            delivery,
            region: result.data.aws.region,
        };
    }
    throw configErrorOf(bootstrapConfigSchema, input, result.error);
}
