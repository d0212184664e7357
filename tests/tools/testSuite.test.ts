/**
 * `npm run unit` lists its test folders itself, heaviest first, so that mocha's two parallel workers
 * start on the long files (the mutation suite) and finish together; `npx mocha <file>` runs one file.
 * A test file in a folder the list misses would never run: this fails instead.
 */
import * as assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../tools/offline";

function testFiles(dir: string): string[] {
    return readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? testFiles(path.posix.join(dir, e.name)) : e.name.endsWith(".test.ts") ? [path.posix.join(dir, e.name)] : [],
    );
}

describe("npm run unit", () => {
    const script = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.unit;
    const globs = [...script.matchAll(/'([^']+)'/g)].map((m) => m[1]);

    it("runs every test file exactly once, through folder globs", () => {
        assert.ok(globs.length > 0, script);
        const folders = globs.map((g) => {
            assert.match(g, /^tests\/[\w-]+\/\*\*\/\*\.test\.ts$/, `${g}: a folder glob, tests/<folder>/**/*.test.ts`);
            return g.replace("**/*.test.ts", "");
        });
        for (const file of testFiles("tests")) {
            assert.equal(folders.filter((f) => file.startsWith(f)).length, 1, `${file}: add its folder to the unit script in package.json`);
        }
    });

    it("runs in parallel, the mutation suite first", () => {
        assert.match(script, /--parallel --jobs 2/);
        assert.equal(globs[0], "tests/integration/**/*.test.ts");
    });
});
