/** The DeployRunner of a stack's `ci:` section, the same on every site (prod and dr). */
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../model/config";
import { DeployRunner } from "./deployRunner";

/** What the runner takes from the stack's network. */
export interface RunnerNetwork {
    readonly vpcId: pulumi.Input<string>;
    readonly privateSubnetIds: pulumi.Input<string>[];
}

/**
 * The stack's deploy runner, or undefined without `ci.githubRepository` (then the stack is deployed from a
 * network that already reaches the private endpoint). `network` is depended on as a whole: the runner's
 * first job needs the NAT routes and the VPN, which the project's own inputs do not reference.
 */
export function deployRunnerFor(
    cfg: PlatformConfig,
    network: RunnerNetwork & pulumi.Resource,
    accountId: pulumi.Input<string>,
    opts: pulumi.ComponentResourceOptions & { readonly deployRegions?: string[]; readonly githubConnectionArn?: pulumi.Input<string> },
): DeployRunner | undefined {
    if (!cfg.ci) return undefined;
    const { deployRegions, githubConnectionArn, ...resourceOpts } = opts;
    return new DeployRunner(
        "deploy-runner",
        {
            accountId,
            region: cfg.region,
            deployRegions: deployRegions ?? [cfg.region],
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            onPremCidrs: cfg.network.onPrem?.cidrs,
            githubRepository: cfg.ci.githubRepository,
            githubConnectionArn,
            computeType: cfg.ci.runnerComputeType,
            timeoutMinutes: cfg.ci.runnerTimeoutMinutes,
            dependsOn: [network],
        },
        resourceOpts,
    );
}
