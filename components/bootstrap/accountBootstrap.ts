/**
 * What one account needs before its prod and dr stacks (issue #11 build 1): the service-linked roles they
 * name, the ECR repositories (replicated to the DR region) that images are pushed to before any workload
 * is deployed, and GitHub Actions' way in (OIDC provider, one CI role per stack, a CodeConnections
 * connection for the CodeBuild-hosted runner). Each step in its own file; outputs are the bootstrap
 * contract (model/bootstrapOutputs.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { GITHUB_REPOSITORY } from "../../model/bootstrapConfig";
import { BOOTSTRAP_DEFAULTS } from "../../model/defaults";
import { DELIVERY_IMAGES, ResolvedDelivery } from "../../model/deliveryConfig";
import { IMAGES, ImageKey } from "../app/registries";
import { validateArgs } from "../argErrors";
import { createValidationRecord } from "./certificateValidation";
import { createGithubCi } from "./githubCi";
import { createRegistry } from "./registry";
import { SERVICE_LINKED_ROLES, createServiceLinkedRoles } from "./serviceLinkedRoles";

export interface AccountBootstrapArgs {
    /** The account (one STS lookup by the stack): ARNs, registry ids and confused-deputy conditions name it. Required. */
    readonly accountId: pulumi.Input<string>;
    /** The home region: the repositories CI pushes to, and the CMK that encrypts them. Required. */
    readonly region: string;
    /**
     * Regions ECR replicates every image to (the DR region): one or more, none the home region.
     * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
     */
    readonly replicaRegions: readonly string[];
    /** GitHub repository "owner/repo" whose workflows may assume the CI roles. Required. */
    readonly githubRepository: string;
    /**
     * The delivery roles (issue #14) beyond the deploy roles: the application repositories of the organisation
     * (githubRepository's owner) and the images each may push, the drill's GitHub environment, where the state lives.
     * @default BOOTSTRAP_DEFAULTS.delivery; the state in the first replica region
     * @see https://docs.github.com/en/actions/reference/openid-connect-reference#subject-claims
     */
    readonly delivery?: Partial<Pick<ResolvedDelivery, "drillEnvironment" | "stateRegion" | "stateKeyAlias">> & {
        readonly appRepositories?: Readonly<Record<string, readonly string[]>>;
    };
    /** Stacks (= GitHub environments) that get a deploy (CI) role and a preview role, at least one. Required. */
    readonly ciEnvironments: readonly string[];
    /**
     * Create the CodeConnections connection to GitHub.
     * @default true
     * @see https://docs.aws.amazon.com/dtconsole/latest/userguide/connections-create-github.html
     */
    readonly githubConnection?: boolean;
    /**
     * Services (e.g. "autoscaling.amazonaws.com") whose service-linked role already exists in the account:
     * creating it again fails ("role name has been taken"), so only its ARN is output.
     * @default none: a new account has none of them
     */
    readonly existingServiceLinkedRoles?: readonly string[];
    /**
     * The public hostname prod's and dr's certificates are issued for, and the public Route53 zone holding it:
     * this stack owns its ACM DNS validation record (one per name and account, whatever the region), so that
     * destroying prod or dr never stops the other's certificate from renewing.
     * @default none: no validation record (prod and dr then fail to read `certificateValidationRecordFqdns.<hostname>`)
     * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
     */
    readonly publicDns?: {
        readonly zoneName: string;
        readonly hostname: string;
        /** Further hostnames inside zoneName served by other stacks of the account (dev's), one validation record each. @default none */
        readonly additionalHostnames?: readonly string[];
    };
    /** Tags for the AWS resources, on top of the provider's default tags. @default none */
    readonly tags?: Record<string, string>;
}

