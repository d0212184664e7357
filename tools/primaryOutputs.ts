/**
 * Offline StackReference feed for a dr stack: the outputs of its primary stack, by the name its
 * config gives (`hybrid-platform:dr.primaryStack`). Default: the offline plan of Pulumi.<primary>.yaml
 * in UPDATE mode, even when the dr stack is planned in preview mode, because a real `pulumi preview`
 * of dr reads the outputs of the already deployed prod. Or a file, e.g. `pulumi stack output --json`
 * of the real primary.
 */
import { readFileSync } from "node:fs";
import { PROJECT } from "../model/config";
import { missingPrimaryOutputs, shortStackName } from "../model/drConfig";
import { checkPrimaryStack } from "./cliInput";
import { UsageError, runProgram, stackConfigPath } from "./offline";

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
export async function readPrimaryOutputs(name: string, primaryOutputsFile?: string): Promise<{ outputs: Record<string, unknown>; source: string }> {
    let outputs: Record<string, unknown>;
    let source: string;
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
        outputs = (await runProgram({ stack: shortStackName(name), preview: false })).outputs;
    }
    return { outputs, source };
}

/** StackReference outputs for a dr stack's offline run (undefined for other stacks); a missing contract output is a usage error. */
export async function primaryStackOutputs(
    config: Readonly<Record<string, string>>,
    primaryOutputsFile?: string,
): Promise<Record<string, Record<string, unknown>> | undefined> {
    const name = primaryStackOf(config);
    if (name === undefined) return undefined;
    const { outputs, source } = await readPrimaryOutputs(name, primaryOutputsFile);
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
