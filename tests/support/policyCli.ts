/** What the `npm run policy` tests share: a temp dir for their files, the CLI in process, and a faulty prod plan. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Plan } from "../../tools/offline";
import { main } from "../../tools/policy";
import { Mutator } from "../integration/mutationTable";
import { planOf } from "./index";

/** A temp dir removed after the file's tests, and `write(name, content)` into it (content as JSON unless a string). */
export function tempFiles(prefix: string): { dir: string; write: (name: string, content: unknown) => string } {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    after(() => rmSync(dir, { recursive: true, force: true }));
    return {
        dir,
        write: (name, content) => {
            const file = path.join(dir, name);
            writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
            return file;
        },
    };
}

/** `npm run policy` in process: its exit code and what it printed. */
export async function policyCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
        argv,
        (l) => out.push(l),
        (l) => err.push(l),
    );
    return { code, out: out.join("\n"), err: err.join("\n") };
}

/** prod with its flow log removed: one mandatory vpc-flow-logs violation. */
export async function faultyProd(mode: "update" | "preview" = "update"): Promise<Plan> {
    const plan = structuredClone(await planOf("prod", mode));
    const m = new Mutator(plan, mode);
    m.remove(m.get("aws:ec2/flowLog:FlowLog", "network"));
    return plan;
}
