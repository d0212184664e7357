/**
 * Offline StackReference feeds, in the documented deploy order (bootstrap, then prod, then dr):
 *  - prod and dr read their account's bootstrap stack (`hybrid-platform:bootstrapStack`);
 *  - a dr stack reads its primary stack (`hybrid-platform:dr.primaryStack`).
 * Each by the name the config gives. Default: the offline plan of Pulumi.<name>.yaml in UPDATE mode
 * (itself fed the same way), even when the reading stack is planned in preview mode, because a real
 * `pulumi preview` reads the outputs of the already deployed stack. Or a file, e.g.
 * `pulumi stack output --json` of the real stack.
 */
import { existsSync, readFileSync } from "node:fs";
import { missingBootstrapOutputs } from "../model/bootstrapOutputs";
import { AWS_REGIONS, PROJECT } from "../model/config";
import { DEFAULTS } from "../model/defaults";
import { missingPrimaryOutputs, shortStackName } from "../model/drConfig";
import { checkPrimaryStack } from "./cliInput";
import { Plan, UsageError, readStackConfig, runProgram, stackConfigPath } from "./offline";

/** The configured primary stack name if this flat config is a dr stack's, else undefined (bad config is reported by the program). */
export function primaryStackOf(config: Readonly<Record<string, string>>): string | undefined {
    if (config[`${PROJECT}:role`] !== "dr") return undefined;
    try {
        const name = (JSON.parse(config[`${PROJECT}:dr`] ?? "null") as { primaryStack?: unknown } | null)?.primaryStack;
        return typeof name === "string" ? name : undefined;
    } catch {
        return undefined;
    }
}

/** The primary stack's outputs and where they came from (no check: see primaryStackOutputs). */
export async function readPrimaryOutputs(
    name: string,
    primaryOutputsFile?: string,
): Promise<{ outputs: Record<string, unknown>; source: string; plan?: Plan }> {
    let outputs: Record<string, unknown>;
    let source: string;
    let plan: Plan | undefined;
    if (primaryOutputsFile) {
        source = primaryOutputsFile;
        try {
            outputs = JSON.parse(readFileSync(primaryOutputsFile, "utf8"));
        } catch (e) {
            throw new UsageError(`cannot read primary outputs ${primaryOutputsFile}: ${(e as Error).message.split("\n")[0]}`);
        }
    } else {
        checkPrimaryStack(name, shortStackName(name));
        source = `the offline plan of ${stackConfigPath(shortStackName(name)).split("/").pop()}`;
        const stack = shortStackName(name);
        const config = readStackConfig(stackConfigPath(stack));
        // The primary's own plan reads the bootstrap stack, as its real `pulumi up` did.
        plan = await runProgram({ stack, config, preview: false, stackOutputs: await bootstrapStackOutputs(config, stack) });
        outputs = plan.outputs;
    }
    return { outputs, source, plan };
}

/** The configured bootstrap stack name if this flat config is a prod or dr stack's (role bootstrap: none). */
export function bootstrapStackOf(config: Readonly<Record<string, string>>): string | undefined {
    const role = config[`${PROJECT}:role`];
    if (role !== "prod" && role !== "dr") return undefined;
    return config[`${PROJECT}:bootstrapStack`] ?? DEFAULTS.bootstrapStack;
}

/** The bootstrap stack's outputs and where they came from: a file, or the offline plan of its stack file (update mode). */
export async function readBootstrapOutputs(name: string, bootstrapOutputsFile?: string): Promise<{ outputs: Record<string, unknown>; source: string }> {
    if (bootstrapOutputsFile) {
        try {
            return { outputs: JSON.parse(readFileSync(bootstrapOutputsFile, "utf8")), source: bootstrapOutputsFile };
        } catch (e) {
            throw new UsageError(`cannot read bootstrap outputs ${bootstrapOutputsFile}: ${(e as Error).message.split("\n")[0]}`);
        }
    }
    const stack = shortStackName(name);
    if (!existsSync(stackConfigPath(stack)))
        throw new UsageError(`invalid config ${PROJECT}:bootstrapStack: no Pulumi.${stack}.yaml for "${name}"; or pass --bootstrap-outputs <file>`);
    return { outputs: (await runProgram({ stack, preview: false })).outputs, source: `the offline plan of Pulumi.${stack}.yaml` };
}

