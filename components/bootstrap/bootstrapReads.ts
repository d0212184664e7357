/**
 * What prod and dr read from their account's bootstrap stack: one StackReference, exactly the outputs
 * the contract (model/bootstrapOutputs.ts) marks as read, narrowed to this stack's region (the
 * repositories there: dr's are the replicas) and to this stack's CI role.
 */
import * as pulumi from "@pulumi/pulumi";
import { BootstrapOutputValues, REQUIRED_BOOTSTRAP_OUTPUTS, RequiredBootstrapOutput } from "../../model/bootstrapOutputs";
import { readRequired } from "../../model/outputContract";

export interface BootstrapReads {
    /** The StackReference: what depends on an output of it waits for (and names) the bootstrap stack. */
    readonly reference: pulumi.StackReference;
    /** Repository URL per image name, in this stack's region. */
    readonly repositoryUrls: pulumi.Output<Record<string, string>>;
    readonly autoScalingRoleArn: pulumi.Output<string>;
    readonly openSearchRoleArn: pulumi.Output<string>;
    /** This stack's CI role (GitHub OIDC), the one principal its EKS ci-deployer role trusts. */
    readonly ciRoleArn: pulumi.Output<string>;
    /**
     * The FQDN of this stack's hostname's ACM validation record, which the bootstrap stack owns: the stack's
     * certificate validates (and renews) against it and creates no record itself (finding 16).
     */
    readonly certificateValidationRecordFqdn: pulumi.Output<string>;
    /** The account's CodeConnections connection to GitHub: the deploy runner's source credential. */
    readonly githubConnectionArn: pulumi.Output<string>;
}

/** Reads the bootstrap stack `bootstrapStack` for stack `stack` in `region`, serving public hostname `hostname`. */
export function readBootstrap(bootstrapStack: string, stack: string, region: string, hostname: string): BootstrapReads {
    const reference = new pulumi.StackReference("bootstrap", { name: bootstrapStack });
    const out = readRequired(REQUIRED_BOOTSTRAP_OUTPUTS, (key) => reference.requireOutput(key)) as unknown as {
        readonly [K in RequiredBootstrapOutput]: pulumi.Output<BootstrapOutputValues[K]>;
    };
    const entry = <T>(values: Record<string, T>, key: string, output: string, fix: string): T => {
        if (values[key] === undefined) throw new pulumi.ResourceError(`bootstrap stack ${bootstrapStack} has no ${output}.${key}: ${fix}`, reference);
        return values[key];
    };
    return {
        reference,
        repositoryUrls: out.ecrRepositoryUrls.apply((u) => entry(u, region, "ecrRepositoryUrls", `add ${region} to its registry.replicaRegions`)),
        autoScalingRoleArn: out.autoScalingRoleArn,
        openSearchRoleArn: out.openSearchRoleArn,
        ciRoleArn: out.ciRoleArns.apply((r) => entry(r, stack, "ciRoleArns", `add ${stack} to its ci.environments`)),
        certificateValidationRecordFqdn: out.certificateValidationRecordFqdns.apply((r) =>
            entry(r, hostname, "certificateValidationRecordFqdns", `set its dns.hostname to ${hostname}`),
        ),
        // requireOutput refuses a bootstrap stack without one (ci.githubConnection false): the runner needs it.
        githubConnectionArn: out.githubConnectionArn as pulumi.Output<string>,
    };
}

/**
 * `accountId`, resolved together with `roleArn`: a key policy built from it names the role by path
 * (CustomerKey roleGrants) and, through this, depends on where the role comes from (the bootstrap
 * stack's output), so the engine and the pack see that the role must exist first. Refuses a role of
 * another account (the policy would name a role that is not this one).
 */
export function accountNaming(accountId: pulumi.Input<string>, roleArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.all([accountId, roleArn]).apply(([id, arn]) => {
        if (!arn.startsWith(`arn:aws:iam::${id}:role/`)) throw new Error(`role ${arn} is not a role of account ${id}`);
        return id;
    });
}