export class AccountBootstrap extends pulumi.ComponentResource {
    readonly autoScalingRoleArn: pulumi.Output<string>;
    readonly openSearchRoleArn: pulumi.Output<string>;
    readonly ecrRepositoryUrls: pulumi.Output<Record<string, Record<string, string>>>;
    readonly ecrKeyArns: pulumi.Output<Record<string, string>>;
    readonly githubOidcProviderArn: pulumi.Output<string>;
    readonly ciRoleArns: pulumi.Output<Record<string, string>>;
    /** Per stack: the read-only preview role of pull requests. */
    readonly previewRoleArns: pulumi.Output<Record<string, string>>;
    /** Per application repository: its image push role. */
    readonly imagePushRoleArns: pulumi.Output<Record<string, string>>;
    readonly drillRoleArn: pulumi.Output<string>;
    readonly githubConnectionArn?: pulumi.Output<string>;
    /** Hostname -> FQDN of its ACM validation CNAME, validated (empty without publicDns). */
    readonly certificateValidationRecordFqdns: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: AccountBootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
        const known = Object.values(SERVICE_LINKED_ROLES).map((r) => r.service as string);
        validateArgs(`AccountBootstrap ${name}`, (e) => {
            e.atLeast(args.replicaRegions, 1, "replicaRegions", "regions (dr would pull across regions)");
            e.check(!args.replicaRegions.includes(args.region), "replicaRegions", `includes the home region ${args.region}`);
            e.check(GITHUB_REPOSITORY.test(args.githubRepository), "githubRepository", `${JSON.stringify(args.githubRepository)} is not "owner/repo"`);
            e.atLeast(args.ciEnvironments, 1, "ciEnvironments", "stacks");
            Object.entries(args.delivery?.appRepositories ?? {}).forEach(([app, images]) =>
                images.forEach((image, i) =>
                    e.check(
                        (DELIVERY_IMAGES as readonly string[]).includes(image),
                        `delivery.appRepositories.${app}[${i}]`,
                        `${image} is not one of the registry's images (${DELIVERY_IMAGES.join(", ")})`,
                    ),
                ),
            );
            if (args.publicDns) {
                const { hostname, zoneName } = args.publicDns;
                e.check(hostname === zoneName || hostname.endsWith(`.${zoneName}`), "publicDns.hostname", `${hostname} is not inside zone ${zoneName}`);
                // Route 53 refuses a record outside the zone it is created in (InvalidChangeBatch).
                (args.publicDns.additionalHostnames ?? []).forEach((h, i) =>
                    e.check(
                        h !== hostname && (h === zoneName || h.endsWith(`.${zoneName}`)),
                        `publicDns.additionalHostnames[${i}]`,
                        `${h} is not a second name inside zone ${zoneName}`,
                    ),
                );
            }
            (args.existingServiceLinkedRoles ?? []).forEach((s, i) =>
                e.check(known.includes(s), `existingServiceLinkedRoles[${i}]`, `${s} is not one this stack declares (${known.join(", ")})`),
            );
        });
        super("hybrid:bootstrap:AccountBootstrap", name, {}, opts);
        const slrs = createServiceLinkedRoles(this, name, { accountId: args.accountId, existing: args.existingServiceLinkedRoles ?? [] });
        const registry = createRegistry(this, name, { accountId: args.accountId, region: args.region, replicaRegions: args.replicaRegions, tags: args.tags });
        const ci = createGithubCi(this, name, {
            accountId: args.accountId,
            region: args.region,
            githubRepository: args.githubRepository,
            delivery: {
                githubOrganisation: args.githubRepository.split("/")[0],
                appRepositories: args.delivery?.appRepositories ?? BOOTSTRAP_DEFAULTS.delivery.appRepositories,
                drillEnvironment: args.delivery?.drillEnvironment ?? BOOTSTRAP_DEFAULTS.delivery.drillEnvironment,
                stateRegion: args.delivery?.stateRegion ?? args.replicaRegions[0],
                stateKeyAlias: args.delivery?.stateKeyAlias ?? BOOTSTRAP_DEFAULTS.delivery.stateKeyAlias,
            },
            environments: args.ciEnvironments,
            githubConnection: args.githubConnection ?? BOOTSTRAP_DEFAULTS.ci.githubConnection,
            repositoryArns: Object.fromEntries((Object.keys(registry.repositories) as ImageKey[]).map((k) => [IMAGES[k], registry.repositories[k].arn])),
            tags: args.tags,
        });
        const dns = args.publicDns;
        const validation = dns ? createValidationRecord(this, name, { zoneName: dns.zoneName, hostname: dns.hostname, tags: args.tags }) : undefined;
        // One anchor per further hostname (ACM's CNAME is per name and account), named by it so adding one moves nothing.
        const further = (dns?.additionalHostnames ?? []).map((h) =>
            createValidationRecord(this, `${name}-${h}`, { zoneName: dns!.zoneName, hostname: h, tags: args.tags }),
        );
        this.autoScalingRoleArn = slrs.autoScalingRoleArn;
        this.openSearchRoleArn = slrs.openSearchRoleArn;
        this.ecrRepositoryUrls = registry.repositoryUrls;
        this.ecrKeyArns = registry.keyArns;
        this.githubOidcProviderArn = ci.oidcProviderArn;
        this.ciRoleArns = ci.ciRoleArns;
        this.previewRoleArns = ci.previewRoleArns;
        this.imagePushRoleArns = ci.imagePushRoleArns;
        this.drillRoleArn = ci.drillRoleArn;
        this.githubConnectionArn = ci.connectionArn;
        this.certificateValidationRecordFqdns = pulumi
            .all([validation?.recordFqdns ?? pulumi.output<Record<string, string>>({}), ...further.map((f) => f.recordFqdns)])
            .apply((all) => Object.assign({}, ...all) as Record<string, string>);
        this.registerOutputs({
            autoScalingRoleArn: this.autoScalingRoleArn,
            openSearchRoleArn: this.openSearchRoleArn,
            ecrRepositoryUrls: this.ecrRepositoryUrls,
            ciRoleArns: this.ciRoleArns,
            previewRoleArns: this.previewRoleArns,
            imagePushRoleArns: this.imagePushRoleArns,
            drillRoleArn: this.drillRoleArn,
            certificateValidationRecordFqdns: this.certificateValidationRecordFqdns,
        });
    }
}
