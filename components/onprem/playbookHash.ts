/**
 * The version of the on-prem configuration: a SHA-256 over every file of the playbooks (`ansible/`, path and content,
 * in path order) and the rendered inventory. The command's trigger: `pulumi up` re-runs the playbooks exactly when
 * either changes, and the stack output says which version the hosts last received.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** The playbooks' files under `dir`, relative, sorted (POSIX separators, so the hash is the same on every machine). */
export function playbookFiles(dir: string): string[] {
    const walk = (rel: string): string[] =>
        readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
            const child = rel === "" ? e.name : `${rel}/${e.name}`;
            return e.isDirectory() ? walk(child) : e.isFile() ? [child] : [];
        });
    return walk("").sort();
}

/** sha256:<hex> of the playbooks under `dir` and the inventory text. */
export function playbookVersion(dir: string, inventory: string): string {
    const hash = createHash("sha256");
    for (const file of playbookFiles(dir))
        hash.update(`${file}\0`)
            .update(readFileSync(path.join(dir, file)))
            .update("\0");
    hash.update("inventory\0").update(inventory);
    return `sha256:${hash.digest("hex")}`;
}
