/**
 * The contract between the bootstrap stack (one per account: stacks/bootstrap.ts) and the prod and dr
 * stacks that read it through a StackReference (`hybrid-platform:bootstrapStack`): every output the
 * bootstrap stack exports, with its resolved type, and which of them prod and dr require. The output
 * names are what `pulumi stack output` prints and what CI reads: never rename one. Pure.
 */
import { RequiredKeys, requiredKeys } from "./outputContract";

/** The outputs of a bootstrap stack, resolved (as `pulumi stack output --json` prints them). */
export interface BootstrapOutputValues {
    /** The account every stack of this bootstrap deploys to (prod and dr share it). */
    readonly accountId: string;
    /** The registry's home region, where CI pushes. */
    readonly region: string;
    /** Regions ECR replicates every image to (the DR region). */
    readonly replicaRegions: string[];
    /** Per region (home and every replica region): repository URL per image name (django-web, ...). */
    readonly ecrRepositoryUrls: Record<string, Record<string, string>>;
    /** Per region: the CMK that encrypts the repositories there (the replicas' through the creation template). */
    readonly ecrKeyArns: Record<string, string>;
    /** The EC2 Auto Scaling service-linked role, named in the EKS node-volume key policy. */
    readonly autoScalingRoleArn: string;
    /** The OpenSearch Service service-linked role, which a VPC domain needs before it is created. */
    readonly openSearchRoleArn: string;
    /** The IAM OIDC provider of GitHub Actions (token.actions.githubusercontent.com). */
    readonly githubOidcProviderArn: string;
    /** Per stack (= GitHub environment): the role its CI workflows assume through GitHub OIDC. */
    readonly ciRoleArns: Record<string, string>;
    /** Per stack: the read-only role `pulumi preview` assumes from pull requests (`repo:<org>/<repo>:pull_request`). */
    readonly previewRoleArns: Record<string, string>;
    /** Per stack: the deploy role (`repo:<org>/<repo>:environment:<stack>`): the same roles as ciRoleArns, under the delivery name. */
    readonly deployRoleArns: Record<string, string>;
    /** Per application repository: the role its main branch pushes its images with (`repo:<org>/<app>:ref:refs/heads/main`). */
    readonly imagePushRoleArns: Record<string, string>;
    /** The scheduled DR drill's role (`repo:<org>/<repo>:environment:dr-drill`): read-only. */
    readonly drillRoleArn: string;
    /**
     * Per public hostname: the FQDN of its ACM DNS validation CNAME (the same for every certificate of the name in
     * the account, in every region), which prod's and dr's certificates validate and renew against.
     */
    readonly certificateValidationRecordFqdns: Record<string, string>;
    /** The CodeConnections connection to GitHub (PENDING until an admin completes the handshake in the console); only with ci.githubConnection. */
    readonly githubConnectionArn?: string;
}

/**
 * For every bootstrap output, whether prod and dr require it. A table over every key (the compiler
 * rejects a missing one), so an output added to bootstrap is a decision here.
 */
export const BOOTSTRAP_OUTPUTS_READ_BY_STACKS = {
    accountId: false,
    region: false,
    replicaRegions: false,
    // The images the workloads pull: the stack's region's repositories (dr: the replicas).
    ecrRepositoryUrls: true,
    ecrKeyArns: false,
    // Named in the node-volume key policy: the key's policy depends on it.
    autoScalingRoleArn: true,
    // The log search domain (VPC) depends on it.
    openSearchRoleArn: true,
    githubOidcProviderArn: false,
    // The only principal the cluster's ci-deployer role trusts.
    ciRoleArns: true,
    // The delivery roles (issue #14) are read by the GitHub workflows (repository/environment variables), not by prod or dr.
    previewRoleArns: false,
    deployRoleArns: false,
    imagePushRoleArns: false,
    drillRoleArn: false,
    // prod's and dr's certificates validate against it (and create no record of their own).
    certificateValidationRecordFqdns: true,
    // The deploy runner's source credential (CodeConnections connections are global: one serves both regions).
    githubConnectionArn: true,
} as const satisfies { readonly [K in keyof BootstrapOutputValues]-?: boolean };

/** The name of a bootstrap output prod and dr require. */
export type RequiredBootstrapOutput = RequiredKeys<typeof BOOTSTRAP_OUTPUTS_READ_BY_STACKS>;

/** The bootstrap outputs prod and dr require, in the contract's order (the order missing ones are reported in). */
export const REQUIRED_BOOTSTRAP_OUTPUTS: readonly RequiredBootstrapOutput[] = requiredKeys(BOOTSTRAP_OUTPUTS_READ_BY_STACKS);

/**
 * What a stack named `stack` in `region` needs from the bootstrap outputs and does not find: a missing
 * output, the repositories of its region (`ecrRepositoryUrls.<region>`), its CI role (`ciRoleArns.<stack>`) or
 * its hostname's validation record (`certificateValidationRecordFqdns.<hostname>`).
 */
export function missingBootstrapOutputs(outputs: Readonly<Record<string, unknown>>, stack?: string, region?: string, hostname?: string): string[] {
    const missing: string[] = REQUIRED_BOOTSTRAP_OUTPUTS.filter((k) => outputs[k] === undefined || outputs[k] === null);
    const has = (key: string, entry: string | undefined) => {
        const value = outputs[key];
        return entry === undefined || typeof value !== "object" || value === null || entry in value;
    };
    if (!has("ecrRepositoryUrls", region)) missing.push(`ecrRepositoryUrls.${region}`);
    if (!has("ciRoleArns", stack)) missing.push(`ciRoleArns.${stack}`);
    if (!has("certificateValidationRecordFqdns", hostname)) missing.push(`certificateValidationRecordFqdns.${hostname}`);
    return missing;
}
