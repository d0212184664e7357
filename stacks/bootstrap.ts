/**
 * Bootstrap site (issue #11 build 1): one stack per account, deployed first, for what must exist before
 * prod and dr (which share the account: stacks/platform.ts `accountIdOf`): the service-linked roles they
 * name, the ECR repositories replicated to the DR region (images are pushed before the workloads deploy),
 * the GitHub OIDC provider with one CI role per stack, and the public hostname's ACM validation record
 * (finding 16: one per name and account, so neither prod's nor dr's destroy may take it). Its outputs are the contract prod and dr read
 * (model/bootstrapOutputs.ts).
 */
import { AccountBootstrap } from "../components/bootstrap/accountBootstrap";
import { BootstrapConfig } from "../model/bootstrapConfig";
import { BootstrapOutputValues } from "../model/bootstrapOutputs";
import { Exported } from "./outputs";
import { accountIdOf, regionalProvider } from "./platform";

/** What `bootstrapStack` returns: every output of the contract, as Outputs. */
export type BootstrapOutputs = { readonly [K in keyof BootstrapOutputValues]: Exported<NonNullable<BootstrapOutputValues[K]>> };

export function bootstrapStack(cfg: BootstrapConfig): BootstrapOutputs {
    const provider = regionalProvider(cfg);
    const accountId = accountIdOf(provider);
    const account = new AccountBootstrap(
        "account",
        {
            accountId,
            region: cfg.region,
            replicaRegions: cfg.registry.replicaRegions,
            githubRepository: cfg.ci.githubRepository,
            ciEnvironments: cfg.ci.environments,
            delivery: cfg.delivery,
            githubConnection: cfg.ci.githubConnection,
            existingServiceLinkedRoles: cfg.serviceLinkedRoles.existing,
            publicDns: { ...cfg.dns, additionalHostnames: cfg.additionalHostnames },
        },
        { providers: [provider] },
    );
    return {
        accountId,
        region: cfg.region,
        replicaRegions: [...cfg.registry.replicaRegions],
        ecrRepositoryUrls: account.ecrRepositoryUrls,
        ecrKeyArns: account.ecrKeyArns,
        autoScalingRoleArn: account.autoScalingRoleArn,
        openSearchRoleArn: account.openSearchRoleArn,
        githubOidcProviderArn: account.githubOidcProviderArn,
        ciRoleArns: account.ciRoleArns,
        previewRoleArns: account.previewRoleArns,
        deployRoleArns: account.ciRoleArns,
        imagePushRoleArns: account.imagePushRoleArns,
        drillRoleArn: account.drillRoleArn,
        certificateValidationRecordFqdns: account.certificateValidationRecordFqdns,
        // Only with ci.githubConnection (an undefined output would be dropped with a warning).
        ...(account.githubConnectionArn ? { githubConnectionArn: account.githubConnectionArn } : {}),
    } as BootstrapOutputs;
}
