/**
 * What the CLIs check in what a user typed before any work starts: paths (resolved where the user is),
 * output folders, stack names and whether a --config file can belong to the named stack. Each problem
 * is a UsageError: one line, exit 2.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { PROJECT } from "../model/config";
import { didYouMean } from "../model/suggest";
import { REPO_ROOT, UsageError, readStackConfig, stackConfigPath } from "./offline";

/**
 * The folder the user ran the command in. `npm run <script>` runs from the package root and keeps the
 * caller's folder in INIT_CWD; only trusted for this script, since child processes inherit INIT_CWD.
 */
export function invocationDir(script: string, env: NodeJS.ProcessEnv = process.env): string {
    return env.npm_lifecycle_event === script && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}

/** Resolves the path-valued options of `opts` against `base`; other options are returned as they are. */
export function resolvePaths<T extends object>(opts: T, keys: readonly (keyof T)[], base: string): T {
    const resolved = { ...opts };
    for (const key of keys) {
        const value = resolved[key];
        if (typeof value === "string") resolved[key] = path.resolve(base, value) as T[keyof T];
    }
    return resolved;
}

/** Refuses, before the work that produces it, an output file whose folder does not exist. */
export function checkOutputFolder(flag: string, file: string): void {
    const dir = path.dirname(path.resolve(file));
    if (!existsSync(dir)) throw new UsageError(`cannot write ${flag} ${file}: there is no folder ${dir}`);
    if (!statSync(dir).isDirectory()) throw new UsageError(`cannot write ${flag} ${file}: ${dir} is not a folder`);
}

/** Writes an output file; a failure (permissions, a full disk) is one line naming the file, not a stack trace. */
export function writeOutput(flag: string, file: string, text: string): void {
    try {
        writeFileSync(file, text);
    } catch (e) {
        throw new UsageError(`cannot write ${flag} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
}

/** The stacks of this project: one Pulumi.<name>.yaml each beside Pulumi.yaml. */
export function knownStacks(root: string = REPO_ROOT): string[] {
    return readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** "stacks here: dr, prod; did you mean "prod"?" */
function stackChoices(name: string, root: string): string {
    const stacks = knownStacks(root);
    const hint = didYouMean(name, stacks);
    return `stacks here: ${stacks.join(", ") || "none"}${hint ? `; did you mean "${hint}"?` : ""}`;
}

/** The stack file of `stack`; an unknown stack is a usage error listing the stacks that exist. */
export function existingStackFile(stack: string, root: string = REPO_ROOT): string {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!existsSync(file)) throw new UsageError(`no stack "${stack}": there is no Pulumi.${stack}.yaml (${stackChoices(stack, root)})`);
    return file;
}

/** A dr stack's `dr.primaryStack` that names no stack file here (checked only when its outputs are to come from its offline plan). */
export function checkPrimaryStack(primaryStack: string, shortName: string, root: string = REPO_ROOT): void {
    if (existsSync(path.join(root, `Pulumi.${shortName}.yaml`))) return;
    throw new UsageError(
        `invalid config ${PROJECT}:dr.primaryStack: expected a stack of this project (${stackChoices(shortName, root)}), got "${primaryStack}"; or pass --primary-outputs <file>`,
    );
}

/**
 * Refuses `--stack <name> --config <file>` when the stack has its own file of another role: the plan
 * would carry one composition under the other's name (its outputs, policy config and JSON misleading).
 * A stack without a file of its own (a new name) may take any config.
 */
export function checkConfigFitsStack(stack: string, config: Readonly<Record<string, string>>, configFile: string): void {
    const own = stackConfigPath(stack);
    if (!existsSync(own) || path.resolve(configFile) === own) return;
    const roleKey = `${PROJECT}:role`;
    const role = config[roleKey];
    const ownRole = readStackConfig(own)[roleKey];
    if (role === undefined || ownRole === undefined || role === ownRole) return;
    const sameRole = knownStacks().filter((s) => readStackConfig(stackConfigPath(s))[roleKey] === role);
    const instead = sameRole.length > 0 ? `--stack ${sameRole.join(" or --stack ")}` : "a new stack name";
    throw new UsageError(
        `--config ${configFile} is a role ${role} config, but stack ${stack} is role ${ownRole} (Pulumi.${stack}.yaml): plan it as ${instead}`,
    );
}