/**
 * StackReference outputs of the bootstrap stack for a prod or dr stack `stack` (undefined for a bootstrap
 * stack); a contract output it needs and does not find (its region's repositories, its CI role) is a usage error.
 */
export async function bootstrapStackOutputs(
    config: Readonly<Record<string, string>>,
    stack: string | undefined,
    bootstrapOutputsFile?: string,
): Promise<Record<string, Record<string, unknown>> | undefined> {
    const name = bootstrapStackOf(config);
    if (name === undefined) return undefined;
    const { outputs, source } = await readBootstrapOutputs(name, bootstrapOutputsFile);
    // An unknown region is the program's config error to report (one line naming aws:region), not a missing output.
    const region = (AWS_REGIONS as readonly string[]).includes(config["aws:region"]) ? config["aws:region"] : undefined;
    const missing = missingBootstrapOutputs(outputs, stack, region);
    if (missing.length > 0)
        throw new UsageError(
            `bootstrap stack ${name} lacks output(s) ${missing.join(", ")} (from ${source}); set them there (registry.replicaRegions, ci.environments) and run \`pulumi up\` on it first`,
        );
    return { [name]: outputs };
}

/**
 * Every StackReference feed of a stack's offline run (undefined for a bootstrap stack): the bootstrap
 * stack's outputs for prod and dr, and the primary's for dr; a missing contract output is a usage error.
 * `bootstrap.stack` names the stack planned (its CI role is checked too); the files replace the offline plans.
 */
export async function primaryStackOutputs(
    config: Readonly<Record<string, string>>,
    primaryOutputsFile?: string,
    bootstrap: { readonly stack?: string; readonly outputsFile?: string; readonly primaryPlans?: Map<string, Plan> } = {},
): Promise<Record<string, Record<string, unknown>> | undefined> {
    const fromBootstrap = await bootstrapStackOutputs(config, bootstrap.stack, bootstrap.outputsFile);
    const fromPrimary = await drPrimaryOutputs(config, primaryOutputsFile, bootstrap.primaryPlans);
    return fromBootstrap || fromPrimary ? { ...fromBootstrap, ...fromPrimary } : undefined;
}

/**
 * A dr stack's primary feed alone (undefined for other stacks); a missing contract output is a usage error.
 * `primaryPlans` receives the primary's offline plan when one was run (the dr review costs both sites with it).
 */
export async function drPrimaryOutputs(
    config: Readonly<Record<string, string>>,
    primaryOutputsFile?: string,
    primaryPlans?: Map<string, Plan>,
): Promise<Record<string, Record<string, unknown>> | undefined> {
    const name = primaryStackOf(config);
    if (name === undefined) return undefined;
    const { outputs, source, plan } = await readPrimaryOutputs(name, primaryOutputsFile);
    if (plan && primaryPlans) primaryPlans.set(shortStackName(name), plan);
    const missing = missingPrimaryOutputs(outputs, config["aws:region"]);
    if (missing.length > 0) {
        const region = config["aws:region"];
        const hint = missing.includes(`databaseSecretReplicas.${region}`)
            ? `add ${region} to ${PROJECT}:data.postgres.secretReplicaRegions of ${name} and run \`pulumi up\` there first`
            : `pass --primary-outputs <file> (\`pulumi stack output --json\` of ${name})`;
        throw new UsageError(`primary stack ${name} lacks output(s) ${missing.join(", ")} (from ${source}); ${hint}`);
    }
    return { [name]: outputs };
}

/**
 * The offline plan (update mode) of a committed stack file, fed as `npm run plan` feeds it: its
 * StackReferences read the earlier stacks' offline plans. For tools that need a real plan (the bench).
 */
export async function plannedStack(stack: string): Promise<Plan> {
    const config = readStackConfig(stackConfigPath(stack));
    return runProgram({ stack, config, stackOutputs: await primaryStackOutputs(config, undefined, { stack }) });
}
