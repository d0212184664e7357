/**
 * Whole-stack plans (and CLI runs) shared by mocha's parallel workers: each is computed by the first
 * worker that needs it and read by the others, so a run computes each (stack, mode) once, not once per worker.
 * Loaded with `--require` (.mocharc.json): the global fixtures make a directory for this run in the
 * main process, before the workers start (they inherit its name through the environment), and
 * remove it after. A single-process run (`npx mocha <file>`) computes its plans itself.
 */
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ENV = "HYBRID_TEST_SHARED_PLANS";
/** How long a worker waits for another's plan before computing it itself (a plan takes seconds). */
const WAIT_MS = 90_000;

export function mochaGlobalSetup(): void {
    process.env[ENV] = mkdtempSync(path.join(tmpdir(), "hybrid-test-plans-"));
}

export function mochaGlobalTeardown(): void {
    const dir = process.env[ENV];
    if (dir) rmSync(dir, { recursive: true, force: true });
}

/** The directory this run's workers share, if this is one of them. */
export function sharedDir(): string | undefined {
    const dir = process.env[ENV];
    return dir && process.env.MOCHA_WORKER_ID !== undefined && existsSync(dir) ? dir : undefined;
}

/** The result named `key` (JSON-safe): computed here (and published), or read from the worker that computes it. */
export async function shared<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const dir = sharedDir();
    if (!dir) return compute();
    const file = path.join(dir, `${createHash("sha256").update(key).digest("hex").slice(0, 32)}.json`);
    let mine: boolean;
    try {
        closeSync(openSync(`${file}.lock`, "wx"));
        mine = true;
    } catch {
        mine = false;
    }
    if (!mine) return (await published<T>(file)) ?? compute();
    try {
        const result = await compute();
        writeFileSync(`${file}.tmp`, JSON.stringify(result));
        renameSync(`${file}.tmp`, file);
        return result;
    } catch (e) {
        // The others compute it themselves, so the failure shows in their tests too.
        writeFileSync(`${file}.failed`, "");
        throw e;
    }
}

async function published<T>(file: string): Promise<T | undefined> {
    for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
        if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as T;
        if (existsSync(`${file}.failed`)) return undefined;
    }
    return undefined;
}
