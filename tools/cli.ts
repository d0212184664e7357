/** What the project's CLIs share: commander parsing whose errors become one `error: ...` line and an exit code. */
import { Command, CommanderError } from "commander";

/**
 * Parses argv with commander. Returns the options, or the exit code to stop with: 0 after --help or
 * --version, `usageCode` after a usage error (reported as one line through `err`, never a stack trace).
 */
export function parseCli<T extends object>(
    program: Command,
    argv: string[],
    usageCode: number,
    err: (line: string) => void = console.error,
): { opts: T } | { code: number } {
    // Merged into any output configuration the caller set (commander assigns, it does not replace).
    program.exitOverride().configureOutput({ writeErr: () => undefined });
    try {
        program.parse(argv, { from: "user" });
    } catch (e) {
        if (!(e instanceof CommanderError)) throw e;
        if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return { code: 0 };
        err(`error: ${e.message.replace(/^error: /, "")}`);
        return { code: usageCode };
    }
    return { opts: program.opts<T>() };
}
