/**
 * The real Prometheus tools (Debian's `prometheus` and `prometheus-alertmanager` packages: promtool, amtool) for the rule
 * and Alertmanager tests. Outside CI a missing binary skips the test with a message saying what to install; under
 * `CI=true` it fails (.ci/run installs both).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export type Tool = "promtool" | "amtool";
const PACKAGE: Record<Tool, string> = { promtool: "prometheus", amtool: "prometheus-alertmanager" };

/** The tool's path, or undefined when it is not on PATH. */
export function which(tool: Tool): string | undefined {
    const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Returns the tool, skips the test when it is absent outside CI, and fails under CI. */
export function requireTool(ctx: Mocha.Context, tool: Tool): string {
    const found = which(tool);
    if (found !== undefined) return found;
    const install = `apt-get install ${PACKAGE[tool]}`;
    if (process.env.CI) throw new Error(`${tool} is not installed but CI is set: .ci/run installs it (${install})`);
    console.warn(`      skipped: ${tool} is not installed (${install}); CI runs this test`);
    ctx.skip();
}

export interface Run {
    readonly status: number | null;
    readonly stdout: string;
    /** stdout and stderr together, for failure messages. */
    readonly output: string;
}

/** Runs a tool in a fresh temporary folder holding `files`; removes the folder afterwards. */
export function runIn(files: Record<string, string>, command: string, args: (dir: string) => string[]): Run {
    const dir = mkdtempSync(path.join(tmpdir(), "promtools-"));
    try {
        for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
        const r = spawnSync(command, args(dir), { cwd: dir, encoding: "utf8", timeout: 60_000 });
        return { status: r.status, stdout: r.stdout ?? "", output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
